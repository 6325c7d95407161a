// Pages through a cursor-paginated list ({items, nextCursor}): next follows
// the server's cursor, previous goes back through the cursors already seen,
// and a change of filters starts again at the first page. A request that a
// newer one overtakes is aborted, so a slow answer never replaces a fresh one.

import { computed, ref, shallowRef } from 'vue'
import type { Page } from '@/api/types'

export type Fetcher<T> = (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>

export function useCursorPages<T>(fetchPage: Fetcher<T>) {
  const items = shallowRef<T[]>([])
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  const loaded = ref(false)
  // cursors[i] fetched page i; the first page has none.
  const cursors = ref<(string | undefined)[]>([undefined])
  const next = ref<string | undefined>()
  let controller: AbortController | null = null

  const page = computed(() => cursors.value.length)
  const hasNext = computed(() => !!next.value)
  const hasPrev = computed(() => cursors.value.length > 1)
  const empty = computed(() => loaded.value && !error.value && items.value.length === 0)

  async function load(cursor: string | undefined): Promise<boolean> {
    controller?.abort()
    const c = new AbortController()
    controller = c
    loading.value = true
    error.value = null
    try {
      const p = await fetchPage(cursor, c.signal)
      if (c.signal.aborted) return false
      items.value = p.items ?? []
      next.value = p.nextCursor || undefined
      loaded.value = true
      return true
    } catch (e) {
      if (c.signal.aborted) return false
      error.value = e
      return false
    } finally {
      if (controller === c) {
        loading.value = false
        controller = null
      }
    }
  }

  /** reload fetches the first page again (after a change of filters). */
  function reload() {
    cursors.value = [undefined]
    return load(undefined)
  }

  /** refresh fetches the current page again (after an edit on it). */
  function refresh() {
    return load(cursors.value[cursors.value.length - 1])
  }

  async function goNext() {
    const cur = next.value
    if (!cur) return
    if (await load(cur)) cursors.value = [...cursors.value, cur]
  }

  async function goPrev() {
    if (cursors.value.length < 2) return
    const prev = cursors.value.slice(0, -1)
    if (await load(prev[prev.length - 1])) cursors.value = prev
  }

  return { items, loading, error, loaded, empty, page, hasNext, hasPrev, reload, refresh, goNext, goPrev }
}
