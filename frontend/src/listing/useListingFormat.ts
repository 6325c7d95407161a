// Turns listing field values into text for the UI language: codes into
// names, enums into labels, numbers into the locale's digits.

import { useI18n } from 'vue-i18n'
import { useRefStore } from '@/stores/ref'
import type { Amount, Listing } from '@/api/types'
import { KIND_FIELDS, type FieldSpec } from './kinds'
import { formatNumber } from '@/utils/format'

export interface Shown {
  label: string
  /** long text is shown as a paragraph, tags as chips, anything else inline. */
  as: 'text' | 'long' | 'tags'
  text: string
  tags: string[]
}

export function useListingFormat() {
  const { t, locale } = useI18n()
  const refs = useRefStore()
  // Codes are shown by name once the tables arrive; until then as codes.
  refs.load('industries').catch(() => undefined)
  refs.load('regions').catch(() => undefined)

  function value(f: FieldSpec, v: unknown): Pick<Shown, 'as' | 'text' | 'tags'> | null {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) return null
    const none = { text: '', tags: [] as string[] }
    switch (f.type) {
      case 'textarea':
        return { ...none, as: 'long', text: String(v) }
      case 'tags':
        return { ...none, as: 'tags', tags: v as string[] }
      case 'industry':
        return { ...none, as: 'text', text: refs.fullName('industries', v as string) }
      case 'industries':
        return { ...none, as: 'tags', tags: (v as string[]).map((c) => refs.name('industries', c)) }
      case 'regions':
        return { ...none, as: 'tags', tags: (v as string[]).map((c) => refs.fullName('regions', c)) }
      case 'enum':
        return { ...none, as: 'text', text: t(`enums.${f.optionsKey}.${v}`) }
      case 'enums':
        return { ...none, as: 'tags', tags: (v as string[]).map((o) => t(`enums.${f.optionsKey}.${o}`)) }
      case 'amount': {
        const a = v as Amount
        if (!a.value) return null
        const per = a.per ? t('listing.amount.perSuffix', { per: t(`enums.per.${a.per}`) }) : ''
        return { ...none, as: 'text', text: `${formatNumber(a.value, locale.value)} ${a.unit ?? ''}${per}`.trim() }
      }
      case 'number':
      case 'int': {
        // The field's label carries the unit (万元, days, years).
        const n = v as number
        return n ? { ...none, as: 'text', text: formatNumber(n, locale.value) } : null
      }
      default:
        return { ...none, as: 'text', text: String(v) }
    }
  }

  /** fields returns the listing's filled kind-specific fields in table order. */
  function fields(l: Listing, opts: { long?: boolean } = {}): Shown[] {
    const out: Shown[] = []
    const src = l as unknown as Record<string, unknown>
    for (const f of KIND_FIELDS[l.kind]) {
      if (f.type === 'textarea' && !opts.long) continue
      const s = value(f, src[f.name])
      if (s) out.push({ label: t(`listing.fields.${f.name}`), ...s })
    }
    return out
  }

  /** summary is the listing's main text (a technology's abstract, otherwise the description). */
  function summary(l: Listing): string {
    return l.abstract || l.description || ''
  }

  return { fields, summary, value }
}
