import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import ListingForm from './ListingForm.vue'
import { ApiError } from '@/api/client'
import { createAppI18n } from '@/locales'
import { fakeApi, json } from '@/test/fakeApi'
import { KIND_FIELDS, hardFieldsFor } from '@/listing/kinds'
import { KINDS, type Kind, type Listing, type ListingInput } from '@/api/types'

function mountForm(kind: Kind, save: (l: ListingInput) => Promise<Listing>, listing: Listing | null = null) {
  return mount(ListingForm, {
    props: { kind, save, listing },
    global: { plugins: [createPinia(), createAppI18n('zh-CN')] },
    attachTo: document.body,
  })
}

const settle = async () => {
  await new Promise((r) => setTimeout(r, 120))
  await flushPromises()
}

beforeEach(() => {
  vi.stubGlobal('fetch', fakeApi({ 'GET /ref/regions': () => json(200, []), 'GET /ref/industries': () => json(200, []) }).fetch)
})
afterEach(() => vi.unstubAllGlobals())

describe('ListingForm', () => {
  it.each(KINDS)('shows the fields of a %s', (kind) => {
    const w = mountForm(kind, vi.fn())
    const shown = w.findAll('[data-field]').map((e) => e.attributes('data-field'))
    const want = ['title', ...KIND_FIELDS[kind].map((f) => f.name), ...(hardFieldsFor(kind).length ? ['hard'] : [])]
    expect(shown).toEqual(want)
  })

  it('requires what the kind requires before sending', async () => {
    const save = vi.fn()
    const w = mountForm('financing', save)
    await w.find('[data-field="title"] input').setValue('B 轮融资')
    await w.find('form').trigger('submit')
    await settle()
    expect(save).not.toHaveBeenCalled()
    expect(w.find('[data-field="amountWan"] .el-form-item__error').text()).toBe('必填')
  })

  it('saves a new listing as a draft or published, with only its kind’s fields', async () => {
    const save = vi.fn(async (l: ListingInput) => ({ id: 'l1', ...l }) as unknown as Listing)
    const w = mountForm('technead', save)
    await w.find('[data-field="title"] input').setValue('高精度视觉检测算法')
    await w.find('[data-field="budgetWan"] input').setValue('80')
    await w.find('[data-field="budgetWan"] input').trigger('change')
    await w.find('[data-test="listing-publish"]').trigger('click')
    await settle()
    expect(save).toHaveBeenCalledWith({ kind: 'technead', title: '高精度视觉检测算法', budgetWan: 80, status: 'published' })
    expect(w.emitted('saved')).toHaveLength(1)
  })

  it('places the API’s errors on nested and indexed fields', async () => {
    const save = vi.fn(async () => {
      throw new ApiError({
        type: 'urn:rongtong:problem:invalid',
        title: 'x',
        status: 422,
        errors: [
          { field: 'capacity.unit', code: 'required', message: 'is required' },
          { field: 'regionsServed[1]', code: 'unknown_value', message: 'not a region' },
        ],
      })
    })
    const w = mountForm('capability', save)
    await w.find('[data-field="title"] input').setValue('铝合金压铸')
    await w.find('form').trigger('submit')
    await settle()
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ status: 'draft' }))
    expect(w.find('[data-field="capacity"] .el-form-item__error').text()).toBe('必填')
    expect(w.find('[data-field="regionsServed"] .el-form-item__error').text()).toBe('不是可选的值')
  })

  it('edits an existing listing without changing its status', async () => {
    const listing = {
      id: 'l1',
      kind: 'tech',
      title: '石墨烯散热膜',
      trl: 6,
      transferModes: ['license'],
      status: 'published',
    } as unknown as Listing
    const save = vi.fn(async (l: ListingInput) => ({ ...listing, ...l }) as Listing)
    const w = mountForm('tech', save, listing)
    expect((w.find('[data-field="title"] input').element as HTMLInputElement).value).toBe('石墨烯散热膜')
    await w.find('form').trigger('submit')
    await settle()
    expect(save).toHaveBeenCalledWith({ kind: 'tech', title: '石墨烯散热膜', trl: 6, transferModes: ['license'] })
  })
})
