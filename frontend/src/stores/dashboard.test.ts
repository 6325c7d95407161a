import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { lastYear, useDashboardStore, yearOptions } from './dashboard'
import { fakeApi, json, problem } from '@/test/fakeApi'
import type { Dashboard } from '@/api/cultivation'

const dash = (region: string, year: number, firms: number): Dashboard => ({
  region,
  year,
  firms,
  byCity: [{ code: '330200', name: '宁波市', count: firms }],
  byCounty: [],
  byIndustry: [],
  byTier: [],
  trends: [],
  targets: [],
  funnel: { available: false, rows: [] },
})

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

describe('dashboard store', () => {
  it('defaults to last year and offers the last ten years', () => {
    const now = new Date('2026-03-01T00:00:00Z')
    expect(lastYear(now)).toBe(2025)
    expect(yearOptions(now)).toHaveLength(10)
    expect(yearOptions(now)[0]).toBe(2026)
    expect(yearOptions(now).at(-1)).toBe(2017)
  })

  it('loads the figures of the filter', async () => {
    const api = fakeApi({ 'GET /admin/dashboard': (c) => json(200, dash('330200', 2024, c.path.includes('region') ? 7 : 9)) })
    vi.stubGlobal('fetch', api.fetch)
    const s = useDashboardStore()
    s.filter.region = '330200'
    s.filter.year = 2024
    await s.load()
    expect(api.calls[0]!.path).toBe('/admin/dashboard?region=330200&year=2024')
    expect(s.data?.firms).toBe(7)
    expect(s.error).toBeNull()
    s.filter.region = ''
    await s.load()
    expect(api.calls[1]!.path).toBe('/admin/dashboard?year=2024')
    expect(s.data?.firms).toBe(9)
  })

  it('drops an answer to an older filter', async () => {
    let release!: () => void
    const slow = new Promise<void>((r) => (release = r))
    const api = fakeApi({
      'GET /admin/dashboard': async (_c, n) => {
        if (n === 1) await slow
        return json(200, dash('', 2024, n === 1 ? 1 : 2))
      },
    })
    vi.stubGlobal('fetch', api.fetch)
    const s = useDashboardStore()
    const first = s.load()
    await s.load()
    release()
    await first
    expect(s.data?.firms).toBe(2)
    expect(s.loading).toBe(false)
  })

  it('keeps a failure for the page to show', async () => {
    vi.stubGlobal('fetch', fakeApi({ 'GET /admin/dashboard': () => problem(403, 'forbidden') }).fetch)
    const s = useDashboardStore()
    await s.load()
    expect(s.data).toBeNull()
    expect((s.error as { status: number }).status).toBe(403)
  })

  it('downloads one chart’s data of the filter and saves it under its name', async () => {
    const api = fakeApi({
      'GET /admin/dashboard': () =>
        new Response('\uFEFFcode,name,count\n', { status: 200, headers: { 'Content-Type': 'text/csv' } }),
    })
    vi.stubGlobal('fetch', api.fetch)
    const created: Blob[] = []
    vi.stubGlobal(
      'URL',
      Object.assign(URL, { createObjectURL: (b: Blob) => (created.push(b), 'blob:x'), revokeObjectURL: () => {} }),
    )
    const clicks: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download)
    })
    const s = useDashboardStore()
    s.filter.year = 2024
    await s.download('cities', 'csv')
    expect(api.calls[0]!.path).toBe('/admin/dashboard?year=2024&chart=cities&format=csv')
    expect(clicks).toEqual(['rongtong-dashboard-cities-2024.csv'])
    expect(await created[0]!.text()).toContain('code,name,count')
    expect(s.downloading).toBeNull()
    click.mockRestore()
  })
})
