// Matchmaking events (洽谈会): the events, registration, meeting requests,
// the scheduler's draft and published schedule, agendas, the day itself and
// the results. Shapes follow the server's JSON (app/event*.go).

import { http, type Query } from './client'
import type { ImportError, OrgSummary, OrgType, Page, User } from './types'

export type EventStatus = 'draft' | 'open' | 'closed' | 'finished'
export const EVENT_STATUSES: readonly EventStatus[] = ['draft', 'open', 'closed', 'finished']

/** EVENT_TRANSITIONS are the status changes the server allows. */
export const EVENT_TRANSITIONS: Readonly<Record<EventStatus, readonly EventStatus[]>> = {
  draft: ['open'],
  open: ['closed', 'draft'],
  closed: ['open', 'finished'],
  finished: [],
}

export type ParticipantStatus = 'pending' | 'approved' | 'rejected'
export const PARTICIPANT_STATUSES: readonly ParticipantStatus[] = ['pending', 'approved', 'rejected']

export type RequestStatus = 'pending' | 'accepted' | 'declined' | 'expired'
export const REQUEST_STATUSES: readonly RequestStatus[] = ['pending', 'accepted', 'declined', 'expired']

export type MeetingStatus = 'scheduled' | 'cancelled'
export type MeetingOutcome = '' | 'held' | 'no_show'

/** UNSCHEDULED_REASONS are the scheduler's reasons for leaving a request out. */
export const UNSCHEDULED_REASONS = ['no_common_slot', 'participant_cap', 'tables_full', 'outweighed', 'fits'] as const
export type UnscheduledReason = (typeof UNSCHEDULED_REASONS)[number]

/** PARTICIPANT_TYPES are the organisation types that may take part in an event. */
export const PARTICIPANT_TYPES: readonly OrgType[] = ['sme', 'enterprise', 'investor', 'institution']

/** MAX_PRIORITY caps the priority an organizer gives a request. */
export const MAX_PRIORITY = 3

/** Limits of an event, as the server checks them. */
export const EVENT_LIMITS = {
  slots: 500,
  sessions: 50,
  days: 14,
  tables: 1000,
  cap: 1000,
  minMeetingMinutes: 5,
  maxMeetingMinutes: 240,
} as const

/** EVENT_TIME_ZONE is the zone of event days and agendas (China Standard Time, UTC+8, no DST). */
export const EVENT_TIME_ZONE = 'Asia/Shanghai'
const EVENT_OFFSET = '+08:00'

/** Session is a part of an event day whose slots form one agenda; day is "YYYY-MM-DD". */
export interface Session {
  id: string
  name: string
  day: string
}

/** EventSlot is a time slot with meetings in parallel, one per table. Times are RFC 3339. */
export interface EventSlot {
  id: string
  session: string
  start: string
  end: string
  tables: number
}

/** TypePair allows organisations of type a to meet ones of type b (and b to meet a). */
export interface TypePair {
  a: OrgType
  b: OrgType
}

export interface EventInput {
  /** orgId is the organizing organisation; admins may name one, organizers get their own. */
  orgId?: string
  title: string
  description?: string
  venue?: string
  onlineUrl?: string
  days: string[]
  sessions: Session[]
  slots: EventSlot[]
  meetingMinutes: number
  registrationOpens: string
  registrationCloses: string
  requestsClose?: string | null
  participantTypes: OrgType[]
  pairs?: TypePair[]
  maxRequests?: number
  maxMeetings?: number
}

export interface Event extends EventInput {
  id: string
  orgId: string
  region?: string
  createdBy?: string
  status: EventStatus
  createdAt: string
  updatedAt: string
}

export interface Participant {
  id: string
  eventId: string
  orgId: string
  org: OrgSummary
  status: ParticipantStatus
  listingIds?: string[]
  unavailable?: string[]
  note?: string
  /** feedToken authorises the calendar feed; only members and the organizer see it. */
  feedToken?: string
  registeredBy?: string
  checkedInAt?: string
  createdAt: string
  updatedAt: string
  /** score is the matching score (0–100) for the caller's organisation, when known. */
  score?: number
}

export interface ParticipantInput {
  listingIds: string[]
  unavailable: string[]
  note?: string
}

/** ParticipantImport is the report of a participant import: counts and the bad rows (header is line 1). */
export interface ParticipantImport {
  lines: number
  created: number
  existing: number
  failed: number
  errors: ImportError[] | null
}

export interface MeetingRequest {
  id: string
  eventId: string
  fromId: string
  toId: string
  message?: string
  status: RequestStatus
  priority?: number
  recommended?: boolean
  score?: number
  createdBy?: string
  createdAt: string
  updatedAt: string
}

export interface RequestInput {
  /** fromId is the sending participant; omitted for the caller's own. */
  fromId?: string
  toId: string
  message?: string
}

export interface RecommendInput {
  /** minScore is the least matching score (0–100); default 60. */
  minScore?: number
  /** perParticipant caps the recommendations for one participant; default 3. */
  perParticipant?: number
}

export interface Rating {
  participantId: string
  stars: number
  comment?: string
  followUp: boolean
  at: string
}

/** Meeting is a scheduled 1:1 meeting between participants a and b. */
export interface Meeting {
  id: string
  request: string
  a: string
  b: string
  slot: string
  table: number
  status: MeetingStatus
  sequence: number
  outcome?: MeetingOutcome
  noShows?: string[]
  ratings?: Rating[]
  updatedAt: string
}

export interface UnscheduledRequest {
  request: string
  a: string
  b: string
  reason: UnscheduledReason | string
}

export interface ScheduleStats {
  weight: number
  breaks: number
  idle: number
  upperBound: number
  gap: number
  seconds: number
}

/** ProblemSlot is a slot as the scheduler saw it. */
export interface ProblemSlot {
  id: string
  start: string
  end: string
  session?: string
  tables: number
}

export interface ScheduleProblem {
  slots: ProblemSlot[]
  participants: { id: string; maxMeetings?: number; unavailable?: string[]; sessions?: string[] }[]
  requests: { id: string; a: string; b: string; weight: number }[]
  fixed?: { request: string; a: string; b: string; slot: string; table: number }[]
}

/** Plan is one scheduler run, as a draft to review. */
export interface Plan {
  problem: ScheduleProblem
  meetings: Meeting[]
  unscheduled: UnscheduledRequest[] | null
  stats: ScheduleStats
  seed: number
  keptPublished: boolean
  runAt: string
  moves: number
}

export interface Schedule {
  eventId: string
  version: number
  draft?: Plan
  published?: Meeting[]
  publishedAt?: string
}

export interface RunInput {
  seed?: number
  /** budgetMs caps the run's time; default 5000, at most 60000. */
  budgetMs?: number
  /** keepPublished keeps published meetings in place (default true). */
  keepPublished?: boolean
}

/** MoveInput puts request's meeting in slot at table (0: the lowest free table; slot "": take it out). */
export interface MoveInput {
  request: string
  slot: string
  table: number
}

export interface AgendaItem {
  meetingId: string
  slot: string
  session: string
  start: string
  end: string
  table: number
  status: MeetingStatus
  sequence: number
  outcome?: MeetingOutcome
  a: OrgSummary
  b: OrgSummary
  counterpart?: OrgSummary
  updatedAt: string
}

export interface Agenda {
  event: Event
  participant?: Participant
  items: AgendaItem[] | null
  publishedAt?: string
}

export interface OutcomeInput {
  outcome: Exclude<MeetingOutcome, ''>
  /** noShows names the participants who did not come (for no_show). */
  noShows?: string[]
}

export interface RatingInput {
  stars: number
  comment?: string
  followUp: boolean
  /** participantId is the rating side; omitted for the caller's own. */
  participantId?: string
}

export interface EventResults {
  participants: number
  checkedIn: number
  requests: number
  accepted: number
  scheduled: number
  held: number
  noShows: number
  ratings: number
  averageRating: number
  followUps: number
}

export interface EventFilter extends Query {
  status?: EventStatus[]
  limit?: number
  cursor?: string
}

export interface ParticipantFilter extends Query {
  q?: string
  status?: ParticipantStatus[]
  limit?: number
  cursor?: string
}

export interface RequestFilter extends Query {
  participant?: string
  status?: RequestStatus[]
  limit?: number
  cursor?: string
}

const API_BASE = '/api/v1'
const ev = (id: string) => `/events/${encodeURIComponent(id)}`
const part = (id: string, pid: string) => `${ev(id)}/participants/${encodeURIComponent(pid)}`

export const eventsApi = {
  create: (e: EventInput) => http.post<Event>('/events', e),
  list: (f: EventFilter = {}, signal?: AbortSignal) => http.get<Page<Event>>('/events', f, signal),
  get: (id: string, signal?: AbortSignal) => http.get<Event>(ev(id), undefined, signal),
  update: (id: string, e: EventInput) => http.put<Event>(ev(id), e),
  setStatus: (id: string, status: EventStatus) => http.post<Event>(`${ev(id)}/status`, { status }),

  /** register enrols the caller's organisation, or orgId (organizer). */
  register: (id: string, orgId?: string) => http.post<Participant>(`${ev(id)}/participants`, orgId ? { orgId } : {}),
  participants: (id: string, f: ParticipantFilter = {}, signal?: AbortSignal) =>
    http.get<Page<Participant>>(`${ev(id)}/participants`, f, signal),
  /** importParticipants uploads an .xlsx or .csv file (multipart field "file"). */
  importParticipants: (id: string, file: File) => http.post<ParticipantImport>(`${ev(id)}/participants/import`, uploadForm(file)),
  participant: (id: string, pid: string, signal?: AbortSignal) => http.get<Participant>(part(id, pid), undefined, signal),
  updateParticipant: (id: string, pid: string, p: ParticipantInput) => http.put<Participant>(part(id, pid), p),
  decide: (id: string, pid: string, status: ParticipantStatus) => http.post<Participant>(`${part(id, pid)}/decision`, { status }),
  checkIn: (id: string, pid: string, checkedIn: boolean) => http.post<Participant>(`${part(id, pid)}/checkin`, { checkedIn }),
  participantAgenda: (id: string, pid: string, signal?: AbortSignal) =>
    http.get<Agenda>(`${part(id, pid)}/agenda`, undefined, signal),
  /** participantAgendaHtml is the printable agenda as an HTML string (with the login's token). */
  participantAgendaHtml: (id: string, pid: string) => http.get<string>(`${part(id, pid)}/agenda.html`),
  /** participantAgendaIcs downloads the calendar file with the login's token. */
  participantAgendaIcs: (id: string, pid: string) => http.blob(`${part(id, pid)}/agenda.ics`),

  sendRequest: (id: string, r: RequestInput) => http.post<MeetingRequest>(`${ev(id)}/requests`, r),
  requests: (id: string, f: RequestFilter = {}, signal?: AbortSignal) =>
    http.get<Page<MeetingRequest>>(`${ev(id)}/requests`, f, signal),
  answer: (id: string, rid: string, status: 'accepted' | 'declined') =>
    http.post<MeetingRequest>(`${ev(id)}/requests/${encodeURIComponent(rid)}/answer`, { status }),
  priority: (id: string, rid: string, priority: number) =>
    http.post<MeetingRequest>(`${ev(id)}/requests/${encodeURIComponent(rid)}/priority`, { priority }),
  /** recommend adds accepted requests the matching engine suggests (organizer). */
  recommend: async (id: string, r: RecommendInput = {}): Promise<MeetingRequest[]> =>
    (await http.post<Page<MeetingRequest>>(`${ev(id)}/recommendations`, r)).items ?? [],

  runSchedule: (id: string, r: RunInput = {}) => http.post<Schedule>(`${ev(id)}/schedule/run`, r),
  schedule: (id: string, signal?: AbortSignal) => http.get<Schedule>(`${ev(id)}/schedule`, undefined, signal),
  move: (id: string, m: MoveInput) => http.post<Schedule>(`${ev(id)}/schedule/moves`, m),
  publish: (id: string) => http.post<Schedule>(`${ev(id)}/schedule/publish`),
  agenda: (id: string, signal?: AbortSignal) => http.get<Agenda>(`${ev(id)}/agenda`, undefined, signal),
  /** agendaHtml is the printable agenda of the whole event as an HTML string. */
  agendaHtml: (id: string) => http.get<string>(`${ev(id)}/agenda.html`),

  outcome: (id: string, mid: string, o: OutcomeInput) =>
    http.post<Meeting>(`${ev(id)}/meetings/${encodeURIComponent(mid)}/outcome`, o),
  rate: (id: string, mid: string, r: RatingInput) =>
    http.post<Meeting>(`${ev(id)}/meetings/${encodeURIComponent(mid)}/rating`, r),
  results: (id: string, signal?: AbortSignal) => http.get<EventResults>(`${ev(id)}/results`, undefined, signal),
}

/**
 * icsUrl is the calendar feed address of a participant: with its feed token
 * a calendar client can subscribe without logging in. origin defaults to the
 * page's; pass "" for a path.
 */
export function icsUrl(eventId: string, participantId: string, token?: string, origin?: string): string {
  const base = origin ?? (typeof location !== 'undefined' ? location.origin : '')
  const q = token ? `?token=${encodeURIComponent(token)}` : ''
  return `${base}${API_BASE}${part(eventId, participantId)}/agenda.ics${q}`
}

/** webcalUrl is icsUrl with the webcal: scheme calendar apps open to subscribe. */
export function webcalUrl(eventId: string, participantId: string, token: string, origin?: string): string {
  return icsUrl(eventId, participantId, token, origin).replace(/^https?:/, 'webcal:')
}

/** eventAgendaPath and participantAgendaPath are the printable agendas' API paths (for links). */
export const eventAgendaPath = (id: string) => `${API_BASE}${ev(id)}/agenda.html`
export const participantAgendaPath = (id: string, pid: string) => `${API_BASE}${part(id, pid)}/agenda.html`

/**
 * openHtml shows an HTML document fetched with the login's token (the
 * printable agendas need it) in a new tab. It opens the tab first, so the
 * browser's popup blocker sees the click.
 */
export async function openHtml(load: () => Promise<string>): Promise<void> {
  const w = window.open('', '_blank')
  try {
    const html = await load()
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }))
    if (w) w.location.href = url
    else window.open(url, '_blank')
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
  } catch (e) {
    w?.close()
    throw e
  }
}

/** runsEvent reports whether the user runs the event: a member of its organisation, or an admin of its region. */
export function runsEvent(
  user: Pick<User, 'role' | 'orgId' | 'regionScope'> | null | undefined,
  e: Pick<Event, 'orgId' | 'region'>,
): boolean {
  if (!user) return false
  if (user.role === 'admin') {
    if (!user.regionScope) return true
    return !!e.region && regionCovers(user.regionScope, e.region)
  }
  return !!user.orgId && user.orgId === e.orgId
}

/** regionCovers reports whether a 行政区划 code covers another: 330000 covers 330200 and 330203. */
export function regionCovers(scope: string, region: string): boolean {
  if (scope === region) return true
  const prefix = scope.replace(/(00)+$/, '')
  return prefix.length > 0 && prefix.length < region.length && region.startsWith(prefix)
}

/** mayCreateEvents reports whether the user may create events (organizers in an organisation, admins). */
export function mayCreateEvents(user: Pick<User, 'role' | 'orgId'> | null | undefined): boolean {
  return !!user && (user.role === 'admin' || (user.role === 'organizer' && !!user.orgId))
}

/** eventTime is an RFC 3339 time of a day ("YYYY-MM-DD") and a clock ("HH:mm") in the event zone. */
export function eventTime(day: string, clock: string): string {
  return `${day}T${clock.length === 5 ? `${clock}:00` : clock}${EVENT_OFFSET}`
}

/** eventDay and eventClock split a time into its day and "HH:mm" in the event zone. */
export function eventDay(t: string): string {
  return shifted(t).toISOString().slice(0, 10)
}

export function eventClock(t: string): string {
  return shifted(t).toISOString().slice(11, 16)
}

function shifted(t: string): Date {
  return new Date(new Date(t).getTime() + 8 * 3600_000)
}

function uploadForm(file: File): FormData {
  const form = new FormData()
  form.append('file', file, file.name)
  return form
}
