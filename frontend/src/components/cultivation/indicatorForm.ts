// The indicator form's model: figures are edited as text (so that "1,200"
// or an empty box can be told apart from 0) and turned into an Indicator on
// saving; the API judges the ranges and its field errors show beside the fields.

import type { Indicator, IndicatorYear, Safety } from '@/api/cultivation'
import { parseFigure } from '@/utils/cultivation'

/** FigureField is a numeric field and its unit. */
export interface FigureField {
  key: NumericKey
  unit: 'wan' | 'mu' | 'tce' | 'percent' | 'count' | 'years'
}

type NumericKey =
  | 'outputWan'
  | 'revenueWan'
  | 'taxWan'
  | 'landMu'
  | 'energyTce'
  | 'rdSpendWan'
  | 'inventionPatents'
  | 'standardsShare'
  | 'qualityPassRate'
  | 'ncShare'
  | 'debtRatio'
  | 'mainBusinessShare'
  | 'nicheYears'

/** BASIC_FIELDS are the business figures, in the order of the workbook. */
export const BASIC_FIELDS: FigureField[] = [
  { key: 'outputWan', unit: 'wan' },
  { key: 'revenueWan', unit: 'wan' },
  { key: 'taxWan', unit: 'wan' },
  { key: 'landMu', unit: 'mu' },
  { key: 'energyTce', unit: 'tce' },
  { key: 'rdSpendWan', unit: 'wan' },
  { key: 'inventionPatents', unit: 'count' },
  { key: 'nicheYears', unit: 'years' },
]

/** PERCENT_FIELDS are the shares and rates, entered in percent (0–100). */
export const PERCENT_FIELDS: FigureField[] = [
  { key: 'standardsShare', unit: 'percent' },
  { key: 'qualityPassRate', unit: 'percent' },
  { key: 'ncShare', unit: 'percent' },
  { key: 'debtRatio', unit: 'percent' },
  { key: 'mainBusinessShare', unit: 'percent' },
]

const FIGURES = [...BASIC_FIELDS, ...PERCENT_FIELDS]

/** FORM_FIELDS are every field the form shows, for placing the API's errors. */
export const FORM_FIELDS = ['year', ...FIGURES.map((f) => f.key), 'ownTrademark', 'safety', 'creditRating']

export interface IndicatorFormModel {
  year: number
  figures: Record<NumericKey, string>
  ownTrademark: boolean
  safety: Safety
  creditRating: string
}

/** formModel fills the form from a stored year, or empty for a new one. */
export function formModel(row: IndicatorYear | null, year: number): IndicatorFormModel {
  const figures = Object.fromEntries(FIGURES.map((f) => [f.key, row ? String(row[f.key]) : ''])) as Record<NumericKey, string>
  return {
    year: row?.year ?? year,
    figures,
    ownTrademark: row?.ownTrademark ?? false,
    safety: row?.safety ?? 'clean',
    creditRating: row?.creditRating ?? '',
  }
}

/**
 * toIndicator reads the form: the row to send, or the fields that are empty
 * or not numbers. Ranges (negative tax, a share above 100) are left to the
 * API, whose errors name the field.
 */
export function toIndicator(m: IndicatorFormModel): { row: Omit<Indicator, 'year'>; bad: string[] } {
  const bad: string[] = []
  const nums = {} as Record<NumericKey, number>
  for (const f of FIGURES) {
    const v = parseFigure(m.figures[f.key])
    if (v === null) bad.push(f.key)
    nums[f.key] = v ?? 0
  }
  const row: Omit<Indicator, 'year'> = {
    ...nums,
    ownTrademark: m.ownTrademark,
    safety: m.safety,
    creditRating: m.creditRating || undefined,
  }
  return { row, bad }
}
