import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { INBOX_POLL_MS, useInboxStore } from './inbox'
import { fakeApi, json, problem } from '@/test/fakeApi'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('inbox store', () => {
  it('polls the unread count until stopped', async () => {
    vi.useFakeTimers()
    let n = 0
    const api = fakeApi({ 'GET /inbox/unread': () => json(200, { unread: ++n }) })
    vi.stubGlobal('fetch', api.fetch)
    const s = useInboxStore()
    s.start()
    s.start() // a second start keeps one timer
    await vi.advanceTimersByTimeAsync(0)
    expect(s.unread).toBe(1)
    await vi.advanceTimersByTimeAsync(INBOX_POLL_MS)
    expect(s.unread).toBe(2)
    expect(api.calls).toHaveLength(2)
    s.stop()
    expect(s.unread).toBe(0)
    await vi.advanceTimersByTimeAsync(INBOX_POLL_MS * 3)
    expect(api.calls).toHaveLength(2)
  })

  it('keeps the last count when a refresh fails', async () => {
    let fail = false
    const api = fakeApi({ 'GET /inbox/unread': () => (fail ? problem(503, 'unavailable') : json(200, { unread: 4 })) })
    vi.stubGlobal('fetch', api.fetch)
    const s = useInboxStore()
    await s.refresh()
    fail = true
    await s.refresh()
    expect(s.unread).toBe(4)
  })

  it('marks entries read and refreshes the count', async () => {
    let unread = 3
    const api = fakeApi({
      'POST /inbox/read': (c) => {
        unread -= (c.body as { ids: string[] }).ids.length || unread
        return json(200, { marked: 1 })
      },
      'GET /inbox/unread': () => json(200, { unread }),
    })
    vi.stubGlobal('fetch', api.fetch)
    const s = useInboxStore()
    await s.markRead(['n1'])
    expect(api.calls[0]!.body).toEqual({ ids: ['n1'] })
    expect(s.unread).toBe(2)
    await s.markRead()
    expect(api.calls[2]!.body).toEqual({ ids: [] })
    expect(s.unread).toBe(0)
  })
})
