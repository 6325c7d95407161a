// Shapes of the Rongtong JSON API (/api/v1). Field names follow the server's
// JSON and the interchange format (docs: IMPORT_FORMAT).

export type Role = 'sme' | 'enterprise' | 'investor' | 'institution' | 'organizer' | 'admin'
export type OrgType = Exclude<Role, 'admin'>
export type MemberRole = 'owner' | 'member'
export type Tier = 'none' | 'innovative' | 'specialized' | 'hidden_champion' | 'little_giant'
export type Kind = 'capability' | 'need' | 'tech' | 'technead' | 'investor' | 'financing'
export type Status = 'draft' | 'published' | 'closed' | 'awarded'

export const ROLES: readonly Role[] = ['sme', 'enterprise', 'investor', 'institution', 'organizer', 'admin']
export const ORG_TYPES: readonly OrgType[] = ['sme', 'enterprise', 'investor', 'institution', 'organizer']
export const TIERS: readonly Tier[] = ['none', 'innovative', 'specialized', 'hidden_champion', 'little_giant']
export const KINDS: readonly Kind[] = ['capability', 'need', 'tech', 'technead', 'investor', 'financing']
export const STATUSES: readonly Status[] = ['draft', 'published', 'closed', 'awarded']

export interface User {
  id: string
  email?: string
  phone?: string
  name?: string
  role: Role
  regionScope?: string
  orgId?: string
  orgRole?: MemberRole
  disabled?: boolean
  createdAt: string
  updatedAt: string
}

export interface TokenResponse {
  accessToken: string
  tokenType?: string
  expiresIn: number
  refreshToken: string
  user: User
}

export interface OrgSummary {
  id: string
  ref?: string
  name: string
  orgType: OrgType
  region?: string
  industry?: string
  tier?: Tier
  verified: boolean
}

export interface MeResponse {
  user: User
  org: OrgSummary | null
}

export interface Contact {
  name?: string
  phone?: string
  email?: string
}

export interface Org {
  id: string
  ref?: string
  name: string
  uscc?: string
  orgType: OrgType
  region?: string
  industry?: string
  tier?: Tier
  founded?: number
  employees?: number
  revenueWan?: number
  rdRatio?: number
  patents?: number
  certifications?: string[]
  products?: string[]
  description?: string
  website?: string
  contact?: Contact
  verified: boolean
  verifiedAt?: string
  createdAt: string
  updatedAt: string
}

/** OrgInput is what a client sends to create or update an organisation. */
export type OrgInput = Omit<Org, 'id' | 'verified' | 'verifiedAt' | 'createdAt' | 'updatedAt'>

export interface Amount {
  value: number
  unit: string
  per?: 'year' | 'month' | ''
}

export interface ListingFields {
  title: string
  description?: string
  abstract?: string
  industry?: string
  industries?: string[]
  processes?: string[]
  materials?: string[]
  certifications?: string[]
  certificationsRequired?: string[]
  capacity?: Amount
  leadTimeDays?: number
  regionsServed?: string[]
  quantity?: Amount
  regionsPreferred?: string[]
  deadline?: string
  budgetWan?: number
  ipc?: string[]
  patents?: string[]
  trl?: number
  transferModes?: string[]
  priceWan?: number
  stages?: string[]
  ticketMinWan?: number
  ticketMaxWan?: number
  regions?: string[]
  minRevenueWan?: number
  tiers?: Tier[]
  minHoldingYears?: number
  amountWan?: number
  stage?: string
  instrument?: string
  valuationWan?: number
  useOfFunds?: string
  hard?: string[]
}

export interface Listing extends ListingFields {
  id: string
  ref?: string
  kind: Kind
  orgId: string
  owner: OrgSummary
  status: Status
  publishedAt?: string
  createdAt: string
  updatedAt: string
}

/** ListingInput is what a client sends to create or update a listing. */
export interface ListingInput extends ListingFields {
  kind: Kind
  status?: Status
}

export interface Page<T> {
  items: T[]
  nextCursor?: string
}

/** RefEntry is a row of a reference table: a GB/T 4754 industry or a 行政区划 region. */
export interface RefEntry {
  code: string
  parent?: string
  name: string
  level: number
}

export interface Invite {
  code: string
  orgId: string
  expiresAt: string
}

export interface ImportCounts {
  lines: number
  created: number
  updated: number
  unchanged: number
  failed: number
}

export interface ImportError {
  line: number
  ref?: string
  field: string
  code: string
  message: string
}

export interface ImportRun {
  id: string
  userId?: string
  source: string
  startedAt: string
  finishedAt: string
  counts: ImportCounts
  errors: ImportError[]
}

export interface FieldError {
  field: string
  code: string
  message: string
}

/** Problem is an RFC 9457 problem detail (application/problem+json). */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  requestId?: string
  errors?: FieldError[]
  allowed?: string[]
}

/** SearchKind is what a search hit is: an organisation or a listing kind. */
export type SearchKind = 'org' | Kind
export const SEARCH_KINDS: readonly SearchKind[] = ['org', ...KINDS]

/** FacetCount is one value of a search facet and how many records have it. */
export interface FacetCount {
  value: string
  count: number
}

/** SearchHit is one record found; snippets are HTML-escaped with the matched words in <mark>. */
export interface SearchHit {
  kind: SearchKind
  id: string
  ref?: string
  title: string
  orgId?: string
  orgName?: string
  score: number
  snippets?: { title?: string[]; body?: string[] }
}

/** SearchResult is one page of search hits with the facet counts of the whole result. */
export interface SearchResult {
  total: number
  hits: SearchHit[]
  facets?: Partial<Record<'kind' | 'tier' | 'industry' | 'region' | 'cert', FacetCount[]>>
  nextCursor?: string
}

export interface Suggestion {
  text: string
  count: number
}

/** ScorePart is one additive part of a match score: value 0–1, points what it adds to the 0–100 score. */
export interface ScorePart {
  name: string
  value: number
  weight: number
  points: number
}

/** Reason is a structured explanation of a match, with its text in the language asked for. */
export interface Reason {
  code: string
  params?: Record<string, unknown>
  text?: string
}

export interface Match {
  rank: number
  kind: SearchKind
  id: string
  ref?: string
  title: string
  score: number
  parts: ScorePart[]
  reasons: Reason[]
  unmet?: Reason[]
  violations?: Reason[]
  org?: Org
  listing?: Listing
}

export interface MatchResult {
  from: { kind: SearchKind; id: string; ref?: string; title: string }
  target: SearchKind
  items: Match[]
  nextCursor?: string
}
