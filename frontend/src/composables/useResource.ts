// Loads one thing for a page section and keeps its loading and error state,
// for <StateView>.

import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'

export interface Resource<T> {
  data: ShallowRef<T | null>
  loading: Ref<boolean>
  error: ShallowRef<unknown>
  /** load fetches again; a failure is kept in error, not thrown. */
  load: () => Promise<void>
}

export function useResource<T>(fetch: () => Promise<T>): Resource<T> {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const v = await fetch()
      if (mine === seq) data.value = v
    } catch (e) {
      if (mine === seq) error.value = e
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  return { data, loading, error, load }
}
