import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ScheduleBoard from './ScheduleBoard.vue'
import { createAppI18n } from '@/locales'
import { fakeApi, json, problem } from '@/test/fakeApi'
import { useParticipants } from '@/events/useParticipants'
import type { Event, Meeting, Schedule } from '@/api/events'

afterEach(() => vi.unstubAllGlobals())

const slots = [
  { id: 'am1', session: 'am', start: '2027-03-02T01:00:00Z', end: '2027-03-02T01:20:00Z', tables: 2 },
  { id: 'am2', session: 'am', start: '2027-03-02T01:20:00Z', end: '2027-03-02T01:40:00Z', tables: 1 },
]
const event = { id: 'e1', title: '洽谈会', slots, status: 'closed' } as unknown as Event
const meeting = (id: string, a: string, b: string, slot: string, table: number): Meeting => ({
  id,
  request: `r-${id}`,
  a,
  b,
  slot,
  table,
  status: 'scheduled',
  sequence: 0,
  updatedAt: '',
})
const schedule = (meetings: Meeting[]): Schedule => ({
  eventId: 'e1',
  version: 1,
  draft: {
    problem: { slots, participants: [], requests: [] },
    meetings,
    unscheduled: [{ request: 'r9', a: 'p1', b: 'p4', reason: 'tables_full' }],
    stats: { weight: 2, breaks: 0, idle: 0, upperBound: 2, gap: 0, seconds: 0.1 },
    seed: 1,
    keptPublished: true,
    runAt: '',
    moves: 0,
  },
})
const org = (id: string, name: string) => ({
  id,
  eventId: 'e1',
  orgId: `o${id}`,
  org: { id: `o${id}`, name, orgType: 'sme', verified: true },
  status: 'approved',
})

async function mountBoard(routes: Parameters<typeof fakeApi>[0]) {
  const api = fakeApi({
    'GET /events/e1/participants': () =>
      json(200, { items: [org('p1', '甲公司'), org('p2', '乙公司'), org('p3', '丙公司'), org('p4', '丁公司')] }),
    ...routes,
  })
  vi.stubGlobal('fetch', api.fetch)
  const participants = useParticipants(() => 'e1')
  await participants.load()
  const w = mount(ScheduleBoard, {
    props: { event, participants },
    global: { plugins: [createAppI18n('zh-CN')] },
    attachTo: document.body,
  })
  await flushPromises()
  return { w, api }
}

describe('ScheduleBoard', () => {
  const ms = [meeting('m1', 'p1', 'p2', 'am1', 1), meeting('m2', 'p3', 'p4', 'am2', 1)]

  it('lays the draft out on slots × tables with both sides named', async () => {
    const { w } = await mountBoard({ 'GET /events/e1/schedule': () => json(200, schedule(ms)) })
    const rows = w.findAll('[data-testid="schedule-grid"] tbody tr')
    expect(rows.map((r) => r.attributes('data-slot'))).toEqual(['am1', 'am2'])
    expect(rows[0]!.findAll('td').map((c) => c.classes().includes('busy'))).toEqual([true, false])
    expect(rows[1]!.findAll('td')[1]!.classes()).toContain('none')
    expect(rows[0]!.find('[data-meeting="m1"]').text()).toContain('甲公司')
    expect(rows[0]!.find('[data-meeting="m1"]').text()).toContain('乙公司')
    expect(w.find('[data-testid="schedule-unscheduled"]').text()).toContain('共同时段的桌位已满')
  })

  it('shows the scheduler reason of a refused drag and changes nothing', async () => {
    const { w, api } = await mountBoard({
      'GET /events/e1/schedule': () => json(200, schedule(ms)),
      'POST /events/e1/schedule/moves': () =>
        problem(409, 'conflict', [{ field: 'table', code: 'table_taken', message: 'table 1 of slot am2 is taken' }]),
    })
    await w.find('[data-meeting="m1"]').trigger('dragstart')
    await w.find('tr[data-slot="am2"] td[data-table="1"]').trigger('drop')
    await flushPromises()
    expect(api.calls.at(-1)!.body).toEqual({ request: 'r-m1', slot: 'am2', table: 1 })
    const alert = w.find('[data-testid="schedule-move-error"]')
    expect(alert.attributes('data-code')).toBe('table_taken')
    expect(alert.text()).toContain('该桌已被其他洽谈占用')
    expect(alert.text()).toContain('table 1 of slot am2 is taken')
    expect(w.find('tr[data-slot="am1"] [data-meeting="m1"]').exists()).toBe(true)
  })

  it('moves a selected meeting with the buttons and shows the new draft', async () => {
    const { w, api } = await mountBoard({
      'GET /events/e1/schedule': () => json(200, schedule(ms)),
      'POST /events/e1/schedule/moves': () => json(200, schedule([meeting('m1', 'p1', 'p2', 'am1', 2), ms[1]!])),
    })
    await w.find('[data-meeting="m1"]').trigger('click')
    expect(w.find('[data-meeting="m1"]').attributes('aria-pressed')).toBe('true')
    await w.find('[data-testid="schedule-move"]').trigger('click')
    await flushPromises()
    expect(api.calls.at(-1)!.body).toEqual({ request: 'r-m1', slot: 'am1', table: 0 })
    expect(w.find('tr[data-slot="am1"] td[data-table="2"] [data-meeting="m1"]').exists()).toBe(true)
    expect(w.find('[data-testid="schedule-move-panel"]').exists()).toBe(false)
  })

  it('says a move to the same place needs no request', async () => {
    const { w, api } = await mountBoard({ 'GET /events/e1/schedule': () => json(200, schedule(ms)) })
    const before = api.calls.length
    await w.find('[data-meeting="m1"]').trigger('dragstart')
    await w.find('tr[data-slot="am1"] td[data-table="1"]').trigger('drop')
    await flushPromises()
    expect(api.calls.length).toBe(before)
    expect(w.find('[data-testid="schedule-move-error"]').attributes('data-code')).toBe('same_place')
  })

  it('shows the empty state before the first run', async () => {
    const { w } = await mountBoard({})
    expect(w.text()).toContain('尚未排期')
    expect(w.find('[data-testid="schedule-grid"]').exists()).toBe(false)
  })
})
