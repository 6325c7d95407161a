// Formatting of dates and numbers for the UI language.

export function formatDateTime(iso: string | undefined, locale: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
}

export function formatDate(iso: string | undefined, locale: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleDateString(locale, { year: 'numeric', month: '2-digit', day: '2-digit' })
}

export function formatNumber(n: number | undefined, locale: string): string {
  if (n === undefined || n === null) return ''
  return n.toLocaleString(locale, { maximumFractionDigits: 2 })
}
