// The cultivation database (培育库): yearly indicators, tier eligibility,
// membership, the indicator workbooks and the government dashboard.

import { http, type Query } from './client'
import type { Page, Tier } from './types'

export type Safety = 'clean' | 'minor' | 'major'
export const SAFETY: readonly Safety[] = ['clean', 'minor', 'major']
export const CREDIT_RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC', 'CC', 'C'] as const

/** Indicator is one organisation's figures for a year: money in 万元, shares in percent (0–100). */
export interface Indicator {
  orgId?: string
  year: number
  outputWan: number
  revenueWan: number
  taxWan: number
  landMu: number
  energyTce: number
  rdSpendWan: number
  inventionPatents: number
  ownTrademark: boolean
  standardsShare: number
  qualityPassRate: number
  ncShare: number
  safety: Safety
  creditRating?: string
  debtRatio: number
  mainBusinessShare: number
  nicheYears: number
  updatedAt?: string
}

/** Derived are the figures computed from a year's row; null where a divisor is missing. */
export interface Derived {
  taxPerMu: number | null
  outputPerTce: number | null
  rdRatio: number | null
  outputGrowth: number | null
  revenueGrowth: number | null
  taxGrowth: number | null
}

export interface IndicatorYear extends Indicator {
  derived: Derived
}

export interface CriterionGap {
  metric: string
  met: boolean
  value: number | null
  /** text is the gap in words by language (zh-CN, en), for unmet criteria. */
  text?: Record<string, string>
}

export interface Eligibility {
  orgId: string
  year: number
  tier: Tier
  next?: { tier: Tier; criteria: CriterionGap[] }
}

export type Level = 'county' | 'city' | 'province'
export const LEVELS: readonly Level[] = ['county', 'city', 'province']

export interface Membership {
  orgId?: string
  level: Level
  since: string
  office: string
  updatedAt?: string
}

export interface IndicatorImportError {
  row: number
  uscc?: string
  year?: number
  field: string
  code: string
  message: string
}

export interface IndicatorImport {
  rows: number
  created: number
  updated: number
  unchanged: number
  failed: number
  errors: IndicatorImportError[] | null
}

export interface Bucket {
  code: string
  name: string
  count: number
}

export interface TrendYear {
  year: number
  firms: number
  outputWan: number
  revenueWan: number
  taxWan: number
  rdSpendWan: number
  inventionPatents: number
  medianRevenueWan: number
  medianTaxPerMu: number
  medianRdRatio: number
}

export interface TargetProgress {
  key: string
  zh: string
  en: string
  unit: 'count' | 'wan'
  year: number
  goal: number
  achieved: number
  percent: number
  available: boolean
}

export interface FunnelCount {
  kind: string
  month: number
  proposed: number
  accepted: number
  agreed: number
  valueWan: number
}

export interface Dashboard {
  region: string
  year: number
  firms: number
  byCity: Bucket[]
  byCounty: Bucket[]
  byIndustry: Bucket[]
  byTier: Bucket[]
  trends: TrendYear[]
  targets: TargetProgress[]
  funnel: { available: boolean; rows: FunnelCount[] | null }
}

export type DashboardChart = 'cities' | 'counties' | 'industries' | 'tiers' | 'trends' | 'targets' | 'funnel'
export type DownloadFormat = 'csv' | 'xlsx'

export interface DashboardFilter extends Query {
  region?: string
  year?: number
}

export interface ExportFilter extends Query {
  region?: string
  industry?: string
  tier?: string[]
  year?: number
}

const org = (id: string) => `/orgs/${encodeURIComponent(id)}`

export const cultivationApi = {
  indicators: async (orgId: string): Promise<IndicatorYear[]> =>
    (await http.get<Page<IndicatorYear>>(`${org(orgId)}/indicators`)).items ?? [],
  putIndicator: (orgId: string, year: number, row: Omit<Indicator, 'year'>) =>
    http.put<IndicatorYear>(`${org(orgId)}/indicators/${year}`, row),
  eligibility: (orgId: string) => http.get<Eligibility>(`${org(orgId)}/eligibility`),
  membership: (orgId: string) => http.get<Membership>(`${org(orgId)}/cultivation`),
  putMembership: (orgId: string, m: Membership) => http.put<Membership>(`${org(orgId)}/cultivation`, m),
  dashboard: (f: DashboardFilter, signal?: AbortSignal) => http.get<Dashboard>('/admin/dashboard', f, signal),
  /** dashboardFile is one chart's data as CSV or a workbook. */
  dashboardFile: (f: DashboardFilter, chart: DashboardChart, format: DownloadFormat) =>
    http.blob('/admin/dashboard', { ...f, chart, format }),
  template: () => http.blob('/admin/indicators/template'),
  /** importWorkbook uploads an indicator workbook (multipart field "file"); with report, the answer is the report workbook. */
  importWorkbook: (file: File) => http.post<IndicatorImport>('/admin/indicators/import', uploadForm(file)),
  importReport: (file: File) => http.blob('/admin/indicators/import', { format: 'xlsx' }, uploadForm(file)),
  exportList: (f: ExportFilter) => http.blob('/admin/indicators/export', f),
}

function uploadForm(file: File): FormData {
  const form = new FormData()
  form.append('file', file, file.name)
  return form
}
