import { describe, expect, it } from 'vitest'
import { safeRedirect } from './redirect'
import { isEmail, isMobile, passwordProblem } from './validate'

describe('safeRedirect', () => {
  it.each([
    ['/org', '/org'],
    ['/listings?kind=need', '/listings?kind=need'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['/login?redirect=/org', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
  ])('%s → %s', (from, want) => {
    expect(safeRedirect(from)).toBe(want)
  })
})

describe('client-side checks mirror the server', () => {
  it('password: 8 to 128 characters with letters and digits', () => {
    expect(passwordProblem('short1')).toBe('auth.passwordTooShort')
    expect(passwordProblem('longenough')).toBe('auth.passwordLettersDigits')
    expect(passwordProblem('12345678')).toBe('auth.passwordLettersDigits')
    expect(passwordProblem('融通平台密码2026')).toBe('')
    expect(passwordProblem('Secret2026')).toBe('')
    expect(passwordProblem('a1'.repeat(65))).toBe('auth.passwordTooLong')
  })

  it('mobile numbers and e-mail addresses', () => {
    expect(isMobile('13800000000')).toBe(true)
    expect(isMobile('12800000000')).toBe(false)
    expect(isMobile('1380000000')).toBe(false)
    expect(isEmail('a@example.com')).toBe(true)
    expect(isEmail('a@example')).toBe(false)
  })
})
