import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import AgendaPanel from './AgendaPanel.vue'
import { createAppI18n } from '@/locales'
import { fakeApi, json, problem } from '@/test/fakeApi'
import type { Agenda, AgendaItem, Participant } from '@/api/events'

const own = {
  id: 'p1',
  orgId: 'o1',
  feedToken: 'tok en',
  org: { id: 'o1', name: '本单位', orgType: 'sme', verified: true },
} as Participant
const other = { id: 'o2', name: '宁波天航汽车', orgType: 'enterprise' as const, verified: true }
const item = (id: string, start: string, end: string, extra: Partial<AgendaItem> = {}): AgendaItem => ({
  meetingId: id,
  slot: id,
  session: '上午场',
  start,
  end,
  table: 3,
  status: 'scheduled',
  sequence: 0,
  a: own.org,
  b: other,
  counterpart: other,
  updatedAt: '',
  ...extra,
})
const agenda = (items: AgendaItem[], publishedAt?: string) =>
  ({ event: {}, participant: own, items, publishedAt }) as unknown as Agenda
const NOW = Date.parse('2027-03-02T02:00:00Z')
const settle = async () => {
  await new Promise((r) => setTimeout(r, 120))
  await flushPromises()
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

function mountIt(a: Agenda) {
  return mount(AgendaPanel, {
    props: { eventId: 'e1', own, agenda: a, now: NOW },
    global: { plugins: [createAppI18n('zh-CN')] },
    attachTo: document.body,
  })
}

describe('AgendaPanel', () => {
  it('says when the agenda is not published', () => {
    const w = mountIt(agenda([]))
    expect(w.find('[data-test="agenda-unpublished"]').exists()).toBe(true)
    expect(w.find('[data-test="agenda-ics"]').exists()).toBe(false)
  })

  it('lists the meetings in China time with the calendar link carrying the feed token', () => {
    const w = mountIt(
      agenda(
        [
          item('m2', '2027-03-02T06:00:00Z', '2027-03-02T06:20:00Z', { session: '下午场', status: 'cancelled' }),
          item('m1', '2027-03-02T01:00:00Z', '2027-03-02T01:20:00Z'),
        ],
        '2027-02-20T00:00:00Z',
      ),
    )
    const rows = w.findAll('[data-test="agenda-item"]')
    expect(rows.map((r) => r.attributes('data-meeting'))).toEqual(['m1', 'm2'])
    expect(rows[0]!.text()).toContain('09:00–09:20')
    expect(rows[0]!.text()).toContain('3 号桌')
    expect(rows[0]!.text()).toContain('宁波天航汽车')
    expect(rows[1]!.classes()).toContain('cancelled')
    expect(w.find('[data-test="agenda-ics"]').attributes('href')).toBe(
      '/api/v1/events/e1/participants/p1/agenda.ics?token=tok%20en',
    )
    // Only the meeting that took place and has ended may be rated.
    expect(rows[0]!.find('[data-test="agenda-rate"]').exists()).toBe(true)
    expect(rows[1]!.find('[data-test="agenda-rate"]').exists()).toBe(false)
  })

  it('rates a meeting: stars are required, the API’s errors stand beside the fields', async () => {
    const api = fakeApi({
      'POST /events/e1/meetings/m1/rating': (_c, n) =>
        n === 1
          ? problem(422, 'invalid', [{ field: 'comment', code: 'too_long', message: 'is too long' }])
          : json(200, { id: 'm1' }),
    })
    vi.stubGlobal('fetch', api.fetch)
    const w = mountIt(agenda([item('m1', '2027-03-02T01:00:00Z', '2027-03-02T01:20:00Z')], '2027-02-20T00:00:00Z'))
    await w.find('[data-test="agenda-rate"]').trigger('click')
    await settle()
    const dialog = () => document.querySelector('[data-test="rating-dialog"]') as HTMLElement
    ;(dialog().querySelector('[data-test="rating-submit"]') as HTMLElement).click()
    await settle()
    expect(api.calls).toHaveLength(0)
    expect(dialog().querySelector('[data-field="stars"]')?.classList.contains('is-error')).toBe(true)
    ;(dialog().querySelectorAll('.el-rate__item')[3] as HTMLElement).click()
    await settle()
    ;(dialog().querySelector('[data-test="rating-submit"]') as HTMLElement).click()
    await settle()
    expect(api.calls[0]!.body).toEqual({ stars: 4, followUp: false })
    expect(dialog().querySelector('[data-field="comment"]')?.classList.contains('is-error')).toBe(true)
    ;(dialog().querySelector('[data-test="rating-submit"]') as HTMLElement).click()
    await settle()
    expect(api.calls).toHaveLength(2)
    expect(w.find('[data-test="agenda-rate"]').exists()).toBe(false)
  })
})
