import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import SearchView from './SearchView.vue'
import { createAppI18n } from '@/locales'
import { fakeApi, json } from '@/test/fakeApi'

const hit = (id: string) => ({ kind: 'capability', id, title: `压铸 ${id}`, orgId: 'o1', orgName: '宁波精工', score: 1 })

async function mountAt(path: string) {
  const api = fakeApi({
    'GET /search': (call) =>
      call.path.includes('cursor=c2')
        ? json(200, { total: 3, hits: [hit('l3')], facets: {} })
        : json(200, {
            total: 3,
            hits: [hit('l1'), hit('l2')],
            facets: { kind: [{ value: 'capability', count: 3 }] },
            nextCursor: 'c2',
          }),
    'GET /ref/industries': () => json(200, { items: [] }),
    'GET /ref/regions': () => json(200, { items: [] }),
  })
  vi.stubGlobal('fetch', api.fetch)
  setActivePinia(createPinia())
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/search', name: 'search', component: SearchView },
      { path: '/listings/:id', name: 'listing', component: { template: '<div />' } },
      { path: '/orgs/:id', name: 'org-detail', component: { template: '<div />' } },
    ],
  })
  await router.push(path)
  await router.isReady()
  const w = mount({ template: '<router-view />' }, { global: { plugins: [router, createAppI18n('zh-CN')] } })
  await flushPromises()
  return { w, api, router }
}

describe('SearchView', () => {
  beforeEach(() => vi.unstubAllGlobals())

  it('searches with the query in the URL and appends the next page', async () => {
    const { w, api } = await mountAt('/search?q=压铸&kind=capability&cert=ISO9001')
    const searches = () => api.calls.filter((c) => c.path.startsWith('/search?'))
    const first = new URLSearchParams(searches()[0]!.path.split('?')[1])
    expect(Object.fromEntries(first)).toEqual({ q: '压铸', kind: 'capability', cert: 'ISO9001', limit: '20' })
    expect(w.get('[data-test="search-total"]').text()).toBe('共 3 条结果')
    expect(w.findAll('[data-test="search-hit"]').length).toBe(2)

    await w.get('[data-test="search-more"]').trigger('click')
    await flushPromises()
    expect(new URLSearchParams(searches()[1]!.path.split('?')[1]).get('cursor')).toBe('c2')
    expect(w.findAll('[data-test="search-hit"]').length).toBe(3)
    expect(w.find('[data-test="search-more"]').exists()).toBe(false)
  })

  it('puts a new query and a facet into the URL and searches again', async () => {
    const { w, api, router } = await mountAt('/search')
    await w.get('#search-q').setValue('  注塑 ')
    await w.get('[data-test="search-form"]').trigger('submit')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ q: '注塑' })

    await w.get('[data-facet="kind"] [data-value="capability"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ q: '注塑', kind: 'capability' })
    const last = api.calls.filter((c) => c.path.startsWith('/search?')).at(-1)!
    expect(last.path).toContain('kind=capability')
  })
})
