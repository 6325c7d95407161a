// Pairings (对接): a request from a match, its answer and the steps to an
// agreement; and the inbox of notifications the steps send.

import { http } from './client'
import type { Page } from './types'

export type PairingStatus =
  'proposed' | 'interested' | 'accepted' | 'declined' | 'meeting' | 'negotiating' | 'agreed' | 'closed' | 'expired' | 'withdrawn'

/** PAIRING_STATUSES lists every status in workflow order. */
export const PAIRING_STATUSES: readonly PairingStatus[] = [
  'proposed',
  'interested',
  'accepted',
  'declined',
  'meeting',
  'negotiating',
  'agreed',
  'closed',
  'expired',
  'withdrawn',
]

export type PairingKind = 'supply' | 'financing' | 'technology' | 'collaboration'
export const PAIRING_KINDS: readonly PairingKind[] = ['supply', 'financing', 'technology', 'collaboration']

/** DECLINE_REASONS are the reason codes a side may give when it declines. */
export const DECLINE_REASONS = [
  'not_relevant',
  'no_capacity',
  'terms',
  'timing',
  'location',
  'already_partnered',
  'other',
] as const
export type DeclineReason = (typeof DECLINE_REASONS)[number]

export type OutcomeKind = 'contract' | 'investment' | 'licence'
export const OUTCOME_KINDS: readonly OutcomeKind[] = ['contract', 'investment', 'licence']

export interface RecordRef {
  /** kind is "org" or a listing kind. */
  kind: string
  id: string
  title?: string
}

export interface PairingParty {
  orgId: string
  name: string
  region?: string
  record: RecordRef
}

export interface Outcome {
  kind: OutcomeKind
  valueYuan: number
}

export interface PairingEvent {
  at: string
  by?: string
  side?: 'a' | 'b'
  from?: PairingStatus
  to: PairingStatus
  message?: string
  reason?: string
  outcome?: Outcome
}

export interface Pairing {
  id: string
  kind: PairingKind
  origin: 'engine' | 'user'
  a: PairingParty
  b: PairingParty
  score?: number
  status: PairingStatus
  requester?: 'a' | 'b'
  reason?: string
  reasonText?: string
  outcome?: Outcome
  expiresAt?: string
  agreedAt?: string
  history: PairingEvent[]
  createdAt: string
  updatedAt: string
  version: number
}

/** PairingView is a pairing with the moves the caller may make. */
export interface PairingView {
  pairing: Pairing
  allowed: PairingStatus[]
}

export interface ProposeInput {
  source: RecordRef
  target: RecordRef
  message: string
  score?: number
}

export interface TransitionInput {
  to: PairingStatus
  message?: string
  reason?: string
  outcome?: Outcome
  version?: number
}

export interface PairingParams {
  status?: string[]
  kind?: string[]
  limit?: number
  cursor?: string
}

export interface Notification {
  id: string
  kind: string
  pairingId?: string
  status?: PairingStatus
  title: string
  body: string
  titleEn: string
  bodyEn: string
  createdAt: string
  readAt?: string
}

export const pairingsApi = {
  create: (in_: ProposeInput) => http.post<PairingView>('/pairings', in_),
  list: (p: PairingParams, signal?: AbortSignal) => http.get<Page<Pairing>>('/pairings', { ...p }, signal),
  get: (id: string, signal?: AbortSignal) => http.get<PairingView>(`/pairings/${encodeURIComponent(id)}`, undefined, signal),
  move: (id: string, in_: TransitionInput) => http.post<PairingView>(`/pairings/${encodeURIComponent(id)}/transitions`, in_),
}

export const inboxApi = {
  list: (p: { unread?: boolean; limit?: number; cursor?: string }, signal?: AbortSignal) =>
    http.get<Page<Notification>>('/inbox', { ...p }, signal),
  unread: () => http.get<{ unread: number }>('/inbox/unread'),
  read: (ids?: string[]) => http.post<{ marked: number }>('/inbox/read', { ids: ids ?? [] }),
}

/** YUAN_PER_WAN converts yuan to 万元. */
export const YUAN_PER_WAN = 10_000
