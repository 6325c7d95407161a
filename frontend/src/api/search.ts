import { http, type Query } from './client'
import type { SearchResult, Suggestion } from './types'

export interface SearchParams extends Query {
  q?: string
  kind?: string[]
  industry?: string
  region?: string
  tier?: string[]
  cert?: string[]
  status?: string[]
  sort?: string
  limit?: number
  cursor?: string
}

export const searchApi = {
  search: (p: SearchParams, signal?: AbortSignal) => http.get<SearchResult>('/search', p, signal),
  suggest: (q: string, limit = 8) => http.get<{ items: Suggestion[] }>('/search/suggest', { q, limit }),
}
