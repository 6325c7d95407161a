import { afterEach, describe, expect, it, vi } from 'vitest'
import { cultivationApi } from './cultivation'
import { fakeApi, json, problem } from '@/test/fakeApi'

afterEach(() => vi.unstubAllGlobals())

describe('cultivation API', () => {
  it('answers a workbook download with a Blob, whatever its media type', async () => {
    const api = fakeApi({
      'GET /admin/indicators/export': () =>
        new Response(new Uint8Array([0x50, 0x4b, 3, 4]), {
          status: 200,
          headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        }),
    })
    vi.stubGlobal('fetch', api.fetch)
    const b = await cultivationApi.exportList({ region: '330200', tier: ['innovative', 'specialized'], year: 2024 })
    expect(b.size).toBe(4)
    expect(new Uint8Array(await b.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]))
    expect(api.calls[0]!.path).toBe('/admin/indicators/export?region=330200&tier=innovative%2Cspecialized&year=2024')
  })

  it('uploads a workbook as multipart and asks for the report as a workbook when told', async () => {
    const api = fakeApi({
      'POST /admin/indicators/import': (c) =>
        c.path.includes('format=xlsx')
          ? new Response('PK', { status: 200, headers: { 'Content-Type': 'application/octet-stream' } })
          : json(200, { rows: 1, created: 1, updated: 0, unchanged: 0, failed: 0, errors: [] }),
    })
    vi.stubGlobal('fetch', api.fetch)
    const file = new File(['x'], 'indicators.xlsx')
    expect((await cultivationApi.importWorkbook(file)).created).toBe(1)
    expect(api.calls[0]!.body).toBeInstanceOf(FormData)
    expect(((api.calls[0]!.body as FormData).get('file') as File).name).toBe('indicators.xlsx')
    expect(await (await cultivationApi.importReport(file)).text()).toBe('PK')
    expect(api.calls[1]!.path).toBe('/admin/indicators/import?format=xlsx')
  })

  it('reads the indicator list and passes a failed download’s problem on', async () => {
    const api = fakeApi({
      'GET /orgs/o1/indicators': () => json(200, { items: [{ year: 2024 }] }),
      'GET /admin/dashboard': () => problem(422, 'invalid', [{ field: 'chart', code: 'unknown_value', message: 'x' }]),
    })
    vi.stubGlobal('fetch', api.fetch)
    expect((await cultivationApi.indicators('o1')).map((y) => y.year)).toEqual([2024])
    await expect(cultivationApi.dashboardFile({}, 'cities', 'csv')).rejects.toMatchObject({ status: 422 })
  })
})
