// The search facets the page offers as filters, in the order shown; each is
// also a query parameter of GET /search and of the page's URL.

export const FACETS = ['kind', 'industry', 'region', 'tier', 'cert'] as const
export type FacetName = (typeof FACETS)[number]
export type FacetValues = Record<FacetName, string>

export const noFacets = (): FacetValues => ({ kind: '', industry: '', region: '', tier: '', cert: '' })
