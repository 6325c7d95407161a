import { beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import SearchFacets from './SearchFacets.vue'
import { createAppI18n } from '@/locales'
import { noFacets, type FacetValues } from '@/search/facets'
import { fakeApi, json } from '@/test/fakeApi'

const facets = {
  kind: [
    { value: 'capability', count: 117 },
    { value: 'org', count: 102 },
  ],
  tier: [
    { value: 'specialized', count: 54 },
    { value: '', count: 47 },
  ],
  region: [{ value: '330200', count: 143 }],
  cert: [{ value: 'ISO9001', count: 185 }],
}

function mountFacets(modelValue: FacetValues = noFacets()) {
  const api = fakeApi({
    'GET /ref/regions': () => json(200, { items: [{ code: '330200', name: '宁波市', level: 2 }] }),
    'GET /ref/industries': () => json(200, { items: [] }),
  })
  vi.stubGlobal('fetch', api.fetch)
  setActivePinia(createPinia())
  return mount(SearchFacets, { props: { facets, modelValue }, global: { plugins: [createAppI18n('zh-CN')] } })
}

describe('SearchFacets', () => {
  beforeEach(() => vi.unstubAllGlobals())

  it('names each value with its count and leaves out the empty value', async () => {
    const w = mountFacets()
    await vi.waitFor(() => expect(w.get('[data-facet="region"] [data-value="330200"]').text()).toContain('宁波市'))
    expect(w.get('[data-facet="kind"] [data-value="org"]').text()).toBe('机构102')
    expect(w.get('[data-facet="tier"] [data-value="specialized"]').text()).toBe('省级专精特新54')
    expect(w.find('[data-facet="tier"] [data-value=""]').exists()).toBe(false)
    // "All" is pressed while a facet is not chosen.
    expect(w.get('[data-facet="kind"] button').attributes('aria-pressed')).toBe('true')
  })

  it('chooses a value, and choosing it again clears it', async () => {
    const w = mountFacets()
    await w.get('[data-facet="cert"] [data-value="ISO9001"]').trigger('click')
    expect(w.emitted('update:modelValue')![0]![0]).toEqual({ ...noFacets(), cert: 'ISO9001' })

    const chosen = mountFacets({ ...noFacets(), cert: 'ISO9001', kind: 'need' })
    expect(chosen.get('[data-facet="cert"] [data-value="ISO9001"]').attributes('aria-pressed')).toBe('true')
    // A chosen value the counts no longer list is still shown, so it can be cleared.
    expect(chosen.get('[data-facet="kind"] [data-value="need"]').attributes('aria-pressed')).toBe('true')
    await chosen.get('[data-facet="cert"] [data-value="ISO9001"]').trigger('click')
    expect(chosen.emitted('update:modelValue')![0]![0]).toEqual({ ...noFacets(), kind: 'need' })
  })
})
