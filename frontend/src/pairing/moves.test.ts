import { describe, expect, it } from 'vitest'
import type { Pairing, PairingStatus } from '@/api/pairings'
import { checkMove, emptyMove, otherParty, pipeline, PIPELINE_COLUMNS, toInput } from './moves'

function pairing(id: string, status: PairingStatus, valueYuan?: number): Pairing {
  return {
    id,
    kind: 'financing',
    origin: 'user',
    a: { orgId: 'oa', name: 'A', record: { kind: 'financing', id: 'la' } },
    b: { orgId: 'ob', name: 'B', record: { kind: 'org', id: 'ob' } },
    status,
    history: [],
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    version: 1,
    ...(valueYuan !== undefined ? { outcome: { kind: 'investment', valueYuan } } : {}),
  }
}

describe('pairing moves', () => {
  it('asks a decline for a reason and an agreement for its outcome', () => {
    expect(checkMove(emptyMove('accepted'))).toEqual({})
    expect(checkMove(emptyMove('declined'))).toEqual({ reason: 'required' })
    expect(checkMove({ ...emptyMove('declined'), reason: 'terms' })).toEqual({})
    expect(checkMove(emptyMove('agreed'))).toEqual({ 'outcome.kind': 'required', 'outcome.valueYuan': 'required' })
    expect(checkMove({ ...emptyMove('agreed'), outcomeKind: 'contract', valueWan: 0 })).toEqual({})
  })

  it('sends amounts in yuan and only the fields of the move', () => {
    expect(toInput({ ...emptyMove('agreed'), outcomeKind: 'investment', valueWan: 1.5, message: ' ok ' }, 3)).toEqual({
      to: 'agreed',
      message: 'ok',
      outcome: { kind: 'investment', valueYuan: 15000 },
      version: 3,
    })
    expect(toInput({ ...emptyMove('declined'), reason: 'timing', outcomeKind: 'contract', valueWan: 9 })).toEqual({
      to: 'declined',
      reason: 'timing',
    })
    expect(toInput(emptyMove('meeting'))).toEqual({ to: 'meeting' })
  })

  it('groups the pipeline by stage and sums the amounts per column', () => {
    const cols = pipeline([
      pairing('1', 'interested'),
      pairing('2', 'agreed', 2_000_000),
      pairing('3', 'agreed', 500_000),
      pairing('4', 'declined', 999),
      pairing('5', 'meeting'),
    ])
    expect(cols.map((c) => c.status)).toEqual([...PIPELINE_COLUMNS])
    const by = Object.fromEntries(cols.map((c) => [c.status, c]))
    expect(by.interested!.items.map((p) => p.id)).toEqual(['1'])
    expect(by.agreed!.items.map((p) => p.id)).toEqual(['2', '3'])
    expect(by.agreed!.valueYuan).toBe(2_500_000)
    expect(by.meeting!.valueYuan).toBe(0)
    expect(cols.flatMap((c) => c.items).some((p) => p.id === '4')).toBe(false)
  })

  it('names the other party from the caller’s side', () => {
    expect(otherParty(pairing('1', 'accepted'), 'oa').name).toBe('B')
    expect(otherParty(pairing('1', 'accepted'), 'ob').name).toBe('A')
  })
})
