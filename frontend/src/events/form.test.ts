import { describe, expect, it } from 'vitest'
import type { Event } from '@/api/events'
import { addSlot, clockAdd, formFields, fromEvent, newEventForm, toInput } from './form'

describe('event form', () => {
  const now = new Date('2027-01-31T20:00:00Z') // 2027-02-01 04:00 in the event zone

  it('starts with a day a month on and a morning of back-to-back slots', () => {
    const f = newEventForm(now)
    expect(f.days).toEqual(['2027-03-03'])
    expect(f.slots.map((s) => [s.id, s.start, s.end])).toEqual([
      ['am1', '09:00', '09:20'],
      ['am2', '09:20', '09:40'],
      ['am3', '09:40', '10:00'],
    ])
  })

  it('puts slot clocks on their session day in the event zone, and back', () => {
    const f = newEventForm(now)
    f.title = 'x'
    f.sessions.push({ id: 'pm', name: 'pm', day: '2027-03-03' })
    f.meetingMinutes = 30
    const s = addSlot(f, 'pm')
    expect(s).toMatchObject({ id: 'pm1', start: '09:00', end: '09:30', tables: 5 })
    const input = toInput(f)
    expect(input.slots[3]).toEqual({
      id: 'pm1',
      session: 'pm',
      start: '2027-03-03T09:00:00+08:00',
      end: '2027-03-03T09:30:00+08:00',
      tables: 5,
    })
    expect(input.requestsClose).toBeUndefined()
    const back = fromEvent({
      ...input,
      id: 'e',
      orgId: 'o',
      status: 'draft',
      createdAt: '',
      updatedAt: '',
      requestsClose: null,
    } as Event)
    expect(back.slots).toEqual(f.slots)
    expect(back.requestsClose).toBe('')
  })

  it('adds clocks without running past midnight', () => {
    expect(clockAdd('09:50', 20)).toBe('10:10')
    expect(clockAdd('23:50', 20)).toBe('23:59')
  })

  it('names every item field errors may point at', () => {
    const fields = formFields(newEventForm(now))
    expect(fields).toContain('slots[2].end')
    expect(fields).toContain('sessions[0].day')
    expect(fields).toContain('days[0]')
    expect(fields).not.toContain('slots[3].end')
  })
})
