import { describe, expect, it } from 'vitest'
import { useResource } from './useResource'
import { useCursorPages } from './useCursorPages'

describe('useResource', () => {
  it('keeps the answer of the latest load only', async () => {
    const answers: ((v: string) => void)[] = []
    const r = useResource(() => new Promise<string>((resolve) => answers.push(resolve)))
    const first = r.load()
    const second = r.load()
    answers[1]!('new')
    await second
    answers[0]!('old')
    await first
    expect(r.data.value).toBe('new')
    expect(r.loading.value).toBe(false)
  })

  it('keeps a failure for the page to show', async () => {
    const r = useResource(() => Promise.reject(new Error('down')))
    await r.load()
    expect((r.error.value as Error).message).toBe('down')
    expect(r.data.value).toBeNull()
  })
})

describe('useCursorPages', () => {
  const pages: Record<string, { items: number[]; nextCursor?: string }> = {
    first: { items: [1, 2], nextCursor: 'c2' },
    c2: { items: [3, 4], nextCursor: 'c3' },
    c3: { items: [5] },
  }

  it('follows the cursors forward and back', async () => {
    const seen: (string | undefined)[] = []
    const p = useCursorPages<number>(async (cursor) => {
      seen.push(cursor)
      return pages[cursor ?? 'first']!
    })
    await p.reload()
    expect([p.items.value, p.page.value, p.hasPrev.value, p.hasNext.value]).toEqual([[1, 2], 1, false, true])
    await p.goNext()
    await p.goNext()
    expect([p.items.value, p.page.value, p.hasNext.value]).toEqual([[5], 3, false])
    await p.goPrev()
    expect([p.items.value, p.page.value]).toEqual([[3, 4], 2])
    await p.reload()
    expect([p.items.value, p.page.value]).toEqual([[1, 2], 1])
    expect(seen).toEqual([undefined, 'c2', 'c3', 'c2', undefined])
  })

  it('aborts a request that a newer one overtakes', async () => {
    const signals: AbortSignal[] = []
    const p = useCursorPages<number>(async (_c, signal) => {
      signals.push(signal)
      await new Promise((r) => setTimeout(r, 5))
      return { items: [signals.length] }
    })
    const a = p.reload()
    const b = p.reload()
    await Promise.all([a, b])
    expect(signals[0]!.aborted).toBe(true)
    expect(p.items.value).toEqual([2])
    expect(p.empty.value).toBe(false)
  })

  it('reports an empty first page and a failure', async () => {
    const empty = useCursorPages<number>(async () => ({ items: [] }))
    await empty.reload()
    expect(empty.empty.value).toBe(true)
    const failing = useCursorPages<number>(async () => {
      throw new Error('down')
    })
    await failing.reload()
    expect(failing.error.value).toBeInstanceOf(Error)
    expect(failing.empty.value).toBe(false)
  })
})
