import { describe, expect, it } from 'vitest'
import { useMorePages } from './useMorePages'

type Answer = { items: number[]; nextCursor?: string; total: number }

describe('useMorePages', () => {
  const pages: Record<string, Answer> = {
    first: { items: [1, 2], nextCursor: 'c2', total: 5 },
    c2: { items: [3, 4], nextCursor: 'c3', total: 5 },
    c3: { items: [5], total: 5 },
  }

  it('appends pages until the last and keeps the first answer', async () => {
    const p = useMorePages<Answer, number>(
      (cursor) => Promise.resolve(pages[cursor ?? 'first']!),
      (r) => r,
    )
    await p.reload()
    expect(p.items.value).toEqual([1, 2])
    expect(p.first.value?.total).toBe(5)
    await p.more()
    await p.more()
    expect(p.items.value).toEqual([1, 2, 3, 4, 5])
    expect(p.hasMore.value).toBe(false)
    await p.more()
    expect(p.items.value.length).toBe(5)
    await p.reload()
    expect(p.items.value).toEqual([1, 2])
  })

  it('ignores an answer a newer query overtook', async () => {
    const answers: ((a: Answer) => void)[] = []
    const p = useMorePages<Answer, number>(
      () => new Promise<Answer>((resolve) => answers.push(resolve)),
      (r) => r,
    )
    const a = p.reload()
    const b = p.reload()
    answers[1]!({ items: [9], total: 1 })
    await b
    answers[0]!({ items: [1], total: 1 })
    await a
    expect(p.items.value).toEqual([9])
    expect(p.loading.value).toBe(false)
  })

  it('keeps a failed first page as error and a failed next page as moreError', async () => {
    let fail = true
    const p = useMorePages<Answer, number>(
      (cursor) => (fail ? Promise.reject(new Error('down')) : Promise.resolve(pages[cursor ?? 'first']!)),
      (r) => r,
    )
    await p.reload()
    expect((p.error.value as Error).message).toBe('down')
    expect(p.empty.value).toBe(false)
    fail = false
    await p.reload()
    expect(p.error.value).toBeNull()
    fail = true
    await p.more()
    expect((p.moreError.value as Error).message).toBe('down')
    expect(p.items.value).toEqual([1, 2])
    expect(p.hasMore.value).toBe(true)
  })
})
