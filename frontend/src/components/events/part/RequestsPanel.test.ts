import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import RequestsPanel from './RequestsPanel.vue'
import { createAppI18n } from '@/locales'
import { fakeApi, json } from '@/test/fakeApi'
import type { MeetingRequest, Participant } from '@/api/events'

const own = { id: 'me', orgId: 'o-me', org: { id: 'o-me', name: '本单位', orgType: 'sme', verified: true } } as Participant
const req = (id: string, fromId: string, toId: string, status: MeetingRequest['status'], extra: Partial<MeetingRequest> = {}) =>
  ({ id, eventId: 'e1', fromId, toId, status, createdAt: '2027-01-01T00:00:00Z', updatedAt: '', ...extra }) as MeetingRequest
const names = new Map([
  ['a', '甲公司'],
  ['b', '乙公司'],
])

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

describe('RequestsPanel', () => {
  it('offers accept and decline on a pending received request only, and sends the answer', async () => {
    const api = fakeApi({ 'POST /events/e1/requests/r1/answer': () => json(200, req('r1', 'a', 'me', 'accepted')) })
    vi.stubGlobal('fetch', api.fetch)
    const w = mount(RequestsPanel, {
      props: {
        eventId: 'e1',
        own,
        names,
        requests: [
          req('r1', 'a', 'me', 'pending', { priority: 2 }),
          req('r2', 'me', 'b', 'pending'),
          req('r3', 'b', 'me', 'expired'),
        ],
      },
      global: { plugins: [createAppI18n('zh-CN')] },
    })
    const received = w.find('[data-test="requests-received"]')
    const sent = w.find('[data-test="requests-sent"]')
    expect(received.findAll('li').map((li) => li.attributes('data-request'))).toEqual(['r1', 'r3'])
    expect(received.find('[data-request="r1"]').text()).toContain('甲公司')
    expect(received.find('[data-request="r1"]').text()).toContain('主办方优先级 2')
    expect(received.find('[data-request="r3"] [data-test="request-accept"]').exists()).toBe(false)
    expect(sent.find('[data-request="r2"] [data-test="request-status"]').text()).toBe('待答复')
    expect(sent.find('[data-test="request-accept"]').exists()).toBe(false)

    await received.find('[data-request="r1"] [data-test="request-accept"]').trigger('click')
    await flushPromises()
    expect(api.calls[0]!.body).toEqual({ status: 'accepted' })
    expect(w.emitted('answered')?.[0]?.[0]).toMatchObject({ id: 'r1', status: 'accepted' })
  })

  it('says when there is nothing to show', () => {
    const w = mount(RequestsPanel, {
      props: { eventId: 'e1', own, names, requests: [] },
      global: { plugins: [createAppI18n('zh-CN')] },
    })
    expect(w.text()).toContain('暂未收到洽谈邀约')
    expect(w.text()).toContain('暂未发出洽谈邀约')
  })
})
