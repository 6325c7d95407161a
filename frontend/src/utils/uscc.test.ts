import { describe, expect, it } from 'vitest'
import { USCC_ALPHABET, checkUSCC, normalizeUSCC, usccCheckChar, validUSCC } from './uscc'

// The same cases as the server's app/validate_test.go, so both sides agree.
describe('validUSCC', () => {
  it.each([
    ['913304024877934U6H', true],
    ['91330902874095RC42', true],
    ['913304024877934U6J', false], // wrong check character
    ['913304024877934U6', false], // 17 characters
    ['91330402487793IU6H', false], // I is outside the alphabet
    ['', false],
  ])('%s → %s', (code, want) => {
    expect(validUSCC(code)).toBe(want)
  })

  it('folds full-width input and lower case, as typed on a Chinese keyboard', () => {
    expect(normalizeUSCC(' ９１３３０４０２４８７７９３４ｕ６ｈ ')).toBe('913304024877934U6H')
    expect(validUSCC('913304024877934u6h')).toBe(true)
  })

  it('computes the check character of the first 17', () => {
    expect(usccCheckChar('913304024877934U6')).toBe('H')
    expect(usccCheckChar('91330402487793IU6')).toBeNull()
    expect(usccCheckChar('short')).toBeNull()
  })

  it('accepts exactly one check character for any prefix', () => {
    // A deterministic sweep of prefixes: the computed character is the only valid one.
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648)
    for (let n = 0; n < 40; n++) {
      let prefix = ''
      for (let i = 0; i < 17; i++) prefix += USCC_ALPHABET[next() % USCC_ALPHABET.length]
      const good = usccCheckChar(prefix)!
      for (const c of USCC_ALPHABET) expect(validUSCC(prefix + c)).toBe(c === good)
    }
  })
})

describe('checkUSCC', () => {
  it('says nothing about a short code while it is typed, but names a bad character at once', () => {
    expect(checkUSCC('91330', false)).toBeNull()
    expect(checkUSCC('9133O', false)).toEqual({ kind: 'char', position: 5, char: 'O' })
  })

  it('reports the length of a complete but short code', () => {
    expect(checkUSCC('91330', true)).toEqual({ kind: 'length', length: 5 })
  })

  it('reports the expected check character', () => {
    expect(checkUSCC('913304024877934U6J')).toEqual({ kind: 'check', expected: 'H' })
    expect(checkUSCC('913304024877934U6H')).toBeNull()
  })
})
