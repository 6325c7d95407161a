import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import EventForm from './EventForm.vue'
import { ApiError } from '@/api/client'
import { createAppI18n } from '@/locales'
import type { Event, EventInput } from '@/api/events'

const invalid = new ApiError({
  type: 'urn:rongtong:problem:invalid',
  title: 'Invalid',
  status: 422,
  detail: 'invalid',
  errors: [
    { field: 'title', code: 'required', message: 'is required' },
    { field: 'slots[1].end', code: 'range', message: 'the slot must last at least meetingMinutes (20 minutes)' },
    { field: 'pairs[0].a', code: 'not_allowed', message: 'must be one of the participant types' },
  ],
})

function mountForm(save: (e: EventInput) => Promise<Event>) {
  return mount(EventForm, { props: { save, submitText: '保存' }, global: { plugins: [createAppI18n('en')] } })
}

describe('EventForm', () => {
  it('sends the event with slot times on their session day and shows the field errors beside the fields', async () => {
    let sent: EventInput | null = null
    const w = mountForm(async (e) => {
      sent = e
      throw invalid
    })
    await w.find('form').trigger('submit')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 120)) // Element Plus shows a field error after a 100 ms debounce
    await flushPromises()
    expect(sent!.slots).toHaveLength(3)
    expect(sent!.slots[0]!.start).toMatch(/^\d{4}-\d{2}-\d{2}T09:00:00\+08:00$/)
    expect(sent!.sessions[0]!.day).toBe(sent!.days[0])
    expect(w.find('[data-field="title"] .el-form-item__error').text()).toBe('Is required')
    expect(w.find('[data-field="slots[1].end"] .el-form-item__error').text()).toContain('at least meetingMinutes')
    expect(w.find('[data-field="slots[0].end"] .el-form-item__error').exists()).toBe(false)
    // pairs[0].a names a pair the form no longer shows: it goes beside the pairs.
    expect(w.find('[data-field="pairs"] .field-error').text()).toContain('participant types')
  })

  it('emits the saved event', async () => {
    const saved = { id: 'e9' } as Event
    const w = mountForm(async () => saved)
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.emitted('saved')![0]).toEqual([saved])
  })
})
