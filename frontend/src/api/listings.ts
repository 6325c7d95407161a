import { http, type Query } from './client'
import type { Listing, ListingInput, Page, Status } from './types'

export interface ListingFilter extends Query {
  kind?: string[]
  org?: string
  industry?: string
  region?: string
  tier?: string[]
  status?: string[]
  limit?: number
  cursor?: string
}

export const listingsApi = {
  list: (f: ListingFilter, signal?: AbortSignal) => http.get<Page<Listing>>('/listings', f, signal),
  get: (id: string) => http.get<Listing>(`/listings/${encodeURIComponent(id)}`),
  create: (l: ListingInput) => http.post<Listing>('/listings', l),
  update: (id: string, l: ListingInput) => http.put<Listing>(`/listings/${encodeURIComponent(id)}`, l),
  remove: (id: string) => http.del(`/listings/${encodeURIComponent(id)}`),
  setStatus: (id: string, status: Status) => http.post<Listing>(`/listings/${encodeURIComponent(id)}/status`, { status }),
}
