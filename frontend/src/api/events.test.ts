import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  eventClock,
  eventDay,
  eventTime,
  eventsApi,
  icsUrl,
  mayCreateEvents,
  openHtml,
  regionCovers,
  runsEvent,
  webcalUrl,
} from './events'
import { fakeApi, json } from '@/test/fakeApi'

afterEach(() => vi.unstubAllGlobals())

describe('events API', () => {
  it('lists events with their statuses joined and sends a decision', async () => {
    const api = fakeApi({
      'GET /events': () => json(200, { items: [] }),
      'POST /events/e1/participants/p%201/decision': () => json(200, { id: 'p 1', status: 'approved' }),
    })
    vi.stubGlobal('fetch', api.fetch)
    await eventsApi.list({ status: ['open', 'closed'], limit: 20 })
    expect(api.calls[0]!.path).toBe('/events?status=open%2Cclosed&limit=20')
    const p = await eventsApi.decide('e1', 'p 1', 'approved')
    expect(p.status).toBe('approved')
    expect(api.calls[1]!.body).toEqual({ status: 'approved' })
  })

  it('answers recommendations with their items', async () => {
    const api = fakeApi({ 'POST /events/e1/recommendations': () => json(200, { items: [{ id: 'r1' }] }) })
    vi.stubGlobal('fetch', api.fetch)
    expect((await eventsApi.recommend('e1', { minScore: 70 })).map((r) => r.id)).toEqual(['r1'])
  })
})

describe('event helpers', () => {
  it('builds the calendar feed address with its token', () => {
    expect(icsUrl('e1', 'p1', 'a b', 'https://x.cn')).toBe('https://x.cn/api/v1/events/e1/participants/p1/agenda.ics?token=a%20b')
    expect(icsUrl('e1', 'p1', undefined, '')).toBe('/api/v1/events/e1/participants/p1/agenda.ics')
    expect(webcalUrl('e1', 'p1', 't', 'https://x.cn')).toBe('webcal://x.cn/api/v1/events/e1/participants/p1/agenda.ics?token=t')
  })

  it('converts event-zone days and clocks to RFC 3339 and back', () => {
    const t = eventTime('2027-03-02', '09:30')
    expect(t).toBe('2027-03-02T09:30:00+08:00')
    expect(eventDay('2027-03-01T16:30:00Z')).toBe('2027-03-02')
    expect(eventClock('2027-03-01T16:30:00Z')).toBe('00:30')
    expect(eventClock(t)).toBe('09:30')
  })

  it('tells who runs an event as the server does', () => {
    const e = { orgId: 'o1', region: '330203' }
    expect(runsEvent({ role: 'organizer', orgId: 'o1' }, e)).toBe(true)
    expect(runsEvent({ role: 'sme', orgId: 'o1' }, e)).toBe(true)
    expect(runsEvent({ role: 'organizer', orgId: 'o2' }, e)).toBe(false)
    expect(runsEvent({ role: 'admin' }, e)).toBe(true)
    expect(runsEvent({ role: 'admin', regionScope: '330200' }, e)).toBe(true)
    expect(runsEvent({ role: 'admin', regionScope: '330100' }, e)).toBe(false)
    expect(runsEvent({ role: 'admin', regionScope: '330200' }, { orgId: '', region: '' })).toBe(false)
    expect(runsEvent(null, e)).toBe(false)
    expect(regionCovers('330000', '330203')).toBe(true)
    expect(regionCovers('330200', '330100')).toBe(false)
    expect(mayCreateEvents({ role: 'organizer', orgId: 'o1' })).toBe(true)
    expect(mayCreateEvents({ role: 'organizer' })).toBe(false)
    expect(mayCreateEvents({ role: 'sme', orgId: 'o1' })).toBe(false)
  })
})

describe('openHtml', () => {
  it('writes the page into the tab it opened and binds its print button', async () => {
    const doc = document.implementation.createHTMLDocument('')
    const print = vi.fn()
    const tab = { document: doc, print, close: vi.fn() }
    vi.stubGlobal('open', vi.fn(() => tab))
    await openHtml(async () => '<!doctype html><html><body><button id="print">打印日程</button></body></html>')
    doc.getElementById('print')!.click()
    expect(print).toHaveBeenCalledOnce()
  })

  it('closes the tab when the page cannot be loaded', async () => {
    const tab = { document: document.implementation.createHTMLDocument(''), print: vi.fn(), close: vi.fn() }
    vi.stubGlobal('open', vi.fn(() => tab))
    await expect(openHtml(async () => Promise.reject(new Error('403')))).rejects.toThrow('403')
    expect(tab.close).toHaveBeenCalledOnce()
  })
})
