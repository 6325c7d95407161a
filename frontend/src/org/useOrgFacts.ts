// The facts shown about an organisation, named and formatted in the UI
// language: the organisation page and the compare table list the same rows.

import { useI18n } from 'vue-i18n'
import { useRefStore } from '@/stores/ref'
import { formatNumber } from '@/utils/format'
import type { Org } from '@/api/types'

export const ORG_FACTS = [
  'orgType',
  'tier',
  'industry',
  'region',
  'certifications',
  'products',
  'founded',
  'employees',
  'revenueWan',
  'rdRatio',
  'patents',
  'website',
] as const
export type OrgFactKey = (typeof ORG_FACTS)[number]

export interface OrgFact {
  key: OrgFactKey
  label: string
  text: string
  tags: string[]
}

export function useOrgFacts() {
  const { t, locale } = useI18n()
  const refs = useRefStore()
  refs.load('industries').catch(() => undefined)
  refs.load('regions').catch(() => undefined)

  function text(o: Org, k: OrgFactKey): string {
    const num = (n: number | undefined) => (n ? formatNumber(n, locale.value) : '')
    switch (k) {
      case 'orgType':
        return t(`roles.${o.orgType}`)
      case 'tier':
        return o.tier ? t(`enums.tier.${o.tier}`) : ''
      case 'industry':
        return refs.fullName('industries', o.industry)
      case 'region':
        return refs.fullName('regions', o.region)
      case 'revenueWan':
        return o.revenueWan ? t('orgPage.wan', { n: num(o.revenueWan) }) : ''
      case 'rdRatio':
        return o.rdRatio ? t('orgPage.percent', { n: num(o.rdRatio) }) : ''
      case 'founded':
        return o.founded ? String(o.founded) : ''
      case 'employees':
      case 'patents':
        return num(o[k])
      case 'website':
        return o.website ?? ''
      default:
        return (o[k] ?? []).join(t('list.separator'))
    }
  }

  /** fact returns one row of an organisation; text is '' when it has no value. */
  function fact(o: Org, k: OrgFactKey): OrgFact {
    const tags = k === 'certifications' || k === 'products' ? (o[k] ?? []) : []
    return { key: k, label: t(`org.fields.${k}`), text: text(o, k), tags }
  }

  /** facts returns the rows an organisation has a value for. */
  function facts(o: Org): OrgFact[] {
    return ORG_FACTS.map((k) => fact(o, k)).filter((f) => f.text !== '')
  }

  return { fact, facts }
}
