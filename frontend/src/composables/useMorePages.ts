// Pages through a cursor-paginated answer by appending: reload fetches the
// first page, more adds the next one below what is shown (search results,
// matches). A request that a newer one overtakes is aborted and ignored.

import { computed, ref, shallowRef } from 'vue'

export interface Paged<T> {
  items: T[]
  nextCursor?: string
}

export function useMorePages<R, T>(
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<R>,
  pageOf: (r: R) => Paged<T>,
) {
  const items = shallowRef<T[]>([])
  /** first is the first page's whole answer (totals, facets, the source record). */
  const first = shallowRef<R | null>(null)
  const loading = ref(false)
  const loadingMore = ref(false)
  const error = shallowRef<unknown>(null)
  const moreError = shallowRef<unknown>(null)
  const loaded = ref(false)
  const next = ref<string | undefined>()
  let controller: AbortController | null = null

  const hasMore = computed(() => !!next.value)
  const empty = computed(() => loaded.value && !error.value && items.value.length === 0)

  async function fetchOne(cursor: string | undefined): Promise<R | null> {
    controller?.abort()
    const c = new AbortController()
    controller = c
    try {
      const r = await fetchPage(cursor, c.signal)
      return c.signal.aborted ? null : r
    } catch (e) {
      if (c.signal.aborted) return null
      throw e
    } finally {
      if (controller === c) controller = null
    }
  }

  /** reload starts again at the first page (after a change of query). */
  async function reload() {
    loading.value = true
    loadingMore.value = false
    error.value = null
    moreError.value = null
    try {
      const r = await fetchOne(undefined)
      if (!r) return
      const p = pageOf(r)
      first.value = r
      items.value = p.items ?? []
      next.value = p.nextCursor || undefined
      loaded.value = true
      loading.value = false
    } catch (e) {
      error.value = e
      loading.value = false
    }
  }

  /** more appends the next page; a failure is kept in moreError and leaves what is shown. */
  async function more() {
    const cursor = next.value
    if (!cursor || loading.value || loadingMore.value) return
    loadingMore.value = true
    moreError.value = null
    try {
      const r = await fetchOne(cursor)
      if (!r) return
      const p = pageOf(r)
      items.value = [...items.value, ...(p.items ?? [])]
      next.value = p.nextCursor || undefined
    } catch (e) {
      moreError.value = e
    } finally {
      loadingMore.value = false
    }
  }

  return { items, first, loading, loadingMore, error, moreError, loaded, empty, hasMore, reload, more }
}
