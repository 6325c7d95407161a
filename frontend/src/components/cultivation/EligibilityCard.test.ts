import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import EligibilityCard from './EligibilityCard.vue'
import { createAppI18n } from '@/locales'
import type { Eligibility } from '@/api/cultivation'

const elig: Eligibility = {
  orgId: 'o1',
  year: 2025,
  tier: 'innovative',
  next: {
    tier: 'specialized',
    criteria: [
      { metric: 'revenue_wan', met: true, value: 1770 },
      {
        metric: 'rd_spend_wan',
        met: false,
        value: 95.4,
        text: { 'zh-CN': '研发投入 95.4万元，需达到 100万元', en: 'R&D spend 95.4 wan yuan, needs 100 wan yuan' },
      },
      { metric: 'credit_rating', met: true, value: 8 },
    ],
  },
}

const mountCard = (e: Eligibility, locale: 'zh-CN' | 'en') =>
  mount(EligibilityCard, { props: { eligibility: e }, global: { plugins: [createAppI18n(locale)] } })

describe('EligibilityCard', () => {
  it('shows the tier met and each gap to the next tier in Chinese', () => {
    const w = mountCard(elig, 'zh-CN')
    expect(w.find('[data-test="eligibility-tier"]').text()).toBe('创新型中小企业')
    expect(w.text()).toContain('距离「省级专精特新」')
    expect(w.findAll('[data-test="eligibility-gap"]').map((g) => g.text())).toEqual(['研发投入 95.4万元，需达到 100万元'])
    expect(w.find('[data-metric="credit_rating"]').text()).toContain('AA')
    expect(w.find('[data-metric="revenue_wan"]').text()).toContain('1,770 万元')
  })

  it('shows the gaps in English', () => {
    const w = mountCard(elig, 'en')
    expect(w.findAll('[data-test="eligibility-gap"]').map((g) => g.text())).toEqual([
      'R&D spend 95.4 wan yuan, needs 100 wan yuan',
    ])
    expect(w.find('[data-metric="rd_spend_wan"]').text()).toContain('Not met')
  })

  it('says so when there are no figures or the top tier is met', () => {
    expect(mountCard({ orgId: 'o1', year: 0, tier: 'none' }, 'en').text()).toContain('No figures yet')
    expect(mountCard({ orgId: 'o1', year: 2025, tier: 'little_giant' }, 'en').text()).toContain('The highest tier is met.')
  })
})
