import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import type { Meeting, ProblemSlot } from '@/api/events'
import { buildGrid, busyIn, clashOf, refusalOf } from './grid'

const slot = (id: string, start: string, tables: number): ProblemSlot => ({
  id,
  start: `2027-03-02T${start}:00+08:00`,
  end: `2027-03-02T${start}:00+08:00`,
  tables,
})
const meeting = (
  id: string,
  a: string,
  b: string,
  s: string,
  table: number,
  status: Meeting['status'] = 'scheduled',
): Meeting => ({
  id,
  request: `r-${id}`,
  a,
  b,
  slot: s,
  table,
  status,
  sequence: 0,
  updatedAt: '',
})

describe('buildGrid', () => {
  const slots = [slot('s2', '09:20', 2), slot('s1', '09:00', 3)]

  it('puts slots in time order and each meeting at its table', () => {
    const g = buildGrid(slots, [meeting('m1', 'a', 'b', 's1', 2), meeting('m2', 'c', 'd', 's2', 1)])
    expect(g.tables).toBe(3)
    expect(g.rows.map((r) => r.slot.id)).toEqual(['s1', 's2'])
    expect(g.rows[0]!.cells.map((c) => c.meeting?.id ?? null)).toEqual([null, 'm1', null])
    expect(g.rows[1]!.cells.map((c) => c.exists)).toEqual([true, true, false])
    expect(g.rows[1]!.cells[0]!.meeting?.id).toBe('m2')
    expect(g.stray).toEqual([])
  })

  it('leaves cancelled meetings out and keeps misplaced ones as stray', () => {
    const g = buildGrid(slots, [
      meeting('x', 'a', 'b', 's1', 1, 'cancelled'),
      meeting('m1', 'a', 'b', 's2', 3),
      meeting('m2', 'c', 'd', 'gone', 1),
    ])
    expect(g.rows.flatMap((r) => r.cells).filter((c) => c.meeting)).toEqual([])
    expect(g.stray.map((m) => m.id)).toEqual(['m1', 'm2'])
  })

  it('has no rows and no columns without slots', () => {
    expect(buildGrid([], [])).toEqual({ tables: 0, rows: [], stray: [] })
  })
})

describe('clashOf', () => {
  const ms = [meeting('m1', 'a', 'b', 's1', 1), meeting('m2', 'c', 'd', 's1', 2), meeting('m3', 'a', 'd', 's2', 1)]
  const g = buildGrid([slot('s1', '09:00', 3), slot('s2', '09:20', 3)], ms)

  it('tells a taken table, a busy side and the same place apart', () => {
    expect(clashOf(g, ms[2]!, 's1', 2)).toBe('table_taken')
    expect(clashOf(g, ms[2]!, 's1', 3)).toBe('participant_busy')
    expect(clashOf(g, ms[0]!, 's1', 1)).toBe('same_place')
    expect(clashOf(g, ms[1]!, 's2', 2)).toBe('participant_busy')
  })

  it('leaves a free table with free sides to the server', () => {
    expect(clashOf(g, ms[0]!, 's2', 3)).toBe('participant_busy')
    expect(clashOf(g, ms[1]!, 's1', 3)).toBeNull()
  })

  it('lists who is busy in each slot', () => {
    expect([...busyIn(ms).get('s1')!].sort()).toEqual(['a', 'b', 'c', 'd'])
  })
})

describe('refusalOf', () => {
  const conflict = (errors: { field: string; code: string; message: string }[]) =>
    new ApiError({ type: 'urn:rongtong:problem:conflict', title: 'Conflict', status: 409, detail: 'move refused', errors })

  it('reads the scheduler code and message of a refused move', () => {
    const r = refusalOf(conflict([{ field: 'table', code: 'table_taken', message: 'table 2 of slot am1 is taken by r9' }]))
    expect(r).toEqual({ code: 'table_taken', detail: 'table 2 of slot am1 is taken by r9' })
  })

  it('keeps the detail of a conflict without a known code', () => {
    expect(refusalOf(conflict([]))).toEqual({ code: null, detail: 'move refused' })
  })

  it('is null for other failures', () => {
    expect(refusalOf(new ApiError({ type: 'urn:rongtong:problem:forbidden', title: 'x', status: 403 }))).toBeNull()
    expect(refusalOf(new Error('x'))).toBeNull()
  })
})
