import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ParticipantBrowser from './ParticipantBrowser.vue'
import { createAppI18n } from '@/locales'
import { fakeApi, json } from '@/test/fakeApi'
import { requestsByCounterpart } from '@/events/participant'
import type { Event, MeetingRequest, Participant } from '@/api/events'
import type { OrgType } from '@/api/types'

const p = (id: string, name: string, orgType: OrgType, score?: number): Participant => ({
  id,
  eventId: 'e1',
  orgId: `o-${id}`,
  org: { id: `o-${id}`, name, orgType, verified: true },
  status: 'approved',
  createdAt: '',
  updatedAt: '',
  score,
})
const own = p('me', '本单位', 'sme')
const ps = [own, p('a', '甲压铸', 'sme', 90), p('b', '乙汽车', 'enterprise', 60), p('c', '丙汽车', 'enterprise')]
const event = { id: 'e1', pairs: [{ a: 'enterprise', b: 'sme' }] } as unknown as Event
const sent = {
  id: 'r1',
  eventId: 'e1',
  fromId: 'me',
  toId: 'c',
  status: 'pending',
  createdAt: '',
  updatedAt: '',
} as MeetingRequest

beforeEach(() => {
  setActivePinia(createPinia())
  vi.stubGlobal('fetch', fakeApi({ 'GET /ref/industries': () => json(200, []), 'GET /ref/regions': () => json(200, []) }).fetch)
})
afterEach(() => vi.unstubAllGlobals())

describe('ParticipantBrowser', () => {
  it('ranks the others by score and offers a request only where the event allows one and none stands', async () => {
    const w = mount(ParticipantBrowser, {
      props: { event, participants: ps, own, requests: requestsByCounterpart([sent], 'me') },
      global: { plugins: [createAppI18n('zh-CN')], stubs: { RouterLink: RouterLinkStub } },
    })
    await flushPromises()
    const rows = w.findAll('[data-participant]')
    expect(rows.map((r) => r.attributes('data-participant'))).toEqual(['a', 'b', 'c'])
    expect(rows[0]!.find('[data-test="participant-score"]').attributes('aria-valuenow')).toBe('90')
    // SMEs do not meet SMEs at this event.
    expect(rows[0]!.find('[data-test="request-meeting"]').exists()).toBe(false)
    expect(rows[0]!.text()).toContain('本场活动不安排此类洽谈')
    expect(rows[2]!.find('[data-test="request-state"]').attributes('data-status')).toBe('pending')
    await rows[1]!.find('[data-test="request-meeting"]').trigger('click')
    expect(w.emitted('request')?.[0]?.[0]).toMatchObject({ id: 'b' })
  })

  it('narrows the list by name', async () => {
    const w = mount(ParticipantBrowser, {
      props: { event, participants: ps, own, requests: new Map() },
      global: { plugins: [createAppI18n('zh-CN')], stubs: { RouterLink: RouterLinkStub } },
    })
    await w.find('input[data-test="filter-name"]').setValue('汽车')
    expect(w.findAll('[data-participant]').map((r) => r.attributes('data-participant'))).toEqual(['b', 'c'])
    await w.find('input[data-test="filter-name"]').setValue('不存在')
    expect(w.find('[data-test="participant-list"]').exists()).toBe(false)
    expect(w.text()).toContain('没有符合条件的参会单位')
  })
})
