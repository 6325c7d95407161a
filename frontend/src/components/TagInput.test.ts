import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { ref } from 'vue'
import TagInput from './TagInput.vue'
import { createAppI18n } from '@/locales'

function mountTagInput(start: string[] = [], props: Record<string, unknown> = {}) {
  const value = ref<string[]>(start)
  const w = mount(TagInput, {
    props: {
      modelValue: value.value,
      'onUpdate:modelValue': (v: string[]) => w.setProps({ modelValue: (value.value = v) }),
      ...props,
    },
    global: { plugins: [createAppI18n('zh-CN')] },
    attachTo: document.body,
  })
  return { w, value, input: w.find('input') }
}

describe('TagInput', () => {
  it('adds a tag on Enter and on a comma, trimmed, once', async () => {
    const { input, value } = mountTagInput()
    await input.setValue(' 压铸 ')
    await input.trigger('keydown', { key: 'Enter' })
    await input.setValue('数控加工')
    await input.trigger('keydown', { key: '，' })
    await input.setValue('压铸')
    await input.trigger('keydown', { key: 'Enter' })
    expect(value.value).toEqual(['压铸', '数控加工'])
    expect((input.element as HTMLInputElement).value).toBe('')
  })

  it('leaves Enter to an input method that is composing', async () => {
    const { input, value } = mountTagInput()
    await input.setValue('yazhu')
    await input.trigger('keydown', { key: 'Enter', isComposing: true })
    expect(value.value).toEqual([])
  })

  it('splits a pasted list', async () => {
    const { input, value } = mountTagInput(['注塑'])
    // jsdom has no DataTransfer; the handler only reads getData.
    const clipboardData = { getData: () => '压铸、数控加工;注塑\n冲压' }
    await input.trigger('paste', { clipboardData })
    expect(value.value).toEqual(['注塑', '压铸', '数控加工', '冲压'])
  })

  it('removes the last tag with Backspace in the empty box, or any tag with its button', async () => {
    const { w, input, value } = mountTagInput(['a', 'b', 'c'])
    await input.trigger('keydown', { key: 'Backspace' })
    expect(value.value).toEqual(['a', 'b'])
    const remove = w.find('button[aria-label="删除 a"]')
    expect(remove.exists()).toBe(true)
    await remove.trigger('click')
    expect(value.value).toEqual(['b'])
  })

  it('offers suggestions not yet chosen, normalised on the way in', async () => {
    const { w, input, value } = mountTagInput(['ISO9001'], {
      suggestions: ['ISO9001', 'IATF16949'],
      normalize: (s: string) => s.toUpperCase(),
    })
    const buttons = w.findAll('.tag-input-suggest button')
    expect(buttons.map((b) => b.text())).toEqual(['+ IATF16949'])
    await buttons[0]!.trigger('click')
    await input.setValue('iso14001')
    await input.trigger('blur')
    expect(value.value).toEqual(['ISO9001', 'IATF16949', 'ISO14001'])
  })

  it('refuses more than the maximum and says so', async () => {
    const { w, input, value } = mountTagInput(['a', 'b'], { max: 2 })
    await input.setValue('c')
    await input.trigger('keydown', { key: 'Enter' })
    expect(value.value).toEqual(['a', 'b'])
    expect(w.find('[role="status"]').text()).toBe('最多 2 项')
  })
})
