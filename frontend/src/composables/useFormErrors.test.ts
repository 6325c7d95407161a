import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { candidates, placeErrors, useFormErrors } from './useFormErrors'
import { ApiError } from '@/api/client'
import { createAppI18n } from '@/locales'

describe('candidates', () => {
  it('walks from a nested or indexed field up to its form field', () => {
    expect(candidates('title')).toEqual(['title'])
    expect(candidates('capacity.value')).toEqual(['capacity.value', 'capacity'])
    expect(candidates('industries[2]')).toEqual(['industries[2]', 'industries'])
    expect(candidates('contact.phone')).toEqual(['contact.phone', 'contact'])
    expect(candidates('tiers[0].x')).toEqual(['tiers[0].x', 'tiers[0]', 'tiers'])
  })
})

describe('placeErrors', () => {
  const fe = (field: string, code = 'invalid_format') => ({ field, code, message: `${field} bad` })

  it('places each error at the most specific field the form has, keeping the first per field', () => {
    const { byField, unplaced } = placeErrors(
      [fe('industries[1]'), fe('industries[3]'), fe('capacity.unit'), fe('contact.phone'), fe('ref')],
      ['industries', 'capacity', 'contact.phone'],
    )
    expect(Object.keys(byField).sort()).toEqual(['capacity', 'contact.phone', 'industries'])
    expect(byField.industries!.field).toBe('industries[1]')
    expect(unplaced.map((u) => u.field)).toEqual(['ref'])
  })
})

describe('useFormErrors', () => {
  function run(locale: 'zh-CN' | 'en', err: unknown) {
    let api!: ReturnType<typeof useFormErrors>
    mount(
      defineComponent({
        setup() {
          api = useFormErrors(() => ['uscc', 'name'])
          return () => h('div')
        },
      }),
      { global: { plugins: [createAppI18n(locale)] } },
    )
    api.apply(err)
    return api
  }

  const invalid = new ApiError({
    type: 'urn:rongtong:problem:invalid',
    title: 'Unprocessable Entity',
    status: 422,
    errors: [
      { field: 'uscc', code: 'invalid_format', message: 'is not a valid 统一社会信用代码' },
      { field: 'website', code: 'too_long', message: 'must be at most 200 characters' },
    ],
  })

  it('shows field errors by code in Chinese, the rest in the alert', () => {
    const e = run('zh-CN', invalid)
    expect(e.fields.uscc).toBe('格式不正确')
    expect(e.unplaced.value).toEqual([{ field: 'website', text: '内容过长' }])
    expect(e.general.value).toBe('提交的内容有误，请按提示修改。')
  })

  it('shows the server’s own words in English', () => {
    const e = run('en', invalid)
    expect(e.fields.uscc).toBe('Is not a valid 统一社会信用代码')
  })

  it('adds the request ID to server errors', () => {
    const e = run('en', new ApiError({ type: 'urn:rongtong:problem:internal', title: 'x', status: 500, requestId: 'abc123' }))
    expect(e.general.value).toBe('Internal server error. (request abc123)')
  })

  it('says something for anything else thrown', () => {
    const e = run('zh-CN', new Error('boom'))
    expect(e.general.value).toBe('操作失败，请稍后再试。')
  })
})
