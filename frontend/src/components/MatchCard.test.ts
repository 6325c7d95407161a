import { beforeEach, describe, expect, it } from 'vitest'
import { mount, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import MatchCard from './MatchCard.vue'
import SearchHitCard from './SearchHitCard.vue'
import { createAppI18n } from '@/locales'
import { AUTH_STORAGE_KEY } from '@/stores/auth'
import { useShortlistStore } from '@/stores/shortlist'
import { testUser } from '@/test/fakeApi'
import type { Match, SearchHit } from '@/api/types'

const match: Match = {
  rank: 2,
  kind: 'capability',
  id: 'l1',
  title: '铝合金压铸件加工',
  score: 83.4,
  parts: [
    { name: 'process', value: 1, weight: 0.3, points: 30 },
    { name: 'certs', value: 0.5, weight: 0.2, points: 10 },
    { name: 'tier', value: 0, weight: 0, points: 0 },
  ],
  reasons: [{ code: 'processes_met', params: { processes: ['压铸'] }, text: '具备所需工艺：压铸' }, { code: 'verified' }],
  unmet: [{ code: 'certs_missing', params: { certs: ['IATF16949'] }, text: '缺少所需认证：IATF16949' }],
  violations: [{ code: 'deadline_passed', text: '已过截止日期 2026-01-01' }],
  org: {
    id: 'o9',
    name: '宁波精工压铸',
    orgType: 'sme',
    tier: 'specialized',
    verified: true,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  },
}

const global = () => ({ plugins: [createAppI18n('zh-CN')], stubs: { RouterLink: RouterLinkStub } })

function mountMatch(props: { match: Match; from?: string }) {
  return mount(MatchCard, { props, global: global() })
}

function mountHit(hit: SearchHit) {
  return mount(SearchHitCard, { props: { hit }, global: global() })
}

function logInAs(role: string) {
  localStorage.setItem(
    AUTH_STORAGE_KEY,
    JSON.stringify({ accessToken: 'a', refreshToken: 'r', expiresAt: 0, user: { ...testUser, role }, org: null }),
  )
  setActivePinia(createPinia())
}

describe('MatchCard', () => {
  beforeEach(() => logInAs('enterprise'))

  it('shows the score, the reasons in the server’s words, the unmet and the violated', () => {
    const w = mountMatch({ match, from: 'need:n1' })
    expect(w.get('[role="meter"]').attributes('aria-valuenow')).toBe('83')
    expect(w.get('[role="meter"]').attributes('aria-label')).toBe('匹配度 83 分（满分 100）')
    expect(w.findAll('.reasons li').map((li) => li.text())).toEqual(['具备所需工艺：压铸', 'verified'])
    expect(w.get('.unmet li').text()).toBe('缺少所需认证：IATF16949')
    expect(w.get('.violations li').text()).toBe('已过截止日期 2026-01-01')
    // Parts without weight are left out; each part is its own meter.
    expect(w.findAll('.match-parts li').map((li) => li.attributes('data-part'))).toEqual(['process', 'certs'])
    expect(w.get('.match-parts li[data-part="certs"] [role="meter"]').attributes('aria-valuenow')).toBe('50')
    expect(w.get('.match-parts li[data-part="certs"]').text()).toContain('资质认证')
  })

  it('shortlists the owner of a matched listing, remembering the source', async () => {
    const w = mountMatch({ match, from: 'need:n1' })
    const star = w.get('[data-test="shortlist-toggle"]')
    expect(star.attributes('aria-pressed')).toBe('false')
    await star.trigger('click')
    expect(useShortlistStore().items).toEqual([{ id: 'o9', name: '宁波精工压铸', from: 'need:n1' }])
    expect(star.attributes('aria-pressed')).toBe('true')
    expect(star.text()).toContain('已加入候选')
  })

  it('offers no shortlist to roles that do not keep one', () => {
    logInAs('sme')
    const w = mountMatch({ match })
    expect(w.find('[data-test="shortlist-toggle"]').exists()).toBe(false)
  })
})

describe('SearchHitCard', () => {
  beforeEach(() => logInAs('enterprise'))

  it('links to the record and shows only safe highlights', () => {
    const hit: SearchHit = {
      kind: 'capability',
      id: 'l1',
      title: '压铸<加工>',
      orgId: 'o9',
      orgName: '宁波精工压铸',
      score: 1,
      snippets: {
        title: ['<mark>压铸</mark>&lt;加工&gt;'],
        body: ['可承接<mark>压铸</mark><img src=x onerror=alert(1)>'],
      },
    }
    const w = mountHit(hit)
    const links = w.findAllComponents(RouterLinkStub)
    expect(links[0]!.props('to')).toEqual({ name: 'listing', params: { id: 'l1' } })
    expect(links[1]!.props('to')).toEqual({ name: 'org-detail', params: { id: 'o9' } })
    expect(w.get('.hit-title').text()).toBe('压铸<加工>')
    expect(w.findAll('mark').length).toBe(2)
    expect(w.find('img').exists()).toBe(false)
    expect(w.get('.hit-snippet').text()).toContain('<img src=x onerror=alert(1)>')
    expect(w.get('[data-test="shortlist-toggle"]').attributes('data-org')).toBe('o9')
  })

  it('offers no shortlist for a buyer’s need', () => {
    const hit: SearchHit = { kind: 'need', id: 'n1', title: '压铸件配套', orgId: 'o1', orgName: '龙头', score: 1 }
    expect(mountHit(hit).find('[data-test="shortlist-toggle"]').exists()).toBe(false)
  })
})
