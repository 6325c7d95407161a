// What a participant sees of an event (洽谈会), worked out from the API's
// answers: its own registration, the other participants filtered and ranked
// by match score, the state of each meeting request from its side, and its
// agenda grouped by day and session.

import type { AgendaItem, Event, MeetingRequest, Participant, RequestStatus } from '@/api/events'
import type { OrgType } from '@/api/types'
import { eventClock, eventDay } from '@/api/events'

/** ParticipantFilter is what the participant list is narrowed by; empty values keep everyone. */
export interface ParticipantFilter {
  name: string
  kind: OrgType | ''
  industry: string
  region: string
}

export const emptyFilter = (): ParticipantFilter => ({ name: '', kind: '', industry: '', region: '' })

/** ownParticipant is the registration of the caller's organisation among the participants, if any. */
export function ownParticipant(ps: readonly Participant[], orgId: string | undefined): Participant | undefined {
  return orgId ? ps.find((p) => p.orgId === orgId) : undefined
}

/**
 * codeWithin reports whether a reference code (GB/T 4754 industry, 行政区划
 * region) is the chosen one or below it: "3391" is within "339" and "33";
 * "330206" within "330200" and "330000".
 */
export function codeWithin(code: string | undefined, chosen: string): boolean {
  if (!chosen) return true
  if (!code) return false
  if (code === chosen) return true
  const prefix = /^\d{6}$/.test(chosen) ? chosen.replace(/(00)+$/, '') : chosen
  return prefix.length > 0 && code.startsWith(prefix)
}

/**
 * filterParticipants keeps the other participants that match the filter
 * (name or ref containing the text, case-insensitively; the organisation
 * type; industry and region at or below the chosen code), the best-matched
 * first: by score, then those without a score, by name.
 */
export function filterParticipants(ps: readonly Participant[], f: ParticipantFilter, ownOrgId?: string): Participant[] {
  const text = f.name.trim().toLowerCase()
  return ps
    .filter((p) => p.orgId !== ownOrgId)
    .filter((p) => !text || p.org.name.toLowerCase().includes(text) || (p.org.ref ?? '').toLowerCase().includes(text))
    .filter((p) => !f.kind || p.org.orgType === f.kind)
    .filter((p) => codeWithin(p.org.industry, f.industry) && codeWithin(p.org.region, f.region))
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.org.name.localeCompare(b.org.name, 'zh-CN'))
}

/** facetValues lists the distinct values of a participant field, for the filter's choices. */
export function facetValues(ps: readonly Participant[], pick: (p: Participant) => string | undefined): string[] {
  return [...new Set(ps.map(pick).filter((v): v is string => !!v))].sort()
}

/** mayMeet reports whether the event lets organisations of types a and b meet (no pairs: anyone). */
export function mayMeet(e: Pick<Event, 'pairs'>, a: OrgType, b: OrgType): boolean {
  if (!e.pairs?.length) return true
  return e.pairs.some((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a))
}

/** RequestView is a meeting request as one side sees it. */
export interface RequestView {
  request: MeetingRequest
  /** direction is "sent" when the side asked, "received" when it was asked. */
  direction: 'sent' | 'received'
  /** counterpartId is the other participant. */
  counterpartId: string
  status: RequestStatus
  /** canAnswer: the side may accept or decline it now. */
  canAnswer: boolean
  /** canDecline: the side may decline it (also a recommended one it accepted on its behalf). */
  canDecline: boolean
}

/**
 * requestView says how a request stands for participant me: who the other
 * side is, and what me may do. A receiver answers a pending request; either
 * side may decline a recommendation while it stands.
 */
export function requestView(r: MeetingRequest, me: string): RequestView {
  const direction = r.fromId === me ? 'sent' : 'received'
  const canAnswer = direction === 'received' && r.status === 'pending'
  const canDecline = canAnswer || (!!r.recommended && r.status === 'accepted')
  return {
    request: r,
    direction,
    counterpartId: direction === 'sent' ? r.toId : r.fromId,
    status: r.status,
    canAnswer,
    canDecline,
  }
}

/**
 * requestsByCounterpart indexes the requests between me and each other
 * participant, so the participant list shows where each one stands; a
 * request me sent wins over one it received.
 */
export function requestsByCounterpart(rs: readonly MeetingRequest[], me: string): Map<string, RequestView> {
  const out = new Map<string, RequestView>()
  for (const r of rs) {
    const v = requestView(r, me)
    const had = out.get(v.counterpartId)
    if (!had || (had.direction === 'received' && v.direction === 'sent')) out.set(v.counterpartId, v)
  }
  return out
}

/** splitRequests parts requests into those received (pending first) and those sent, newest first. */
export function splitRequests(rs: readonly MeetingRequest[], me: string) {
  const views = rs.map((r) => requestView(r, me)).sort((a, b) => b.request.createdAt.localeCompare(a.request.createdAt))
  return {
    received: views.filter((v) => v.direction === 'received').sort((a, b) => Number(b.canAnswer) - Number(a.canAnswer)),
    sent: views.filter((v) => v.direction === 'sent'),
  }
}

/** AgendaSession is one session of an agenda day, its meetings in time order. */
export interface AgendaSession {
  name: string
  items: (AgendaItem & { from: string; until: string })[]
}

/** AgendaDay is one day of an agenda ("YYYY-MM-DD" in the event's zone). */
export interface AgendaDay {
  day: string
  sessions: AgendaSession[]
}

/** groupAgenda groups agenda items by day and session, in time order, with their clock times in the event zone. */
export function groupAgenda(items: readonly AgendaItem[] | null | undefined): AgendaDay[] {
  const sorted = [...(items ?? [])].sort((a, b) => a.start.localeCompare(b.start) || a.table - b.table)
  const days: AgendaDay[] = []
  for (const it of sorted) {
    const day = eventDay(it.start)
    let d = days.find((x) => x.day === day)
    if (!d) days.push((d = { day, sessions: [] }))
    let s = d.sessions.find((x) => x.name === it.session)
    if (!s) d.sessions.push((s = { name: it.session, items: [] }))
    s.items.push({ ...it, from: eventClock(it.start), until: eventClock(it.end) })
  }
  return days
}

/** mayRate reports whether a meeting can be rated at now: it took place (not cancelled, not a no-show) and its slot has ended. */
export function mayRate(it: Pick<AgendaItem, 'status' | 'outcome' | 'end'>, now: number): boolean {
  return it.status === 'scheduled' && it.outcome !== 'no_show' && new Date(it.end).getTime() <= now
}

/** registrationOpen reports whether the event takes registrations at now. */
export function registrationOpen(e: Pick<Event, 'status' | 'registrationOpens' | 'registrationCloses'>, now: number): boolean {
  return e.status === 'open' && new Date(e.registrationOpens).getTime() <= now && now < new Date(e.registrationCloses).getTime()
}

/** fetchAll pages through a cursor-paginated list (participants, requests). */
export async function fetchAll<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[] | null; nextCursor?: string }>,
  most = 50,
): Promise<T[]> {
  const out: T[] = []
  let cursor: string | undefined
  for (let i = 0; i < most; i++) {
    const r = await page(cursor)
    out.push(...(r.items ?? []))
    if (!r.nextCursor) break
    cursor = r.nextCursor
  }
  return out
}
