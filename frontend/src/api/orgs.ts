import { http, type Query } from './client'
import type { Invite, Org, OrgInput, Page, User } from './types'

export interface OrgFilter extends Query {
  type?: string
  region?: string
  industry?: string
  tier?: string[]
  verified?: boolean | null
  limit?: number
  cursor?: string
}

export const orgsApi = {
  list: (f: OrgFilter, signal?: AbortSignal) => http.get<Page<Org>>('/orgs', f, signal),
  get: (id: string) => http.get<Org>(`/orgs/${encodeURIComponent(id)}`),
  create: (o: OrgInput) => http.post<Org>('/orgs', o),
  update: (id: string, o: OrgInput) => http.put<Org>(`/orgs/${encodeURIComponent(id)}`, o),
  remove: (id: string) => http.del(`/orgs/${encodeURIComponent(id)}`),
  verify: (id: string, verified: boolean) => http.post<Org>(`/orgs/${encodeURIComponent(id)}/verify`, { verified }),
  invite: (id: string) => http.post<Invite>(`/orgs/${encodeURIComponent(id)}/invites`),
  join: (code: string) => http.post<Org>('/orgs/join', { code }),
  members: (id: string) => http.get<Page<User>>(`/orgs/${encodeURIComponent(id)}/members`),
}
