import { describe, expect, it } from 'vitest'
import type { AgendaItem, MeetingRequest, Participant } from '@/api/events'
import type { OrgType } from '@/api/types'
import {
  codeWithin,
  emptyFilter,
  facetValues,
  fetchAll,
  filterParticipants,
  groupAgenda,
  mayMeet,
  mayRate,
  ownParticipant,
  registrationOpen,
  requestView,
  requestsByCounterpart,
  splitRequests,
} from './participant'

function part(id: string, name: string, orgType: OrgType, extra: Partial<Participant['org']> = {}, score?: number): Participant {
  return {
    id,
    eventId: 'e1',
    orgId: `o-${id}`,
    org: { id: `o-${id}`, name, orgType, verified: true, ...extra },
    status: 'approved',
    createdAt: '2027-01-01T00:00:00Z',
    updatedAt: '2027-01-01T00:00:00Z',
    score,
  }
}

const PS = [
  part('me', '本单位', 'sme', { industry: '3391', region: '330206' }),
  part('a', '宁波压铸科技', 'sme', { industry: '3391', region: '330206', ref: 'demo-sme-0002' }, 40),
  part('b', '浙江汽车集团', 'enterprise', { industry: '3670', region: '330100' }, 88.5),
  part('c', '甬江创投', 'investor', { region: '330203' }),
  part('d', '杭州精工', 'sme', { industry: '3399', region: '330106' }, 72),
]

describe('participant filtering', () => {
  it('leaves out the own organisation and ranks by score, unscored last', () => {
    expect(filterParticipants(PS, emptyFilter(), 'o-me').map((p) => p.id)).toEqual(['b', 'd', 'a', 'c'])
  })
  it('filters by name or ref, case-insensitively', () => {
    expect(filterParticipants(PS, { ...emptyFilter(), name: '压铸' }, 'o-me').map((p) => p.id)).toEqual(['a'])
    expect(filterParticipants(PS, { ...emptyFilter(), name: 'DEMO-SME' }, 'o-me').map((p) => p.id)).toEqual(['a'])
    expect(filterParticipants(PS, { ...emptyFilter(), name: '  ' }, 'o-me')).toHaveLength(4)
  })
  it('filters by kind, and by industry and region at or below the chosen code', () => {
    expect(filterParticipants(PS, { ...emptyFilter(), kind: 'sme' }, 'o-me').map((p) => p.id)).toEqual(['d', 'a'])
    expect(filterParticipants(PS, { ...emptyFilter(), industry: '339' }, 'o-me').map((p) => p.id)).toEqual(['d', 'a'])
    expect(filterParticipants(PS, { ...emptyFilter(), region: '330200' }, 'o-me').map((p) => p.id)).toEqual(['a', 'c'])
    expect(filterParticipants(PS, { ...emptyFilter(), region: '330000', kind: 'investor' }, 'o-me').map((p) => p.id)).toEqual([
      'c',
    ])
  })
  it('matches codes by level', () => {
    expect(codeWithin('330206', '330200')).toBe(true)
    expect(codeWithin('330206', '330000')).toBe(true)
    expect(codeWithin('330106', '330200')).toBe(false)
    expect(codeWithin('3391', '33')).toBe(true)
    expect(codeWithin(undefined, '33')).toBe(false)
    expect(codeWithin(undefined, '')).toBe(true)
  })
  it('lists facet values once, sorted', () => {
    expect(facetValues(PS, (p) => p.org.orgType)).toEqual(['enterprise', 'investor', 'sme'])
    expect(facetValues(PS, (p) => p.org.industry)).toEqual(['3391', '3399', '3670'])
  })
  it('finds the own registration by organisation', () => {
    expect(ownParticipant(PS, 'o-me')?.id).toBe('me')
    expect(ownParticipant(PS, undefined)).toBeUndefined()
    expect(ownParticipant(PS, 'o-x')).toBeUndefined()
  })
  it('follows the event’s who-meets-whom rules', () => {
    const e = { pairs: [{ a: 'enterprise' as OrgType, b: 'sme' as OrgType }] }
    expect(mayMeet(e, 'sme', 'enterprise')).toBe(true)
    expect(mayMeet(e, 'sme', 'sme')).toBe(false)
    expect(mayMeet({ pairs: [] }, 'sme', 'sme')).toBe(true)
  })
})

function req(
  id: string,
  fromId: string,
  toId: string,
  status: MeetingRequest['status'],
  extra: Partial<MeetingRequest> = {},
): MeetingRequest {
  return { id, eventId: 'e1', fromId, toId, status, createdAt: `2027-01-0${id.length}T00:00:00Z`, updatedAt: '', ...extra }
}

describe('request state', () => {
  it('lets the receiver answer a pending request, not the sender', () => {
    const r = req('r1', 'a', 'me', 'pending')
    expect(requestView(r, 'me')).toMatchObject({ direction: 'received', counterpartId: 'a', canAnswer: true, canDecline: true })
    expect(requestView(r, 'a')).toMatchObject({ direction: 'sent', counterpartId: 'me', canAnswer: false, canDecline: false })
  })
  it('lets either side decline a standing recommendation, nothing else once answered', () => {
    const rec = req('r2', 'me', 'b', 'accepted', { recommended: true })
    expect(requestView(rec, 'me')).toMatchObject({ canAnswer: false, canDecline: true })
    expect(requestView(rec, 'b')).toMatchObject({ canAnswer: false, canDecline: true })
    expect(requestView(req('r3', 'a', 'me', 'accepted'), 'me')).toMatchObject({ canAnswer: false, canDecline: false })
    expect(requestView(req('r4', 'a', 'me', 'expired'), 'me')).toMatchObject({ canAnswer: false, canDecline: false })
  })
  it('indexes requests by the other side, a sent one winning over a received one', () => {
    const m = requestsByCounterpart(
      [req('r1', 'a', 'me', 'pending'), req('r22', 'me', 'a', 'declined'), req('r333', 'c', 'me', 'accepted')],
      'me',
    )
    expect(m.get('a')).toMatchObject({ direction: 'sent', status: 'declined' })
    expect(m.get('c')).toMatchObject({ direction: 'received', status: 'accepted' })
    expect(m.has('b')).toBe(false)
  })
  it('splits requests into received (answerable first) and sent', () => {
    const { received, sent } = splitRequests(
      [req('r1', 'a', 'me', 'accepted'), req('r22', 'c', 'me', 'pending'), req('r333', 'me', 'b', 'pending')],
      'me',
    )
    expect(received.map((v) => v.request.id)).toEqual(['r22', 'r1'])
    expect(sent.map((v) => v.request.id)).toEqual(['r333'])
  })
})

function item(
  id: string,
  start: string,
  end: string,
  session: string,
  table: number,
  extra: Partial<AgendaItem> = {},
): AgendaItem {
  const org = { id: 'o', name: 'x', orgType: 'sme' as OrgType, verified: true }
  return {
    meetingId: id,
    slot: id,
    session,
    start,
    end,
    table,
    status: 'scheduled',
    sequence: 0,
    a: org,
    b: org,
    updatedAt: '',
    ...extra,
  }
}

describe('agenda grouping', () => {
  it('groups by day (in China time) and session, in time order, with clock times', () => {
    const days = groupAgenda([
      item('m3', '2027-03-02T06:00:00Z', '2027-03-02T06:20:00Z', '下午场', 2),
      item('m1', '2027-03-02T01:00:00Z', '2027-03-02T01:20:00Z', '上午场', 5),
      item('m2', '2027-03-02T01:20:00Z', '2027-03-02T01:40:00Z', '上午场', 1),
      // 00:30 on 3 March in China is still 2 March in UTC.
      item('m4', '2027-03-02T16:30:00Z', '2027-03-02T16:50:00Z', '次日早场', 1),
    ])
    expect(days.map((d) => d.day)).toEqual(['2027-03-02', '2027-03-03'])
    expect(days[0].sessions.map((s) => s.name)).toEqual(['上午场', '下午场'])
    expect(days[0].sessions[0].items.map((i) => [i.meetingId, i.from, i.until])).toEqual([
      ['m1', '09:00', '09:20'],
      ['m2', '09:20', '09:40'],
    ])
    expect(days[1].sessions[0].items[0].from).toBe('00:30')
  })
  it('is empty for no items', () => {
    expect(groupAgenda(null)).toEqual([])
  })
  it('offers a rating only after a meeting that took place', () => {
    const it0 = item('m1', '2027-03-02T01:00:00Z', '2027-03-02T01:20:00Z', 'am', 1)
    const after = Date.parse('2027-03-02T01:20:00Z')
    expect(mayRate(it0, after - 1)).toBe(false)
    expect(mayRate(it0, after)).toBe(true)
    expect(mayRate({ ...it0, outcome: 'no_show' }, after)).toBe(false)
    expect(mayRate({ ...it0, status: 'cancelled' }, after)).toBe(false)
  })
})

describe('registration window and paging', () => {
  it('is open only while the event is open and within its window', () => {
    const e = { status: 'open' as const, registrationOpens: '2027-01-01T00:00:00Z', registrationCloses: '2027-02-01T00:00:00Z' }
    expect(registrationOpen(e, Date.parse('2027-01-15T00:00:00Z'))).toBe(true)
    expect(registrationOpen(e, Date.parse('2027-02-01T00:00:00Z'))).toBe(false)
    expect(registrationOpen({ ...e, status: 'closed' }, Date.parse('2027-01-15T00:00:00Z'))).toBe(false)
  })
  it('pages through every page', async () => {
    const pages: Record<string, { items: number[]; nextCursor?: string }> = {
      '': { items: [1, 2], nextCursor: 'x' },
      x: { items: [3], nextCursor: 'y' },
      y: { items: [] },
    }
    const seen: string[] = []
    const all = await fetchAll(async (c) => {
      seen.push(c ?? '')
      return pages[c ?? '']
    })
    expect(all).toEqual([1, 2, 3])
    expect(seen).toEqual(['', 'x', 'y'])
  })
})
