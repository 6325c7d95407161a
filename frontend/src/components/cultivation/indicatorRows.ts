// The rows of the per-year indicator table: each stored figure and each
// derived figure, formatted for the UI language.

import type { IndicatorYear } from '@/api/cultivation'
import { formatFigure, formatGrowth, formatPercent } from '@/utils/cultivation'
import { BASIC_FIELDS, PERCENT_FIELDS } from './indicatorForm'

type Translate = (key: string) => string

export interface IndicatorRow {
  key: string
  label: string
  /** values are the formatted figures, one per year in the order given. */
  values: string[]
}

const UNIT_SUFFIX: Record<string, string> = { wan: 'wan', mu: 'mu', tce: 'tce' }

/** indicatorRows turns the years (oldest first) into one row per figure. */
export function indicatorRows(years: IndicatorYear[], locale: string, t: Translate): IndicatorRow[] {
  const [open, close] = locale.startsWith('zh') ? ['（', '）'] : [' (', ')']
  const label = (key: string, unit?: string) =>
    unit && UNIT_SUFFIX[unit]
      ? `${t(`cultivation.field.${key}`)}${open}${t(`cultivation.unit.${unit}`)}${close}`
      : t(`cultivation.field.${key}`)
  const rows: IndicatorRow[] = BASIC_FIELDS.map((f) => ({
    key: f.key,
    label: label(f.key, f.unit),
    values: years.map((y) => formatFigure(y[f.key], locale)),
  }))
  rows.push(
    ...PERCENT_FIELDS.map((f) => ({
      key: f.key,
      label: label(f.key),
      values: years.map((y) => formatPercent(y[f.key], locale)),
    })),
    { key: 'safety', label: label('safety'), values: years.map((y) => t(`cultivation.safety.${y.safety}`)) },
    { key: 'creditRating', label: label('creditRating'), values: years.map((y) => y.creditRating || t('cultivation.ind.none')) },
    {
      key: 'ownTrademark',
      label: label('ownTrademark'),
      values: years.map((y) => t(y.ownTrademark ? 'cultivation.yes' : 'cultivation.no')),
    },
    {
      key: 'taxPerMu',
      label: t('cultivation.derived.taxPerMu'),
      values: years.map((y) => formatFigure(y.derived.taxPerMu, locale)),
    },
    {
      key: 'outputPerTce',
      label: t('cultivation.derived.outputPerTce'),
      values: years.map((y) => formatFigure(y.derived.outputPerTce, locale)),
    },
    {
      key: 'rdRatio',
      label: t('cultivation.derived.rdRatio'),
      values: years.map((y) => formatPercent(y.derived.rdRatio, locale)),
    },
    ...(['outputGrowth', 'revenueGrowth', 'taxGrowth'] as const).map((k) => ({
      key: k,
      label: t(`cultivation.derived.${k}`),
      values: years.map((y) => formatGrowth(y.derived[k], locale)),
    })),
  )
  return rows
}
