// 统一社会信用代码 (unified social credit code) checks after GB 32100-2015, the
// same rule the server applies, so the organisation form can check as you type.

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
export const USCC_LENGTH = 18

/** normalizeUSCC trims, folds full-width forms (ＡＢＣ１２３) and upper-cases. */
export function normalizeUSCC(s: string): string {
  return s
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toUpperCase()
}

/** usccCheckChar returns the check character of the first 17 characters, or null if one is outside the alphabet. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== USCC_LENGTH - 1) return null
  let sum = 0
  for (let i = 0; i < first17.length; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]!)
    if (v < 0) return null
    sum += v * WEIGHTS[i]!
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!
}

/** USCCProblem is why a code fails, for a message beside the field. */
export type USCCProblem =
  { kind: 'length'; length: number } | { kind: 'char'; position: number; char: string } | { kind: 'check'; expected: string }

/**
 * checkUSCC returns null for a valid code, otherwise the first problem. A code
 * still being typed (shorter than 18) reports only bad characters, so the user
 * is not told it is too short while typing; pass complete=true on blur.
 */
export function checkUSCC(raw: string, complete = true): USCCProblem | null {
  const s = normalizeUSCC(raw)
  for (let i = 0; i < s.length && i < USCC_LENGTH; i++) {
    if (!USCC_ALPHABET.includes(s[i]!)) return { kind: 'char', position: i + 1, char: s[i]! }
  }
  if (s.length !== USCC_LENGTH) {
    return s.length > USCC_LENGTH || complete ? { kind: 'length', length: s.length } : null
  }
  const expected = usccCheckChar(s.slice(0, 17))!
  return s[17] === expected ? null : { kind: 'check', expected }
}

/** validUSCC reports whether s is a valid 18-character code. */
export function validUSCC(s: string): boolean {
  return checkUSCC(s) === null
}
