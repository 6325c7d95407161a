import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { indexTable, useRefStore } from './ref'
import { fakeApi, json, problem } from '@/test/fakeApi'
import type { RefEntry } from '@/api/types'

const regions: RefEntry[] = [
  { code: '330000', name: '浙江省', level: 1 },
  { code: '330200', parent: '330000', name: '宁波市', level: 2 },
  { code: '330206', parent: '330200', name: '北仑区', level: 3 },
  { code: '330100', parent: '330000', name: '杭州市', level: 2 },
]
const industries: RefEntry[] = [
  { code: 'C', name: '制造业', level: 1 },
  { code: '33', parent: 'C', name: '金属制品业', level: 2 },
  { code: '339', parent: '33', name: '铸造及其他金属制品制造', level: 3 },
  { code: '3391', parent: '339', name: '黑色金属铸造', level: 4 },
]

afterEach(() => vi.unstubAllGlobals())

describe('indexTable', () => {
  it('builds the tree in table order and marks leaves', () => {
    const { tree, byCode } = indexTable(regions)
    expect(tree.map((n) => n.code)).toEqual(['330000'])
    expect(tree[0]!.children!.map((n) => n.code)).toEqual(['330200', '330100'])
    expect(tree[0]!.children![0]!.children![0]).toMatchObject({ code: '330206', leaf: true })
    expect(tree[0]!.leaf).toBe(false)
    expect(byCode.get('330206')?.name).toBe('北仑区')
  })
})

describe('ref store', () => {
  it('loads each table once, even for callers that ask together', async () => {
    const api = fakeApi({
      'GET /ref/regions': () => json(200, { items: regions }),
      'GET /ref/industries': () => json(200, industries),
    })
    vi.stubGlobal('fetch', api.fetch)
    setActivePinia(createPinia())
    const refs = useRefStore()
    await Promise.all([refs.load('regions'), refs.load('regions'), refs.load('industries')])
    await refs.load('regions')
    expect(api.calls.map((c) => c.path)).toEqual(['/ref/regions', '/ref/industries'])
    // Both shapes of answer (a page and a bare array) are read.
    expect(refs.fullName('regions', '330206')).toBe('浙江省宁波市北仑区')
    expect(refs.fullName('industries', '3391')).toBe('铸造及其他金属制品制造 / 黑色金属铸造')
    expect(refs.name('industries', '33')).toBe('金属制品业')
    expect(refs.path('regions', '330206').map((e) => e.code)).toEqual(['330000', '330200', '330206'])
  })

  it('shows codes while loading or unknown, and may retry after a failure', async () => {
    let n = 0
    const api = fakeApi({ 'GET /ref/regions': () => (++n === 1 ? problem(503, 'unavailable') : json(200, regions)) })
    vi.stubGlobal('fetch', api.fetch)
    setActivePinia(createPinia())
    const refs = useRefStore()
    expect(refs.name('regions', '330206')).toBe('330206')
    await expect(refs.load('regions')).rejects.toMatchObject({ status: 503 })
    expect(refs.tables.regions.error).toBeTruthy()
    await refs.load('regions')
    expect(refs.tables.regions.error).toBeNull()
    expect(refs.name('regions', '330206')).toBe('北仑区')
    expect(refs.name('regions', '999999')).toBe('999999')
    expect(refs.fullName('regions', undefined)).toBe('')
  })
})
