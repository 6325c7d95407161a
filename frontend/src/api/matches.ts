import { http } from './client'
import type { MatchResult } from './types'

export interface MatchParams {
  /** from is the source record as <kind>:<id>. */
  from: string
  target?: string
  limit?: number
  cursor?: string
  /** lang is the language of the reasons' texts (zh-CN or en). */
  lang?: string
}

export const matchesApi = {
  list: (p: MatchParams, signal?: AbortSignal) => http.get<MatchResult>('/matches', { ...p }, signal),
}
