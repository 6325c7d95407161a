// What the pairing pages compute: the form a move needs, its checks before
// sending, and the pipeline's columns with their amounts.

import type { Pairing, PairingStatus, TransitionInput } from '@/api/pairings'
import { YUAN_PER_WAN } from '@/api/pairings'

/** MoveForm is what the user fills in for one move. */
export interface MoveForm {
  to: PairingStatus
  message: string
  reason: string
  outcomeKind: string
  /** valueWan is the agreed amount in 万元, as the user types it. */
  valueWan: number | null
}

export function emptyMove(to: PairingStatus): MoveForm {
  return { to, message: '', reason: '', outcomeKind: '', valueWan: null }
}

/** needsForm says whether a move asks for more than a confirmation. */
export function needsForm(to: PairingStatus): boolean {
  return to === 'declined' || to === 'agreed'
}

/** checkMove returns the field codes the form misses: reason for a decline, the outcome for an agreement. */
export function checkMove(f: MoveForm): Record<string, string> {
  const errs: Record<string, string> = {}
  if (f.to === 'declined' && !f.reason) errs.reason = 'required'
  if (f.to === 'agreed') {
    if (!f.outcomeKind) errs['outcome.kind'] = 'required'
    if (f.valueWan === null || !(f.valueWan >= 0)) errs['outcome.valueYuan'] = 'required'
  }
  return errs
}

/** toInput turns the form into the API's body; amounts go from 万元 to yuan. */
export function toInput(f: MoveForm, version?: number): TransitionInput {
  const in_: TransitionInput = { to: f.to }
  if (f.message.trim()) in_.message = f.message.trim()
  if (f.to === 'declined') in_.reason = f.reason
  if (f.to === 'agreed')
    in_.outcome = { kind: f.outcomeKind as 'contract', valueYuan: Math.round((f.valueWan ?? 0) * YUAN_PER_WAN) }
  if (version) in_.version = version
  return in_
}

/** PIPELINE_COLUMNS are the pipeline's columns, in workflow order. */
export const PIPELINE_COLUMNS: readonly PairingStatus[] = ['interested', 'accepted', 'meeting', 'negotiating', 'agreed']

export interface PipelineColumn {
  status: PairingStatus
  items: Pairing[]
  /** valueYuan sums the agreed amounts of the column's pairings. */
  valueYuan: number
}

/** pipeline groups pairings into the columns; others (declined, closed…) are left out. */
export function pipeline(items: Pairing[]): PipelineColumn[] {
  return PIPELINE_COLUMNS.map((status) => {
    const col = items.filter((p) => p.status === status)
    return { status, items: col, valueYuan: col.reduce((s, p) => s + (p.outcome?.valueYuan ?? 0), 0) }
  })
}

/** otherParty is the party that is not the caller's organisation. */
export function otherParty(p: Pairing, orgId: string | undefined) {
  return p.a.orgId === orgId ? p.b : p.a
}

/** recordRoute is where a matched record is shown: its organisation or its listing. */
export function recordRoute(party: { orgId: string; record: { kind: string; id: string } }) {
  return party.record.kind === 'org' || !party.record.id
    ? { name: 'org-detail', params: { id: party.orgId } }
    : { name: 'listing', params: { id: party.record.id } }
}
