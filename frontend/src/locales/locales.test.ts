import { describe, expect, it } from 'vitest'
import zhCN from './zh-CN'
import en from './en'

type Tree = { [k: string]: string | Tree }

function keys(t: Tree, prefix = ''): string[] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)))
}

function has(t: Tree, key: string): boolean {
  let node: string | Tree | undefined = t
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return false
    node = node[part]
  }
  return typeof node === 'string'
}

// Every source file, to find the message keys it uses literally.
const sources = import.meta.glob(['../**/*.vue', '../**/*.ts', '!../**/*.test.ts', '!../locales/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>

describe('locales', () => {
  it('have the same keys in both languages', () => {
    expect(keys(en as unknown as Tree).sort()).toEqual(keys(zhCN as unknown as Tree).sort())
  })

  it('have every key the code names literally', () => {
    const missing: string[] = []
    let found = 0
    const literal = /\bt\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g
    const metaTitle = /title: '([a-zA-Z]\w*(?:\.\w+)+)'/g
    for (const [file, src] of Object.entries(sources)) {
      for (const re of [literal, metaTitle]) {
        for (const m of src.matchAll(re)) {
          found++
          if (!has(zhCN as unknown as Tree, m[1]!)) missing.push(`${file}: ${m[1]}`)
        }
      }
    }
    expect(missing).toEqual([])
    expect(Object.keys(sources).length).toBeGreaterThan(30)
    expect(found).toBeGreaterThan(200)
  })

  it('name every status action, problem type and field error code the code can produce', () => {
    for (const a of ['publish', 'reopen', 'draft', 'closed', 'awarded'])
      expect(has(zhCN as unknown as Tree, `listing.action.${a}`)).toBe(true)
    for (const k of ['passwordTooShort', 'passwordTooLong', 'passwordLettersDigits'])
      expect(has(zhCN as unknown as Tree, `auth.${k}`)).toBe(true)
  })
})
