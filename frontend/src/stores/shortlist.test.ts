import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { COMPARE_MAX, SHORTLIST_MAX, SHORTLIST_STORAGE_KEY, compareIds, useShortlistStore } from './shortlist'

const stored = () => JSON.parse(localStorage.getItem(SHORTLIST_STORAGE_KEY) ?? 'null')

describe('shortlist store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('adds, persists, refuses duplicates and removes', () => {
    const s = useShortlistStore()
    expect(s.add({ id: 'o1', name: '宁波精工压铸' })).toBe(true)
    expect(s.add({ id: 'o1', name: '宁波精工压铸' })).toBe(false)
    expect(s.add({ id: 'o2', name: '余姚模具', from: 'need:n1' })).toBe(true)
    expect(stored()).toEqual([
      { id: 'o1', name: '宁波精工压铸' },
      { id: 'o2', name: '余姚模具', from: 'need:n1' },
    ])
    expect(s.has('o2')).toBe(true)
    s.remove('o1')
    expect(s.items.map((e) => e.id)).toEqual(['o2'])
    s.remove('o2')
    expect(localStorage.getItem(SHORTLIST_STORAGE_KEY)).toBeNull()
  })

  it('toggles', () => {
    const s = useShortlistStore()
    expect(s.toggle({ id: 'o1', name: 'a' })).toBe(true)
    expect(s.toggle({ id: 'o1', name: 'a' })).toBe(false)
    expect(s.items).toEqual([])
  })

  it('survives a reload and ignores broken storage', () => {
    useShortlistStore().add({ id: 'o1', name: 'a' })
    setActivePinia(createPinia())
    expect(useShortlistStore().items).toEqual([{ id: 'o1', name: 'a' }])

    localStorage.setItem(SHORTLIST_STORAGE_KEY, '{not json')
    setActivePinia(createPinia())
    expect(useShortlistStore().items).toEqual([])

    localStorage.setItem(SHORTLIST_STORAGE_KEY, JSON.stringify([{ id: 'o1', name: 'a' }, { id: '' }, 7, { name: 'x' }]))
    setActivePinia(createPinia())
    expect(useShortlistStore().items).toEqual([{ id: 'o1', name: 'a' }])
  })

  it('stops at its limit', () => {
    const s = useShortlistStore()
    for (let i = 0; i < SHORTLIST_MAX; i++) expect(s.add({ id: `o${i}`, name: `${i}` })).toBe(true)
    expect(s.full).toBe(true)
    expect(s.add({ id: 'one-more', name: 'x' })).toBe(false)
    expect(s.items.length).toBe(SHORTLIST_MAX)
  })

  it('follows another tab', () => {
    const s = useShortlistStore()
    s.add({ id: 'o1', name: 'a' })
    localStorage.setItem(SHORTLIST_STORAGE_KEY, JSON.stringify([{ id: 'o9', name: 'z' }]))
    window.dispatchEvent(new StorageEvent('storage', { key: SHORTLIST_STORAGE_KEY }))
    expect(s.items).toEqual([{ id: 'o9', name: 'z' }])
  })
})

describe('compareIds', () => {
  it('reads distinct ids, at most four', () => {
    expect(compareIds('a,b,,a, c')).toEqual(['a', 'b', 'c'])
    expect(compareIds(['a,b', 'c'])).toEqual(['a', 'b', 'c'])
    expect(compareIds('a,b,c,d,e,f').length).toBe(COMPARE_MAX)
    expect(compareIds(undefined)).toEqual([])
  })
})
