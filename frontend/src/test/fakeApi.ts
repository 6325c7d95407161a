// A scripted fetch for unit tests: each call is answered by the first route
// whose method and path match, and every call is recorded.
import type { TokenResponse, User } from '@/api/types'

export interface Call {
  method: string
  path: string
  auth: string | null
  body: unknown
}

export type Handler = (call: Call, n: number) => Response | Promise<Response>

export function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type } })
}

export function problem(
  status: number,
  code: string,
  errors: { field: string; code: string; message: string }[] = [],
  extra: object = {},
) {
  return json(
    status,
    { type: `urn:rongtong:problem:${code}`, title: 'x', status, detail: code, requestId: 'req-1', errors, ...extra },
    'application/problem+json',
  )
}

export function fakeApi(routes: Record<string, Handler>) {
  const calls: Call[] = []
  const counts: Record<string, number> = {}
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://test')
    const method = init?.method ?? 'GET'
    const path = url.pathname.replace(/^\/api\/v1/, '') + url.search
    const headers = new Headers(init?.headers)
    let body: unknown = init?.body
    if (typeof body === 'string') body = JSON.parse(body)
    const call: Call = { method, path, auth: headers.get('Authorization'), body }
    calls.push(call)
    const key = Object.keys(routes).find((k) => {
      const [m, p] = k.split(' ')
      return m === method && (p === path || p === url.pathname.replace(/^\/api\/v1/, ''))
    })
    if (!key) return problem(404, 'not_found')
    counts[key] = (counts[key] ?? 0) + 1
    return routes[key]!(call, counts[key]!)
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

export const testUser: User = {
  id: 'u1',
  email: 'a@example.com',
  name: '张三',
  role: 'sme',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
}

export function tokens(n: number, user: User = testUser): TokenResponse {
  return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn: 900, tokenType: 'Bearer', user }
}
