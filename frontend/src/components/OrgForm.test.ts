import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import OrgForm from './OrgForm.vue'
import { ApiError } from '@/api/client'
import { createAppI18n } from '@/locales'
import { fakeApi, json } from '@/test/fakeApi'
import type { Org, OrgInput } from '@/api/types'

const saved: Org = {
  id: 'o1',
  name: '宁波测试压铸有限公司',
  orgType: 'sme',
  verified: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
}

function mountForm(save: (o: OrgInput) => Promise<Org>, props: Record<string, unknown> = {}) {
  return mount(OrgForm, {
    props: { orgType: 'sme', save, ...props },
    global: { plugins: [createPinia(), createAppI18n('zh-CN')] },
    attachTo: document.body,
  })
}

/** settle waits out Element Plus's 100 ms debounce before it shows a field error. */
const settle = async () => {
  await new Promise((r) => setTimeout(r, 120))
  await flushPromises()
}

const errorAt = (w: ReturnType<typeof mountForm>, field: string) => w.find(`[data-field="${field}"] .el-form-item__error`)

beforeEach(() => {
  vi.stubGlobal('fetch', fakeApi({ 'GET /ref/regions': () => json(200, []), 'GET /ref/industries': () => json(200, []) }).fetch)
})
afterEach(() => vi.unstubAllGlobals())

describe('OrgForm', () => {
  it('checks the credit code as it is typed and beside the field', async () => {
    const w = mountForm(vi.fn())
    const uscc = w.find('[data-field="uscc"] input')

    await uscc.setValue('91330')
    await settle()
    expect(errorAt(w, 'uscc').exists()).toBe(false) // still typing

    await uscc.setValue('9133O')
    await settle()
    expect(errorAt(w, 'uscc').text()).toBe('第 5 位的“O”不是有效字符')

    await uscc.setValue('913304024877934u6j')
    await settle()
    expect((uscc.element as HTMLInputElement).value).toBe('913304024877934U6J')
    expect(errorAt(w, 'uscc').text()).toBe('校验码不正确，按前 17 位计算应为 H')

    await uscc.setValue('913304024877934U6H')
    await settle()
    expect(errorAt(w, 'uscc').exists()).toBe(false)
    expect(w.find('[data-test="uscc-ok"]').text()).toContain('校验通过')

    await uscc.setValue('9133')
    await uscc.trigger('blur')
    await settle()
    expect(errorAt(w, 'uscc').text()).toBe('应为 18 位，当前 4 位')
  })

  it('shows the API’s field errors beside their fields and the rest above the form', async () => {
    const save = vi.fn(async () => {
      throw new ApiError({
        type: 'urn:rongtong:problem:invalid',
        title: 'Unprocessable Entity',
        status: 422,
        errors: [
          { field: 'uscc', code: 'invalid_format', message: 'is not a valid code' },
          { field: 'contact.phone', code: 'invalid_format', message: 'must be a mainland number' },
          { field: 'region', code: 'unknown_value', message: 'not a region' },
          { field: 'ref', code: 'not_allowed', message: 'admins only' },
        ],
      })
    })
    const w = mountForm(save)
    await w.find('[data-field="name"] input').setValue('宁波测试压铸有限公司')
    await w.find('[data-field="uscc"] input').setValue('913304024877934U6J')
    await w.find('[data-field="contact.phone"] input').setValue('12345')
    await w.find('form').trigger('submit')
    await settle()

    expect(save).toHaveBeenCalledTimes(1)
    // The server's verdict, with the local check's reason after it.
    expect(errorAt(w, 'uscc').text()).toBe('格式不正确：校验码不正确，按前 17 位计算应为 H')
    expect(errorAt(w, 'contact.phone').text()).toBe('格式不正确')
    expect(errorAt(w, 'region').text()).toBe('不是可选的值')
    const alert = w.find('.form-alert')
    expect(alert.text()).toContain('提交的内容有误')
    expect(alert.text()).toContain('ref')
    expect(alert.attributes('role')).toBe('alert')
  })

  it('requires a name before sending anything', async () => {
    const save = vi.fn()
    const w = mountForm(save)
    await w.find('form').trigger('submit')
    await settle()
    expect(save).not.toHaveBeenCalled()
    expect(errorAt(w, 'name').text()).toBe('必填')
  })

  it('sends the profile in the API’s shape', async () => {
    const save = vi.fn(async (_o: OrgInput) => saved)
    const w = mountForm(save)
    await w.find('[data-field="name"] input').setValue(' 宁波测试压铸有限公司 ')
    await w.find('[data-field="uscc"] input').setValue('913304024877934U6H')
    await w.find('[data-field="rdRatio"] input').setValue('4.5')
    await w.find('[data-field="rdRatio"] input').trigger('change')
    const cert = w.find('[data-field="certifications"] input')
    await cert.setValue('iso9001')
    await cert.trigger('keydown', { key: 'Enter' })
    await w.find('form').trigger('submit')
    await flushPromises()

    expect(save).toHaveBeenCalledTimes(1)
    const sent = save.mock.calls[0]![0]
    expect(sent).toMatchObject({
      name: '宁波测试压铸有限公司',
      uscc: '913304024877934U6H',
      orgType: 'sme',
      rdRatio: 0.045,
      certifications: ['ISO9001'],
      products: [],
    })
    expect(sent.contact).toBeUndefined()
    expect(w.emitted('saved')?.[0]).toEqual([saved])
  })

  it('shows an existing profile read-only to members who are not owners', () => {
    const w = mountForm(vi.fn(), { org: { ...saved, uscc: '913304024877934U6H', rdRatio: 0.04 }, readonly: true })
    expect((w.find('[data-field="uscc"] input').element as HTMLInputElement).value).toBe('913304024877934U6H')
    expect((w.find('[data-field="rdRatio"] input').element as HTMLInputElement).value).toBe('4.00')
    expect(w.find('[data-field="name"] input').attributes('disabled')).toBeDefined()
    expect(w.find('[data-test="org-submit"]').exists()).toBe(false)
  })
})
