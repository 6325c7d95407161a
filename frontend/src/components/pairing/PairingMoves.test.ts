import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import PairingMoves from './PairingMoves.vue'
import { createAppI18n } from '@/locales'
import { fakeApi, json, problem } from '@/test/fakeApi'
import type { Pairing, PairingStatus } from '@/api/pairings'

const pairing: Pairing = {
  id: 'p1',
  kind: 'supply',
  origin: 'user',
  a: { orgId: 'oa', name: '甲公司', record: { kind: 'need', id: 'l1' } },
  b: { orgId: 'ob', name: '乙公司', record: { kind: 'org', id: 'ob' } },
  status: 'interested',
  requester: 'a',
  history: [],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  version: 2,
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

function mountMoves(allowed: PairingStatus[]) {
  return mount(PairingMoves, {
    props: { pairing, allowed, name: '甲公司' },
    global: { plugins: [createAppI18n('zh-CN')] },
    attachTo: document.body,
  })
}

// Element Plus shows a field's error after a transition.
const settle = async () => {
  await new Promise((r) => setTimeout(r, 120))
  await flushPromises()
}

const dialog = () => document.querySelector('[data-test="move-dialog"]') as HTMLElement
const click = (sel: string) => (dialog().querySelector(sel) as HTMLElement).click()

describe('PairingMoves', () => {
  it('offers exactly the allowed moves', () => {
    const w = mountMoves(['accepted', 'declined'])
    expect(w.findAll('[data-move]').map((b) => b.attributes('data-move'))).toEqual(['accepted', 'declined'])
    expect(mountMoves([]).text()).toContain('当前无可执行的操作')
  })

  it('asks a decline for a reason before sending anything', async () => {
    const api = fakeApi({})
    vi.stubGlobal('fetch', api.fetch)
    const w = mountMoves(['declined'])
    await w.find('[data-move="declined"]').trigger('click')
    await flushPromises()
    click('[data-test="move-submit"]')
    await settle()
    expect(api.calls).toHaveLength(0)
    expect(dialog().textContent).toContain('此项必填')
  })

  it('shows the API’s field errors beside the fields', async () => {
    const api = fakeApi({
      'POST /pairings/p1/transitions': () =>
        problem(422, 'invalid', [{ field: 'outcome.valueYuan', code: 'out_of_range', message: 'must be at most 1e12' }]),
      'GET /inbox/unread': () => json(200, { unread: 0 }),
    })
    vi.stubGlobal('fetch', api.fetch)
    const w = mountMoves(['agreed'])
    await w.find('[data-move="agreed"]').trigger('click')
    await flushPromises()
    const vm = w.findComponent({ name: 'PairingMoveDialog' })
    // Fill the form through the dialog's state: the outcome and an amount.
    const form = (vm.vm as unknown as { $: { setupState: { form: Record<string, unknown> } } }).$.setupState.form
    form.outcomeKind = 'contract'
    form.valueWan = 12.5
    click('[data-test="move-submit"]')
    await settle()
    await settle() // the error shows a debounce after the answer
    expect(api.calls[0]!.body).toEqual({ to: 'agreed', outcome: { kind: 'contract', valueYuan: 125000 }, version: 2 })
    expect(dialog().querySelector('.el-form-item__error')?.textContent).toBe('超出允许范围')
  })

  it('names the moves still allowed on a 409', async () => {
    const api = fakeApi({
      'POST /pairings/p1/transitions': () => problem(409, 'conflict', [], { allowed: ['withdrawn'] }),
    })
    vi.stubGlobal('fetch', api.fetch)
    const w = mountMoves(['accepted'])
    await w.find('[data-move="accepted"]').trigger('click')
    await flushPromises()
    click('[data-test="move-submit"]')
    await settle()
    expect(dialog().querySelector('[data-test="move-conflict"]')?.textContent).toContain('撤回')
    expect(w.emitted('stale')?.[0]).toEqual([['withdrawn']])
  })
})
