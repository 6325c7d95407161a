import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ScoreBar from './ScoreBar.vue'
import { clampScore, matchTargets, scoreBand } from '@/match/targets'

describe('ScoreBar', () => {
  it('is a meter named by its label with the rounded score', () => {
    const w = mount(ScoreBar, { props: { score: 86.6, label: '匹配度 87' } })
    const m = w.get('[role="meter"]')
    expect(m.attributes('aria-valuenow')).toBe('87')
    expect(m.attributes('aria-valuemin')).toBe('0')
    expect(m.attributes('aria-valuemax')).toBe('100')
    expect(m.attributes('aria-label')).toBe('匹配度 87')
    expect(w.get('.score-fill').attributes('style')).toContain('width: 87%')
    expect(w.get('.score-number').text()).toBe('87')
    expect(m.classes()).toContain('score-high')
  })

  it('keeps out-of-range scores inside the bar', () => {
    for (const [score, want] of [
      [-5, 0],
      [140, 100],
      [Number.NaN, 0],
    ] as const) {
      const w = mount(ScoreBar, { props: { score, label: 'x' } })
      expect(w.get('[role="meter"]').attributes('aria-valuenow')).toBe(String(want))
      expect(w.get('.score-fill').attributes('style')).toContain(`width: ${want}%`)
    }
  })
})

describe('score helpers', () => {
  it('band and clamp scores', () => {
    expect([scoreBand(70), scoreBand(69.9), scoreBand(40), scoreBand(39)]).toEqual(['high', 'medium', 'medium', 'low'])
    expect(clampScore(Infinity)).toBe(0)
    expect(clampScore(49.5)).toBe(50)
  })

  it('name the targets of each source kind, the default first', () => {
    expect(matchTargets('need')).toEqual(['org', 'capability'])
    expect(matchTargets('tech')[0]).toBe('technead')
    expect(matchTargets('org')).toEqual(['org'])
  })
})
