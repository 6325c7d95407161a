// Client-side checks that mirror the server's, so a form can say what is
// wrong before sending; the server stays the judge and its errors win.

export const MIN_PASSWORD = 8
export const MAX_PASSWORD = 128

/** passwordProblem returns the i18n key of what is wrong with a new password, or ''. */
export function passwordProblem(pw: string): string {
  const n = [...pw].length
  if (n < MIN_PASSWORD) return 'auth.passwordTooShort'
  if (n > MAX_PASSWORD) return 'auth.passwordTooLong'
  if (!/[0-9]/.test(pw) || !/[A-Za-z\u0080-\uFFFF]/.test(pw)) return 'auth.passwordLettersDigits'
  return ''
}

/** isMobile reports whether s is a mainland mobile number (11 digits starting with 1). */
export function isMobile(s: string): boolean {
  return /^1[3-9]\d{9}$/.test(s.trim())
}

/** isEmail is a loose e-mail check. */
export function isEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim())
}
