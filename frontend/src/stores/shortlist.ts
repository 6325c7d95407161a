// The shortlist (候选供应商): organisations a lead enterprise (or an
// investor) keeps from search and matches to compare side by side. It lives
// in the browser only, in localStorage, and follows other tabs' changes.

import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

export const SHORTLIST_STORAGE_KEY = 'rongtong.shortlist'
/** SHORTLIST_MAX is how many organisations the shortlist keeps. */
export const SHORTLIST_MAX = 30
/** COMPARE_MIN and COMPARE_MAX bound how many are compared at once. */
export const COMPARE_MIN = 2
export const COMPARE_MAX = 4

/** ShortlistEntry is an organisation as it was when shortlisted; the compare page loads it afresh. */
export interface ShortlistEntry {
  id: string
  name: string
  /** from says where it was found, e.g. the need it matched; optional. */
  from?: string
}

function isEntry(x: unknown): x is ShortlistEntry {
  const e = x as ShortlistEntry
  return !!e && typeof e.id === 'string' && e.id !== '' && typeof e.name === 'string'
}

function read(): ShortlistEntry[] {
  try {
    const v = JSON.parse(localStorage.getItem(SHORTLIST_STORAGE_KEY) ?? '[]') as unknown
    return Array.isArray(v) ? v.filter(isEntry).slice(0, SHORTLIST_MAX) : []
  } catch {
    return []
  }
}

export const useShortlistStore = defineStore('shortlist', () => {
  const items = ref<ShortlistEntry[]>(read())
  const ids = computed(() => new Set(items.value.map((e) => e.id)))
  const full = computed(() => items.value.length >= SHORTLIST_MAX)

  function persist() {
    try {
      if (items.value.length) localStorage.setItem(SHORTLIST_STORAGE_KEY, JSON.stringify(items.value))
      else localStorage.removeItem(SHORTLIST_STORAGE_KEY)
    } catch {
      // storage full or blocked: the shortlist lasts for this page only
    }
  }

  function has(id: string) {
    return ids.value.has(id)
  }

  /** add keeps an organisation; false when it is already there or the list is full. */
  function add(e: ShortlistEntry): boolean {
    if (!isEntry(e) || has(e.id) || full.value) return false
    items.value = [...items.value, { id: e.id, name: e.name, ...(e.from ? { from: e.from } : {}) }]
    persist()
    return true
  }

  function remove(id: string) {
    items.value = items.value.filter((e) => e.id !== id)
    persist()
  }

  /** toggle adds or removes; it returns whether the organisation is now on the list. */
  function toggle(e: ShortlistEntry): boolean {
    if (has(e.id)) {
      remove(e.id)
      return false
    }
    return add(e)
  }

  function clear() {
    items.value = []
    persist()
  }

  /** sync re-reads the list another tab changed. */
  function sync() {
    items.value = read()
  }

  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (ev) => {
      if (ev.key === SHORTLIST_STORAGE_KEY || ev.key === null) sync()
    })
  }

  return { items, full, has, add, remove, toggle, clear, sync }
})

/** compareIds reads the ?ids= of the compare page: distinct, non-empty, at most COMPARE_MAX. */
export function compareIds(raw: unknown): string[] {
  const s = Array.isArray(raw) ? raw.join(',') : typeof raw === 'string' ? raw : ''
  return [
    ...new Set(
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ].slice(0, COMPARE_MAX)
}
