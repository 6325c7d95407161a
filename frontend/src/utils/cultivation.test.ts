import { describe, expect, it } from 'vitest'
import { criterionValue, DASH, formatGrowth, formatPercent, gapText, parseFigure, ratingOfRank } from './cultivation'
import type { CriterionGap } from '@/api/cultivation'

const t = (k: string) => ({ 'cultivation.yes': '是', 'cultivation.no': '否', 'cultivation.unit.wan': '万元' })[k] ?? k

describe('figure formatting', () => {
  it('prints percentages with one decimal, in the locale, and a dash for none', () => {
    expect(formatPercent(5.3898, 'zh-CN')).toBe('5.4%')
    expect(formatPercent(4, 'en')).toBe('4.0%')
    expect(formatPercent(1234.56, 'en')).toBe('1,234.6%')
    expect(formatPercent(null, 'en')).toBe(DASH)
    expect(formatPercent(undefined, 'en')).toBe(DASH)
  })

  it('signs growth', () => {
    expect(formatGrowth(9.7279, 'en')).toBe('+9.7%')
    expect(formatGrowth(-56.9307, 'en')).toBe('−56.9%')
    expect(formatGrowth(0, 'en')).toBe('0.0%')
    expect(formatGrowth(null, 'en')).toBe(DASH)
  })

  it('reads typed numbers and refuses what is not one', () => {
    expect(parseFigure('1,200.5')).toBe(1200.5)
    expect(parseFigure(' 3 ')).toBe(3)
    expect(parseFigure('-1')).toBe(-1)
    expect(parseFigure('１２')).toBeNull()
    expect(parseFigure('')).toBeNull()
    expect(parseFigure('12abc')).toBeNull()
    expect(parseFigure('1.2.3')).toBeNull()
    expect(parseFigure(7)).toBe(7)
  })
})

describe('tier criteria', () => {
  const gap = (metric: string, value: number | null, met = true, text?: Record<string, string>): CriterionGap => ({
    metric,
    value,
    met,
    text,
  })

  it('prints a criterion value in its unit', () => {
    expect(criterionValue(gap('rd_ratio', 3.14159), 'zh-CN', t)).toBe('3.1%')
    expect(criterionValue(gap('revenue_wan', 1770), 'zh-CN', t)).toBe('1,770 万元')
    expect(criterionValue(gap('credit_rating', 8), 'zh-CN', t)).toBe('AA')
    expect(criterionValue(gap('no_major_incident', 1), 'zh-CN', t)).toBe('是')
    expect(criterionValue(gap('own_trademark', 0), 'zh-CN', t)).toBe('否')
    expect(criterionValue(gap('rd_ratio', null), 'zh-CN', t)).toBe(DASH)
  })

  it('maps rating ranks back to ratings', () => {
    expect(ratingOfRank(9)).toBe('AAA')
    expect(ratingOfRank(1)).toBe('C')
    expect(ratingOfRank(0)).toBe(DASH)
  })

  it('gives an unmet criterion’s gap in the UI language, Chinese when the language is missing', () => {
    const c = gap('rd_ratio', 3.1, false, { 'zh-CN': '研发投入占比 3.1%，需达到 4.0%', en: 'R&D ratio 3.1%, needs 4.0%' })
    expect(gapText(c, 'en')).toBe('R&D ratio 3.1%, needs 4.0%')
    expect(gapText(c, 'zh-CN')).toBe('研发投入占比 3.1%，需达到 4.0%')
    expect(gapText({ ...c, text: { 'zh-CN': '研发投入占比 3.1%，需达到 4.0%' } }, 'en')).toBe('研发投入占比 3.1%，需达到 4.0%')
    expect(gapText({ ...c, met: true }, 'en')).toBe('')
  })
})
