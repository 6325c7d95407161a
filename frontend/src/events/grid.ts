// The schedule grid: one row per slot, one column per table, each cell the
// meeting placed there (or empty, or no table in a slot with fewer tables),
// and the words for a move the server refused.

import { isApiError } from '@/api/client'
import type { Meeting, ProblemSlot } from '@/api/events'

export interface GridCell {
  slot: string
  table: number
  /** exists is false for a column past the slot's tables. */
  exists: boolean
  meeting: Meeting | null
}

export interface GridRow {
  slot: ProblemSlot
  cells: GridCell[]
}

export interface Grid {
  /** tables is the column count: the most tables of any slot. */
  tables: number
  rows: GridRow[]
  /** stray are meetings whose slot or table the grid does not have (never expected; shown, not lost). */
  stray: Meeting[]
}

/** buildGrid lays the meetings out on slots (in time order) × tables; cancelled meetings are left out. */
export function buildGrid(slots: readonly ProblemSlot[], meetings: readonly Meeting[]): Grid {
  const ordered = [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
  const tables = ordered.reduce((n, s) => Math.max(n, s.tables), 0)
  const at = new Map<string, Meeting>()
  const stray: Meeting[] = []
  const known = new Map(ordered.map((s) => [s.id, s]))
  for (const m of meetings) {
    if (m.status === 'cancelled') continue
    const s = known.get(m.slot)
    const key = `${m.slot}#${m.table}`
    if (!s || m.table < 1 || m.table > s.tables || at.has(key)) stray.push(m)
    else at.set(key, m)
  }
  const rows = ordered.map((slot) => ({
    slot,
    cells: Array.from({ length: tables }, (_, i) => ({
      slot: slot.id,
      table: i + 1,
      exists: i < slot.tables,
      meeting: at.get(`${slot.id}#${i + 1}`) ?? null,
    })),
  }))
  return { tables, rows, stray }
}

/** busyIn lists the participants meeting in each slot, for hinting where a meeting cannot go. */
export function busyIn(meetings: readonly Meeting[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const m of meetings) {
    if (m.status === 'cancelled') continue
    const s = out.get(m.slot) ?? new Set<string>()
    s.add(m.a).add(m.b)
    out.set(m.slot, s)
  }
  return out
}

/**
 * clashOf says, before asking the server, why moving m to slot/table would
 * be refused when the grid alone shows it: the same place, a taken table,
 * or a side already meeting in the slot. The server's check stays the
 * authority (availability, sessions, caps, fixed meetings); null lets it decide.
 */
export function clashOf(
  grid: Grid,
  m: Meeting,
  slot: string,
  table: number,
): 'same_place' | 'table_taken' | 'participant_busy' | null {
  if (m.slot === slot && m.table === table) return 'same_place'
  const row = grid.rows.find((r) => r.slot.id === slot)
  const cell = row?.cells[table - 1]
  if (cell?.meeting && cell.meeting.id !== m.id) return 'table_taken'
  const others = row?.cells.filter((c) => c.meeting && c.meeting.id !== m.id) ?? []
  if (others.some((c) => [c.meeting!.a, c.meeting!.b].some((p) => p === m.a || p === m.b))) return 'participant_busy'
  return null
}

/** MOVE_CODES are the scheduler's codes for a refused move (matching/schedule.Move*). */
export const MOVE_CODES = [
  'unknown',
  'fixed',
  'unavailable',
  'session_not_allowed',
  'participant_busy',
  'table_taken',
  'tables_full',
  'participant_cap',
  'invalid_solution',
] as const

export interface Refusal {
  /** code is the scheduler's code, when the answer carried one of MOVE_CODES. */
  code: string | null
  /** detail is the server's own words. */
  detail: string
}

/** refusalOf reads a refused move (409 with the scheduler's code in its field error); null for any other failure. */
export function refusalOf(err: unknown): Refusal | null {
  if (!isApiError(err) || err.status !== 409) return null
  const fe = err.fieldErrors.find((f) => (MOVE_CODES as readonly string[]).includes(f.code))
  return { code: fe?.code ?? null, detail: fe?.message || err.problem.detail || err.problem.title }
}
