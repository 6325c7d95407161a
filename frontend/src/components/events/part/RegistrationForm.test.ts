import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import RegistrationForm from './RegistrationForm.vue'
import { createAppI18n } from '@/locales'
import { useAuthStore } from '@/stores/auth'
import { fakeApi, json, problem } from '@/test/fakeApi'
import type { Event, Participant } from '@/api/events'

const event = {
  id: 'e1',
  orgId: 'org-o',
  title: '洽谈会',
  days: ['2027-03-02'],
  sessions: [{ id: 'am', name: '上午场', day: '2027-03-02' }],
  slots: [
    { id: 'am1', session: 'am', start: '2027-03-02T01:00:00Z', end: '2027-03-02T01:20:00Z', tables: 4 },
    { id: 'am2', session: 'am', start: '2027-03-02T01:20:00Z', end: '2027-03-02T01:40:00Z', tables: 4 },
  ],
  meetingMinutes: 20,
  registrationOpens: '2027-01-01T00:00:00Z',
  registrationCloses: '2027-02-01T00:00:00Z',
  participantTypes: ['sme', 'enterprise'],
  status: 'open',
  createdAt: '',
  updatedAt: '',
} as Event

const participant = (extra: Partial<Participant> = {}): Participant => ({
  id: 'p1',
  eventId: 'e1',
  orgId: 'org-1',
  org: { id: 'org-1', name: '宁波压铸', orgType: 'sme', verified: true },
  status: 'pending',
  createdAt: '',
  updatedAt: '',
  ...extra,
})

beforeEach(() => {
  setActivePinia(createPinia())
  useAuthStore().org = { id: 'org-1', name: '宁波压铸', orgType: 'sme', verified: true }
})
afterEach(() => vi.unstubAllGlobals())

function mountIt(own?: Participant) {
  return mount(RegistrationForm, {
    props: { event, own },
    global: { plugins: [createAppI18n('zh-CN')] },
    attachTo: document.body,
  })
}
const settle = async () => {
  await new Promise((r) => setTimeout(r, 120))
  await flushPromises()
}
/** fieldError waits (up to a second: the message fades in) for the error shown beside field f. */
async function fieldError(w: ReturnType<typeof mountIt>, f: string): Promise<string | null> {
  for (let i = 0; i < 20; i++) {
    const item = w.find(`[data-field="${f}"]`)
    const text = item.find('.el-form-item__error')
    if (item.classes('is-error') && text.exists()) return text.text()
    await new Promise((r) => setTimeout(r, 50))
  }
  return null
}

describe('RegistrationForm', () => {
  it('requires a note, then registers and saves the details in one go', async () => {
    const api = fakeApi({
      'GET /listings': () => json(200, { items: [] }),
      'POST /events/e1/participants': () => json(201, participant()),
      'PUT /events/e1/participants/p1': (c) => json(200, participant(c.body as Partial<Participant>)),
    })
    vi.stubGlobal('fetch', api.fetch)
    const w = mountIt()
    await flushPromises()
    await w.find('form').trigger('submit')
    await settle()
    expect(await fieldError(w, 'note')).toBe('此项必填')
    expect(api.calls.filter((c) => c.method !== 'GET')).toHaveLength(0)

    await w.find('textarea').setValue('寻找压铸配套')
    await w.find('[data-slot="am2"] input').setValue(true)
    await w.find('form').trigger('submit')
    await settle()
    const writes = api.calls.filter((c) => c.method !== 'GET')
    expect(writes.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /events/e1/participants', 'PUT /events/e1/participants/p1'])
    expect(writes[1]!.body).toEqual({ note: '寻找压铸配套', listingIds: [], unavailable: ['am2'] })
    expect(w.emitted('saved')?.[0]?.[0]).toMatchObject({ id: 'p1', unavailable: ['am2'] })
  })

  it('shows the API’s field errors beside their fields', async () => {
    const api = fakeApi({
      'GET /listings': () => json(200, { items: [] }),
      'POST /events/e1/participants': () =>
        problem(422, 'invalid', [{ field: 'orgId', code: 'not_allowed', message: 'the event admits sme, enterprise' }]),
    })
    vi.stubGlobal('fetch', api.fetch)
    const w = mountIt()
    await flushPromises()
    await w.find('textarea').setValue('寻找压铸配套')
    await w.find('form').trigger('submit')
    await settle()
    expect(await fieldError(w, 'orgId')).toBe('不允许')
    expect(w.emitted('saved')).toBeUndefined()
  })

  it('edits an existing registration without registering again', async () => {
    const api = fakeApi({
      'GET /listings': () => json(200, { items: [] }),
      'PUT /events/e1/participants/p1': () =>
        problem(422, 'invalid', [{ field: 'unavailable[0]', code: 'unknown', message: 'is not a slot of the event' }]),
    })
    vi.stubGlobal('fetch', api.fetch)
    const w = mountIt(participant({ status: 'approved', note: '已有意向', unavailable: ['am1'] }))
    await flushPromises()
    expect((w.find('textarea').element as HTMLTextAreaElement).value).toBe('已有意向')
    expect(w.find('[data-test="register-submit"]').text()).toBe('保存报名信息')
    await w.find('form').trigger('submit')
    await settle()
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0)
    expect(await fieldError(w, 'unavailable')).toBeTruthy()
  })
})
