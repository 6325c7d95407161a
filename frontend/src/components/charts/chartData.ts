// The dashboard's figures as tables (every chart has one beside it, the
// accessible fallback and what a reader copies) and as ECharts options built
// from those same tables, so the chart and its table cannot disagree.

import type { Bucket, FunnelCount, TargetProgress, TrendYear } from '@/api/cultivation'

type Translate = (key: string) => string

export interface TableColumn {
  key: string
  label: string
  numeric?: boolean
}

export type Row = Record<string, string | number>

export interface ChartTable {
  columns: TableColumn[]
  rows: Row[]
}

/** bucketTable lists counts by region, industry or tier, largest first (ties by code). */
export function bucketTable(buckets: Bucket[], nameLabel: string, t: Translate, name?: (b: Bucket) => string): ChartTable {
  const rows = [...buckets]
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .map((b) => ({ code: b.code, name: name ? name(b) : b.name || b.code, count: b.count }))
  return {
    columns: [
      { key: 'name', label: nameLabel },
      { key: 'code', label: t('cultivation.dash.code') },
      { key: 'count', label: t('cultivation.dash.firms'), numeric: true },
    ],
    rows,
  }
}

/** TREND_SERIES are the sums drawn on the trend chart, in 万元. */
export const TREND_SERIES = ['outputWan', 'revenueWan', 'taxWan', 'rdSpendWan'] as const

const TREND_COLUMNS = [
  'firms',
  ...TREND_SERIES,
  'inventionPatents',
  'medianRevenueWan',
  'medianTaxPerMu',
  'medianRdRatio',
] as const

/** trendTable lists the yearly sums and medians, oldest first, leaving out years without figures. */
export function trendTable(trends: TrendYear[], t: Translate): ChartTable {
  return {
    columns: [
      { key: 'year', label: t('cultivation.dash.year') },
      ...TREND_COLUMNS.map((k) => ({ key: k, label: t(`cultivation.trend.${k}`), numeric: true })),
    ],
    rows: [...trends]
      .filter((y) => y.firms > 0)
      .sort((a, b) => a.year - b.year)
      .map((y) => ({ year: y.year, ...Object.fromEntries(TREND_COLUMNS.map((k) => [k, y[k]])) })),
  }
}

/** targetTable lists the targets with goal, achievement and percent, in the UI language. */
export function targetTable(targets: TargetProgress[], locale: string, t: Translate): ChartTable {
  return {
    columns: [
      { key: 'name', label: t('cultivation.dash.name') },
      { key: 'goal', label: t('cultivation.target.goal'), numeric: true },
      { key: 'achieved', label: t('cultivation.target.achieved'), numeric: true },
      { key: 'percent', label: t('cultivation.target.percent'), numeric: true },
    ],
    rows: targets.map((x) => ({
      name: locale.startsWith('zh') ? x.zh : x.en,
      goal: x.goal,
      achieved: x.achieved,
      percent: x.percent,
    })),
  }
}

const FUNNEL_STAGES = ['proposed', 'accepted', 'agreed'] as const

/** funnelTable lists the pairing funnel by kind and month. */
export function funnelTable(rows: FunnelCount[], t: Translate): ChartTable {
  return {
    columns: [
      { key: 'kind', label: t('cultivation.funnel.kind') },
      { key: 'month', label: t('cultivation.funnel.month'), numeric: true },
      ...FUNNEL_STAGES.map((k) => ({ key: k, label: t(`cultivation.funnel.${k}`), numeric: true })),
      { key: 'valueWan', label: t('cultivation.funnel.valueWan'), numeric: true },
    ],
    rows: [...rows]
      .sort((a, b) => a.month - b.month || a.kind.localeCompare(b.kind))
      .map((r) => ({ ...r, kind: kindName(r.kind, t) })),
  }
}

function kindName(kind: string, t: Translate): string {
  const key = `cultivation.kind.${kind}`
  const s = t(key)
  return s === key ? kind : s
}

/** funnelStages sums the funnel over kinds and months: the three stages of the funnel chart. */
export function funnelStages(rows: FunnelCount[]): Record<(typeof FUNNEL_STAGES)[number], number> {
  const sum = { proposed: 0, accepted: 0, agreed: 0 }
  for (const r of rows) for (const k of FUNNEL_STAGES) sum[k] += r[k]
  return sum
}

/** ChartOption is the part of an ECharts option the dashboard's charts use. */
export type ChartOption = Record<string, unknown>

/** barOption draws one numeric column of a table against its label column; horizontal bars keep long names readable. */
export function barOption(table: ChartTable, labelKey: string, valueKey: string, limit = 20): ChartOption {
  const rows = table.rows.slice(0, limit).reverse()
  const col = table.columns.find((c) => c.key === valueKey)
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => String(r[labelKey])), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [{ type: 'bar', name: col?.label ?? valueKey, barMaxWidth: 24, data: rows.map((r) => Number(r[valueKey])) }],
  }
}

/** barHeight is the height in pixels of a bar chart of n bars (at most limit are drawn). */
export function barHeight(n: number, limit = 20): number {
  return Math.max(140, Math.min(n, limit) * 26 + 48)
}

/** lineOption draws several numeric columns of a table over its first column. */
export function lineOption(table: ChartTable, xKey: string, keys: readonly string[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: table.rows.map((r) => String(r[xKey])) },
    yAxis: { type: 'value' },
    series: keys.map((k) => ({
      type: 'line',
      name: table.columns.find((c) => c.key === k)?.label ?? k,
      data: table.rows.map((r) => Number(r[k])),
    })),
  }
}

/** chartSummary is a chart's accessible name: its title and its largest entries. */
export function chartSummary(title: string, table: ChartTable, labelKey: string, valueKey: string, top = 3): string {
  if (!table.rows.length) return title
  const parts = table.rows.slice(0, top).map((r) => `${r[labelKey]} ${r[valueKey]}`)
  return `${title}: ${parts.join(', ')}`
}
