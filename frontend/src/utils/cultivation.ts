// Formatting of the cultivation database's figures (money in 万元, shares in
// percent) and of tier criteria, for the UI language.

import { CREDIT_RATINGS, type CriterionGap } from '@/api/cultivation'

/** DASH stands for a figure that cannot be computed (no divisor, no previous year). */
export const DASH = '—'

/** formatFigure prints a number with at most digits decimals in the locale's style; null prints a dash. */
export function formatFigure(v: number | null | undefined, locale: string, digits = 2): string {
  if (v === null || v === undefined || Number.isNaN(v)) return DASH
  return v.toLocaleString(locale, { maximumFractionDigits: digits })
}

/** formatPercent prints a percentage (0–100, not a fraction) with one decimal: 5.4%. */
export function formatPercent(v: number | null | undefined, locale: string, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return DASH
  return `${v.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`
}

/** formatGrowth prints a year-over-year change with its sign: +9.7%, −56.9%. */
export function formatGrowth(v: number | null | undefined, locale: string): string {
  if (v === null || v === undefined || Number.isNaN(v)) return DASH
  const s = formatPercent(Math.abs(v), locale)
  return v > 0 ? `+${s}` : v < 0 ? `−${s}` : s
}

/** parseFigure reads a number typed into a form ("1,200.5", " 3 "); null for empty or not a number. */
export function parseFigure(s: string | number | null | undefined): number | null {
  if (typeof s === 'number') return Number.isFinite(s) ? s : null
  const t = (s ?? '').replace(/[,，\s]/g, '')
  if (!t || !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t)) return null
  return Number(t)
}

/** MetricUnit is how a tier criterion's value is shown. */
export type MetricUnit = 'percent' | 'wan' | 'years' | 'count' | 'wanPerMu' | 'bool' | 'rating'

/** METRIC_UNITS gives each metric of configs/tiers.yaml its unit. */
export const METRIC_UNITS: Record<string, MetricUnit> = {
  revenue_wan: 'wan',
  rd_spend_wan: 'wan',
  rd_ratio: 'percent',
  niche_years: 'years',
  debt_ratio: 'percent',
  credit_rating: 'rating',
  main_business_share: 'percent',
  invention_patents: 'count',
  revenue_growth: 'percent',
  tax_per_mu: 'wanPerMu',
  quality_pass_rate: 'percent',
  nc_share: 'percent',
  standards_share: 'percent',
  own_trademark: 'bool',
  no_major_incident: 'bool',
}

/** ratingOfRank turns the API's rating rank (AAA 9 … C 1) back into the rating. */
export function ratingOfRank(rank: number): string {
  return CREDIT_RATINGS[CREDIT_RATINGS.length - rank] ?? DASH
}

type Translate = (key: string) => string

/** criterionValue prints a criterion's value in its unit; t names the units and yes/no. */
export function criterionValue(c: CriterionGap, locale: string, t: Translate): string {
  if (c.value === null || c.value === undefined) return DASH
  switch (METRIC_UNITS[c.metric]) {
    case 'percent':
      return formatPercent(c.value, locale)
    case 'bool':
      return t(c.value ? 'cultivation.yes' : 'cultivation.no')
    case 'rating':
      return ratingOfRank(c.value)
    case 'wan':
      return `${formatFigure(c.value, locale)} ${t('cultivation.unit.wan')}`
    case 'wanPerMu':
      return `${formatFigure(c.value, locale)} ${t('cultivation.unit.wanPerMu')}`
    case 'years':
      return `${formatFigure(c.value, locale, 0)} ${t('cultivation.unit.years')}`
    default:
      return formatFigure(c.value, locale)
  }
}

/** gapText is an unmet criterion's gap in the UI language, falling back to Chinese, then to none. */
export function gapText(c: CriterionGap, locale: string): string {
  if (c.met || !c.text) return ''
  return c.text[locale] ?? c.text[locale.split('-')[0]!] ?? c.text['zh-CN'] ?? ''
}

/** saveBlob offers a downloaded file to the user under name. */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
