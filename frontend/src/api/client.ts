// The HTTP client of the JSON API: it attaches the access token, refreshes it
// once on a 401 (or just before it expires) and retries the request, so a page
// keeps its state across an expired token. Only one refresh is in flight at a
// time, in this tab and, where the browser has the Web Locks API, across tabs:
// refresh tokens rotate, and presenting one twice would end the login.

import type { FieldError, Problem, TokenResponse } from './types'

/** ApiError is a failed request: an RFC 9457 problem, or status 0 when the server could not be reached. */
export class ApiError extends Error {
  readonly status: number
  readonly problem: Problem

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`)
    this.name = 'ApiError'
    this.status = problem.status
    this.problem = problem
  }

  /** code is the problem type's last part (invalid, not_found, conflict, …), "network" for status 0. */
  get code(): string {
    const t = this.problem.type || ''
    const i = t.lastIndexOf(':')
    return i >= 0 ? t.slice(i + 1) : t
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? []
  }
}

/** isApiError narrows an unknown thrown value. */
export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

/** networkError is the ApiError of a request that got no answer. */
export function networkError(cause?: unknown): ApiError {
  const err = new ApiError({ type: 'urn:rongtong:problem:network', title: 'Network error', status: 0 })
  if (cause !== undefined) (err as { cause?: unknown }).cause = cause
  return err
}

/** Session is what the client needs of the login: the tokens and what to do when they change or die. */
export interface Session {
  accessToken(): string | null
  refreshToken(): string | null
  /** expiresAt is when the access token expires (ms since the epoch), 0 if unknown. */
  expiresAt(): number
  /** save stores the tokens of a login, a refresh or a password change. */
  save(t: TokenResponse): void
  /** reload re-reads tokens another tab may have rotated; optional. */
  reload?(): void
  /** end is called when the refresh token is refused: the login is over. */
  end(): void
}

export type Query = Record<string, string | number | boolean | string[] | null | undefined>

export interface RequestOptions {
  query?: Query
  /** body is sent as JSON; a FormData body as multipart. */
  body?: unknown
  signal?: AbortSignal
  /** blob answers with the body as a Blob (a file download). */
  blob?: boolean
}

export interface ClientOptions {
  baseUrl?: string
  fetch?: typeof fetch
  /** lock runs fn while holding a lock shared by every tab; default navigator.locks when present. */
  lock?: <T>(fn: () => Promise<T>) => Promise<T>
  /** language for Accept-Language, so server text can follow the UI. */
  language?: () => string
  /** now is the clock, for tests. */
  now?: () => number
}

/** EARLY_REFRESH_MS is how long before expiry a token is refreshed ahead of a request. */
export const EARLY_REFRESH_MS = 10_000

const AUTH_PATHS = ['/auth/login', '/auth/register', '/auth/refresh', '/auth/logout']

function defaultLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
  return locks ? (locks.request('rongtong-refresh', fn) as Promise<T>) : fn()
}

/** buildQuery drops empty values and joins lists with commas. */
export function buildQuery(q: Query | undefined): string {
  if (!q) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) {
      if (v.length) p.set(k, v.join(','))
    } else {
      p.set(k, String(v))
    }
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

/** STATUS_CODES names the problem of a response that carries none (a proxy's error page, an empty body). */
const STATUS_CODES: Record<number, string> = {
  400: 'malformed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  422: 'invalid',
  429: 'rate_limited',
  500: 'internal',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
}

async function problemOf(res: Response): Promise<Problem> {
  let body: unknown = null
  try {
    body = await res.json()
  } catch {
    // not JSON
  }
  if (body && typeof body === 'object' && 'type' in body && 'status' in body) {
    return { ...(body as Problem), status: res.status }
  }
  const code = STATUS_CODES[res.status] ?? (res.status >= 500 ? 'internal' : 'unknown')
  return { type: `urn:rongtong:problem:${code}`, title: res.statusText || `HTTP ${res.status}`, status: res.status }
}

export type ApiClient = ReturnType<typeof createClient>

export function createClient(opts: ClientOptions = {}) {
  const base = opts.baseUrl ?? '/api/v1'
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
  const lock = opts.lock ?? defaultLock
  const now = opts.now ?? Date.now
  let session: Session | null = null
  let refreshing: Promise<boolean> | null = null

  function headers(body: unknown, token: string | null): Headers {
    const h = new Headers({ Accept: 'application/json, application/problem+json' })
    if (body !== undefined && !(body instanceof FormData)) h.set('Content-Type', 'application/json')
    if (token) h.set('Authorization', `Bearer ${token}`)
    const lang = opts.language?.()
    if (lang) h.set('Accept-Language', lang)
    return h
  }

  async function send(method: string, path: string, o: RequestOptions, token: string | null): Promise<Response> {
    const body = o.body === undefined ? undefined : o.body instanceof FormData ? o.body : JSON.stringify(o.body)
    try {
      return await doFetch(base + path + buildQuery(o.query), {
        method,
        headers: headers(o.body, token),
        body,
        signal: o.signal,
      })
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e
      throw networkError(e)
    }
  }

  /**
   * refresh obtains a new access token unless the one that failed has already
   * been replaced (by a refresh in another tab or one that finished while this
   * request was out). It resolves false when the server refuses the refresh
   * token, after ending the session; a network or server error rejects and
   * keeps the session, since the refresh token may still be good.
   */
  function refresh(stale: string | null): Promise<boolean> {
    if (!refreshing) {
      refreshing = lock(async () => {
        const s = session
        if (!s) return false
        s.reload?.()
        const current = s.accessToken()
        const fresh = !s.expiresAt() || s.expiresAt() - now() > EARLY_REFRESH_MS
        if (current && current !== stale && fresh) return true
        const rt = s.refreshToken()
        if (!rt) {
          s.end()
          return false
        }
        const res = await send('POST', '/auth/refresh', { body: { refreshToken: rt } }, null)
        if (res.ok) {
          s.save((await res.json()) as TokenResponse)
          return true
        }
        if (res.status >= 500 || res.status === 429) throw new ApiError(await problemOf(res))
        s.end()
        return false
      }).finally(() => {
        refreshing = null
      })
    }
    return refreshing
  }

  async function request<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const authPath = AUTH_PATHS.includes(path)
    let token = authPath ? null : (session?.accessToken() ?? null)
    // A token about to expire is refreshed first rather than sent to fail.
    if (token && session && session.expiresAt() && session.expiresAt() - now() < EARLY_REFRESH_MS) {
      if (await refresh(token)) token = session.accessToken()
      else token = null
    }
    let res = await send(method, path, o, token)
    if (res.status === 401 && token && session) {
      if (await refresh(token)) {
        token = session.accessToken()
        res = await send(method, path, o, token)
      }
    }
    if (!res.ok) throw new ApiError(await problemOf(res))
    if (res.status === 204) return undefined as T
    if (o.blob) return (await res.blob()) as T
    const type = res.headers.get('Content-Type') ?? ''
    if (!type.includes('json')) return (await res.text()) as T
    return (await res.json()) as T
  }

  return {
    /** setSession connects the client to the login it acts for. */
    setSession(s: Session | null) {
      session = s
    },
    request,
    get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
    post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body, query }),
    put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
    del: <T = void>(path: string) => request<T>('DELETE', path),
    /** blob downloads a file (GET, or POST with a body). */
    blob: (path: string, query?: Query, body?: unknown) =>
      request<Blob>(body === undefined ? 'GET' : 'POST', path, { query, body, blob: true }),
  }
}

/** http is the app's one client, connected to the auth store in main.ts. */
export const http = createClient({
  language: () => (typeof document !== 'undefined' ? document.documentElement.lang : ''),
})
