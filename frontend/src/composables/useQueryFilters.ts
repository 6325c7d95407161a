// Keeps a list page's filters in the URL query, so a reload, a shared link or
// the back button brings the same list.

import { reactive, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'

export function useQueryFilters<T extends Record<string, string>>(defaults: T, onChange: () => void) {
  const route = useRoute()
  const router = useRouter()
  const page = route.name

  function fromQuery(): T {
    const out = { ...defaults }
    for (const k of Object.keys(defaults) as (keyof T)[]) {
      const v = route.query[k as string]
      if (typeof v === 'string') out[k] = v as T[keyof T]
    }
    return out
  }

  const filters = reactive(fromQuery()) as T

  function set(next: T) {
    Object.assign(filters, next)
    const query: Record<string, string> = {}
    for (const [k, v] of Object.entries(next)) if (v) query[k] = v
    router.replace({ query })
  }

  // Back and forward change the query without set().
  watch(
    () => route.query,
    () => {
      if (route.name !== page) return // leaving the page
      const q = fromQuery()
      if (JSON.stringify(q) !== JSON.stringify({ ...filters })) Object.assign(filters, q)
      onChange()
    },
  )

  return { filters, set }
}
