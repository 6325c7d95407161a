// The government dashboard: its filter (region within the admin's scope,
// year), the figures of the last load and the chart downloads.

import { defineStore } from 'pinia'
import { reactive, ref, shallowRef } from 'vue'
import { cultivationApi, type Dashboard, type DashboardChart, type DashboardFilter, type DownloadFormat } from '@/api/cultivation'
import { saveBlob } from '@/utils/cultivation'

/** lastYear is the dashboard's default year, the newest complete one, as the API's default. */
export function lastYear(now: Date = new Date()): number {
  return now.getFullYear() - 1
}

/** yearOptions are the years offered by the filter, newest first: this year back count years. */
export function yearOptions(now: Date = new Date(), count = 10): number[] {
  return Array.from({ length: count }, (_, i) => now.getFullYear() - i)
}

export const useDashboardStore = defineStore('dashboard', () => {
  const filter = reactive<{ region: string; year: number }>({ region: '', year: lastYear() })
  const data = shallowRef<Dashboard | null>(null)
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  /** downloading names the chart and format being downloaded. */
  const downloading = ref<{ chart: DashboardChart; format: DownloadFormat } | null>(null)
  let seq = 0

  function query(): DashboardFilter {
    return { region: filter.region || undefined, year: filter.year || undefined }
  }

  /** load fetches the figures of the filter; an answer to an older filter is dropped. */
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const d = await cultivationApi.dashboard(query())
      if (mine === seq) data.value = d
    } catch (e) {
      if (mine === seq) error.value = e
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  /** download saves one chart's data of the current filter; a failure is thrown for the page to show. */
  async function download(chart: DashboardChart, format: DownloadFormat) {
    downloading.value = { chart, format }
    try {
      const blob = await cultivationApi.dashboardFile(query(), chart, format)
      saveBlob(blob, `rongtong-dashboard-${chart}-${data.value?.year ?? filter.year}.${format}`)
    } finally {
      downloading.value = null
    }
  }

  return { filter, data, loading, error, downloading, load, download }
})
