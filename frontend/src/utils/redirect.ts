/** safeRedirect returns an in-app path to go to after logging in, or "/" for anything else (another origin, a malformed value). */
export function safeRedirect(v: unknown): string {
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) return '/'
  if (v.startsWith('/login') || v.startsWith('/register')) return '/'
  return v
}
