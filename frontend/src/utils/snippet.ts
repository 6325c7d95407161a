// Search snippets arrive as HTML: the text escaped by the server, the matched
// words in <mark>…</mark>. They are shown with v-html, so they are never
// trusted: every tag is taken apart, the text decoded and escaped again, and
// only balanced <mark> and </mark> are put back. Whatever the server sends,
// the result holds no element but <mark>, and no attribute at all.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

/** decodeEntities undoes the escaping of the server's text; unknown entities stay as typed. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return ENTITIES[name.toLowerCase()] ?? whole
  })
}

/** escapeHtml escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

const MARK = /<(\/?)mark\s*>/gi

/**
 * safeSnippet returns a snippet's HTML with everything escaped except
 * <mark> and </mark>, which are kept only where they open and close a
 * highlight; an unclosed highlight is closed at the end.
 */
export function safeSnippet(html: string): string {
  let out = ''
  let open = false
  let last = 0
  for (const m of html.matchAll(MARK)) {
    out += escapeHtml(decodeEntities(html.slice(last, m.index)))
    last = m.index! + m[0].length
    const closing = m[1] === '/'
    if (closing && open) out += '</mark>'
    else if (!closing && !open) out += '<mark>'
    else continue
    open = !closing
  }
  out += escapeHtml(decodeEntities(html.slice(last)))
  return open ? out + '</mark>' : out
}

/** snippetText is a snippet as plain text (no highlights), e.g. for an accessible name. */
export function snippetText(html: string): string {
  return decodeEntities(html.replace(MARK, ''))
}
