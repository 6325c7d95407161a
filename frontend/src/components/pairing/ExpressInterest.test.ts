import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ExpressInterest from './ExpressInterest.vue'
import { createAppI18n } from '@/locales'
import { fakeApi, json, problem } from '@/test/fakeApi'
import type { Match } from '@/api/types'

const match = { rank: 1, kind: 'capability', id: 'l9', title: '压铸加工', score: 81, parts: [], reasons: [] } as Match

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

function mountIt() {
  return mount(ExpressInterest, {
    props: { source: { kind: 'need', id: 'l1' }, match },
    global: { plugins: [createAppI18n('zh-CN')], stubs: { RouterLink: RouterLinkStub } },
    attachTo: document.body,
  })
}
const dialog = () => document.querySelector('[data-test="interest-dialog"]') as HTMLElement
const settle = async () => {
  await new Promise((r) => setTimeout(r, 120))
  await flushPromises()
}

describe('ExpressInterest', () => {
  it('asks for a pairing from the match and then links to it', async () => {
    const api = fakeApi({
      'POST /pairings': () => json(201, { pairing: { id: 'p7' }, allowed: ['withdrawn'] }),
      'GET /inbox/unread': () => json(200, { unread: 0 }),
    })
    vi.stubGlobal('fetch', api.fetch)
    const w = mountIt()
    await w.find('[data-test="express-interest"]').trigger('click')
    await flushPromises()
    const ta = dialog().querySelector('textarea')!
    ta.value = '希望合作'
    ta.dispatchEvent(new Event('input'))
    ;(dialog().querySelector('[data-test="interest-send"]') as HTMLElement).click()
    await settle()
    expect(api.calls[0]!.body).toEqual({
      source: { kind: 'need', id: 'l1' },
      target: { kind: 'capability', id: 'l9' },
      message: '希望合作',
      score: 81,
    })
    expect(w.findComponent(RouterLinkStub).props('to')).toEqual({ name: 'pairing-detail', params: { id: 'p7' } })
  })

  it('requires a message and says when the cap is reached', async () => {
    const api = fakeApi({
      'POST /pairings': () =>
        problem(409, 'conflict', [
          { field: 'source', code: 'out_of_range', message: 'your organisation already has 20 open requests' },
        ]),
    })
    vi.stubGlobal('fetch', api.fetch)
    const w = mountIt()
    await w.find('[data-test="express-interest"]').trigger('click')
    await flushPromises()
    ;(dialog().querySelector('[data-test="interest-send"]') as HTMLElement).click()
    await settle()
    expect(api.calls).toHaveLength(0)
    expect(dialog().textContent).toContain('此项必填')
    const ta = dialog().querySelector('textarea')!
    ta.value = '你好'
    ta.dispatchEvent(new Event('input'))
    ;(dialog().querySelector('[data-test="interest-send"]') as HTMLElement).click()
    await settle()
    expect(dialog().querySelector('[role="alert"]')?.textContent).toContain('已达上限')
    expect(dialog().textContent).toContain('20 open requests')
  })
})
