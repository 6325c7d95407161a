// What each kind of record can be matched to, as the matching engine knows
// it (matching.Targets): the default target first.

import type { SearchKind } from '@/api/types'

const TARGETS: Partial<Record<SearchKind, SearchKind[]>> = {
  need: ['org', 'capability'],
  capability: ['need'],
  financing: ['investor'],
  investor: ['financing'],
  technead: ['tech'],
  tech: ['technead', 'org'],
  org: ['org'],
}

/** matchTargets returns the target kinds of a source kind, the default first; empty when it has none. */
export function matchTargets(kind: SearchKind): SearchKind[] {
  return TARGETS[kind] ?? []
}

/** scoreBand names a 0–100 score's band, for its colour and its words. */
export function scoreBand(score: number): 'high' | 'medium' | 'low' {
  if (score >= 70) return 'high'
  if (score >= 40) return 'medium'
  return 'low'
}

/** clampScore rounds a score to a whole number within 0–100 (NaN is 0). */
export function clampScore(score: number): number {
  if (!Number.isFinite(score)) return 0
  return Math.round(Math.min(100, Math.max(0, score)))
}
