import { describe, expect, it } from 'vitest'
import { decodeEntities, safeSnippet, snippetText } from './snippet'

describe('safeSnippet', () => {
  it('keeps the highlights and the server’s escaped text', () => {
    expect(safeSnippet('铝合金<mark>压铸</mark>件 &amp; CNC')).toBe('铝合金<mark>压铸</mark>件 &amp; CNC')
    expect(safeSnippet('a &lt;b&gt; c')).toBe('a &lt;b&gt; c')
  })

  it('escapes every other tag and attribute', () => {
    const cases = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<mark onclick="alert(1)">x</mark>',
      '<MARK style="x">y</MARK>',
      '<a href="javascript:alert(1)">z</a>',
      '<svg/onload=alert(1)>',
    ]
    for (const c of cases) {
      const out = safeSnippet(c)
      // No tag but a bare <mark> or </mark> survives.
      expect(out.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/)
      expect(out).not.toMatch(/<mark [^>]/)
    }
  })

  it('does not let escaped markup come back as tags', () => {
    const out = safeSnippet('&lt;img src=x onerror=alert(1)&gt; <mark>&lt;b&gt;</mark>')
    expect(out).toBe('&lt;img src=x onerror=alert(1)&gt; <mark>&lt;b&gt;</mark>')
    const div = document.createElement('div')
    div.innerHTML = out
    expect(div.querySelectorAll('*').length).toBe(1)
    expect(div.querySelector('mark')!.textContent).toBe('<b>')
  })

  it('balances the highlights', () => {
    expect(safeSnippet('a</mark>b')).toBe('ab')
    expect(safeSnippet('<mark>a<mark>b</mark>c</mark>')).toBe('<mark>ab</mark>c')
    expect(safeSnippet('<mark>open')).toBe('<mark>open</mark>')
    expect(safeSnippet('<mark >x</ mark>')).toBe('<mark>x&lt;/ mark&gt;</mark>')
  })

  it('renders into the DOM with only <mark> elements', () => {
    const div = document.createElement('div')
    div.innerHTML = safeSnippet('<mark>数控</mark>加工<iframe src="x"></iframe><mark>精密</mark>')
    const tags = [...div.querySelectorAll('*')].map((e) => e.tagName)
    expect(tags).toEqual(['MARK', 'MARK'])
    expect(div.textContent).toBe('数控加工<iframe src="x"></iframe>精密')
  })
})

describe('decodeEntities and snippetText', () => {
  it('decode the entities the server writes and leave unknown ones', () => {
    expect(decodeEntities('&amp;&lt;&gt;&quot;&#39;&#x4e2d;&#22269;&bogus;')).toBe('&<>"\'中国&bogus;')
    expect(decodeEntities('&#0;&#x110000;')).toBe('&#0;&#x110000;')
  })

  it('strip the highlights for plain text', () => {
    expect(snippetText('<mark>压铸</mark> &amp; 机加工')).toBe('压铸 & 机加工')
  })
})
