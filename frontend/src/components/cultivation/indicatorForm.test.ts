import { describe, expect, it } from 'vitest'
import { formModel, toIndicator } from './indicatorForm'
import type { IndicatorYear } from '@/api/cultivation'

const stored: IndicatorYear = {
  year: 2024,
  outputWan: 1801,
  revenueWan: 1613,
  taxWan: 43.5,
  landMu: 17.8,
  energyTce: 106,
  rdSpendWan: 89.8,
  inventionPatents: 0,
  ownTrademark: true,
  standardsShare: 93.6,
  qualityPassRate: 99.4,
  ncShare: 37.4,
  safety: 'clean',
  creditRating: 'AA',
  debtRatio: 56.4,
  mainBusinessShare: 70.3,
  nicheYears: 23,
  derived: { taxPerMu: 2.44, outputPerTce: 17, rdRatio: 5.57, outputGrowth: null, revenueGrowth: null, taxGrowth: null },
}

describe('indicator form model', () => {
  it('round-trips a stored year', () => {
    const m = formModel(stored, 2025)
    expect(m.year).toBe(2024)
    expect(m.figures.taxWan).toBe('43.5')
    const { row, bad } = toIndicator(m)
    expect(bad).toEqual([])
    const { year: _y, derived: _d, ...figures } = stored
    expect(row).toEqual(figures)
  })

  it('starts a new year empty and names every field that is not a number', () => {
    const m = formModel(null, 2025)
    expect(m.year).toBe(2025)
    expect(m.safety).toBe('clean')
    m.figures.taxWan = '-5'
    m.figures.debtRatio = '120'
    m.figures.outputWan = '1,200'
    m.figures.revenueWan = 'abc'
    const { row, bad } = toIndicator(m)
    // Ranges are the API's to judge: a negative tax is sent.
    expect(row.taxWan).toBe(-5)
    expect(row.debtRatio).toBe(120)
    expect(row.outputWan).toBe(1200)
    expect(bad).toContain('revenueWan')
    expect(bad).not.toContain('taxWan')
    expect(bad).toContain('landMu')
    expect(row.creditRating).toBeUndefined()
  })
})
