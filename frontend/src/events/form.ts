// The event form's model: days, sessions and slots as the organizer edits
// them (slot times as clocks on their session's day), and its conversion to
// and from the API's event.

import { eventClock, eventDay, eventTime, type Event, type EventInput } from '@/api/events'
import type { OrgType } from '@/api/types'

export interface SlotRow {
  id: string
  session: string
  /** start and end are "HH:mm" on the session's day. */
  start: string
  end: string
  tables: number
}

export interface EventForm {
  title: string
  description: string
  venue: string
  onlineUrl: string
  meetingMinutes: number
  days: string[]
  sessions: { id: string; name: string; day: string }[]
  slots: SlotRow[]
  registrationOpens: string
  registrationCloses: string
  requestsClose: string
  participantTypes: OrgType[]
  pairs: { a: OrgType; b: OrgType }[]
  maxRequests: number
  maxMeetings: number
}

/** clockAdd adds minutes to an "HH:mm" clock, stopping at 23:59. */
export function clockAdd(clock: string, minutes: number): string {
  const [h, m] = clock.split(':').map(Number)
  const total = Math.min((h || 0) * 60 + (m || 0) + minutes, 23 * 60 + 59)
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`
}

/** isoDay is the day n days after d ("YYYY-MM-DD", in the event zone). */
export function isoDay(d: Date, n = 0): string {
  return eventDay(new Date(d.getTime() + n * 86_400_000).toISOString())
}

/** newEventForm is a sensible start: one day a month after now, a morning of three 20-minute slots at five tables. */
export function newEventForm(now: Date): EventForm {
  const day = isoDay(now, 30)
  const f: EventForm = {
    title: '',
    description: '',
    venue: '',
    onlineUrl: '',
    meetingMinutes: 20,
    days: [day],
    sessions: [{ id: 'am', name: '', day }],
    slots: [],
    registrationOpens: now.toISOString(),
    registrationCloses: eventTime(isoDay(now, 27), '00:00'),
    requestsClose: '',
    participantTypes: ['sme', 'enterprise', 'investor'],
    pairs: [],
    maxRequests: 10,
    maxMeetings: 8,
  }
  for (let i = 0; i < 3; i++) addSlot(f, 'am')
  return f
}

/** addSlot appends a slot to a session, right after its last one (09:00 for the first), a meeting long. */
export function addSlot(f: EventForm, session: string): SlotRow {
  const mine = f.slots.filter((s) => s.session === session)
  const last = mine[mine.length - 1]
  const start = last ? last.end : '09:00'
  const used = new Set(f.slots.map((s) => s.id))
  let n = mine.length + 1
  while (used.has(`${session}${n}`)) n++
  const row = { id: `${session}${n}`, session, start, end: clockAdd(start, f.meetingMinutes), tables: last?.tables ?? 5 }
  f.slots.push(row)
  return row
}

/** toInput is the API's event for the form. */
export function toInput(f: EventForm): EventInput {
  const dayOf = new Map(f.sessions.map((s) => [s.id, s.day]))
  return {
    title: f.title,
    description: f.description || undefined,
    venue: f.venue || undefined,
    onlineUrl: f.onlineUrl || undefined,
    meetingMinutes: f.meetingMinutes,
    days: [...f.days],
    sessions: f.sessions.map((s) => ({ ...s })),
    slots: f.slots.map((s) => {
      const day = dayOf.get(s.session) ?? f.days[0] ?? ''
      return { id: s.id, session: s.session, start: eventTime(day, s.start), end: eventTime(day, s.end), tables: s.tables }
    }),
    registrationOpens: f.registrationOpens,
    registrationCloses: f.registrationCloses,
    requestsClose: f.requestsClose || undefined,
    participantTypes: [...f.participantTypes],
    pairs: f.pairs.map((p) => ({ ...p })),
    maxRequests: f.maxRequests,
    maxMeetings: f.maxMeetings,
  }
}

/** fromEvent is the form of a stored event. */
export function fromEvent(e: Event): EventForm {
  return {
    title: e.title,
    description: e.description ?? '',
    venue: e.venue ?? '',
    onlineUrl: e.onlineUrl ?? '',
    meetingMinutes: e.meetingMinutes,
    days: [...(e.days ?? [])],
    sessions: (e.sessions ?? []).map((s) => ({ ...s })),
    slots: (e.slots ?? []).map((s) => ({
      id: s.id,
      session: s.session,
      start: eventClock(s.start),
      end: eventClock(s.end),
      tables: s.tables,
    })),
    registrationOpens: e.registrationOpens,
    registrationCloses: e.registrationCloses,
    requestsClose: e.requestsClose ?? '',
    participantTypes: [...(e.participantTypes ?? [])],
    pairs: (e.pairs ?? []).map((p) => ({ ...p })),
    maxRequests: e.maxRequests ?? 0,
    maxMeetings: e.maxMeetings ?? 0,
  }
}

/** formFields lists where the form shows field errors, item by item, for useFormErrors. */
export function formFields(f: EventForm): string[] {
  const out = [
    'title',
    'description',
    'venue',
    'onlineUrl',
    'meetingMinutes',
    'days',
    'sessions',
    'slots',
    'registrationOpens',
    'registrationCloses',
    'requestsClose',
    'participantTypes',
    'pairs',
    'maxRequests',
    'maxMeetings',
    'orgId',
  ]
  f.days.forEach((_, i) => out.push(`days[${i}]`))
  f.sessions.forEach((_, i) => out.push(...['id', 'name', 'day'].map((k) => `sessions[${i}].${k}`), `sessions[${i}]`))
  f.slots.forEach((_, i) =>
    out.push(...['id', 'session', 'start', 'end', 'tables'].map((k) => `slots[${i}].${k}`), `slots[${i}]`),
  )
  f.pairs.forEach((_, i) => out.push(`pairs[${i}].a`, `pairs[${i}].b`, `pairs[${i}]`))
  return out
}
