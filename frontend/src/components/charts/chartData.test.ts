import { describe, expect, it } from 'vitest'
import {
  barHeight,
  barOption,
  bucketTable,
  chartSummary,
  funnelStages,
  funnelTable,
  lineOption,
  targetTable,
  trendTable,
} from './chartData'
import type { TargetProgress, TrendYear } from '@/api/cultivation'

const t = (k: string) => k.split('.').pop()!

const trend = (year: number, firms: number, revenueWan: number): TrendYear => ({
  year,
  firms,
  outputWan: revenueWan * 1.2,
  revenueWan,
  taxWan: revenueWan / 20,
  rdSpendWan: revenueWan / 25,
  inventionPatents: firms,
  medianRevenueWan: revenueWan / (firms || 1),
  medianTaxPerMu: 5,
  medianRdRatio: 3.2,
})

describe('chart data', () => {
  it('lists buckets largest first, ties by code, with names from the caller', () => {
    const table = bucketTable(
      [
        { code: '330300', name: '温州市', count: 109 },
        { code: '330200', name: '宁波市', count: 210 },
        { code: '330100', name: '杭州市', count: 109 },
        { code: 'little_giant', name: '', count: 1 },
      ],
      '名称',
      t,
      (b) => (b.code === 'little_giant' ? '小巨人' : b.name),
    )
    expect(table.columns.map((c) => c.key)).toEqual(['name', 'code', 'count'])
    expect(table.rows.map((r) => r.name)).toEqual(['宁波市', '杭州市', '温州市', '小巨人'])
  })

  it('draws the same figures as the table shows', () => {
    const table = bucketTable(
      [
        { code: 'a', name: 'A', count: 3 },
        { code: 'b', name: 'B', count: 5 },
      ],
      'n',
      t,
    )
    const o = barOption(table, 'name', 'count') as { yAxis: { data: string[] }; series: { data: number[] }[] }
    // Horizontal bars draw bottom-up: the largest ends on top.
    expect(o.yAxis.data).toEqual(['A', 'B'])
    expect(o.series[0]!.data).toEqual([3, 5])
    expect(chartSummary('By city', table, 'name', 'count')).toBe('By city: B 5, A 3')
    expect(chartSummary('By city', { columns: [], rows: [] }, 'name', 'count')).toBe('By city')
  })

  it('keeps trend years with figures, oldest first, one series per sum', () => {
    const table = trendTable([trend(2025, 3, 300), trend(2021, 0, 0), trend(2024, 2, 200)], t)
    expect(table.rows.map((r) => r.year)).toEqual([2024, 2025])
    expect(table.rows[1]).toMatchObject({ firms: 3, revenueWan: 300 })
    const o = lineOption(table, 'year', ['revenueWan', 'taxWan']) as { xAxis: { data: string[] }; series: { data: number[] }[] }
    expect(o.xAxis.data).toEqual(['2024', '2025'])
    expect(o.series.map((s) => s.data)).toEqual([
      [200, 300],
      [10, 15],
    ])
  })

  it('sums the funnel over kinds and months and sorts its table by month', () => {
    const rows = [
      { kind: 'supply', month: 3, proposed: 10, accepted: 5, agreed: 2, valueWan: 100 },
      { kind: 'finance', month: 1, proposed: 4, accepted: 2, agreed: 1, valueWan: 500 },
    ]
    expect(funnelStages(rows)).toEqual({ proposed: 14, accepted: 7, agreed: 3 })
    expect(funnelStages([])).toEqual({ proposed: 0, accepted: 0, agreed: 0 })
    expect(funnelTable(rows, t).rows.map((r) => r.month)).toEqual([1, 3])
  })

  it('names targets in the UI language', () => {
    const x: TargetProgress = {
      key: 'k',
      zh: '配对',
      en: 'pairings',
      unit: 'count',
      year: 2025,
      goal: 500,
      achieved: 125,
      percent: 25,
      available: true,
    }
    expect(targetTable([x], 'en', t).rows).toEqual([{ name: 'pairings', goal: 500, achieved: 125, percent: 25 }])
    expect(targetTable([x], 'zh-CN', t).rows[0]!.name).toBe('配对')
  })
})

describe('bar height', () => {
  it('grows with the bars up to the limit', () => {
    expect(barHeight(1)).toBe(140)
    expect(barHeight(10)).toBe(308)
    expect(barHeight(50)).toBe(barHeight(20))
  })
})
