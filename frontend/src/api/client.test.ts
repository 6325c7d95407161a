import { describe, expect, it, vi } from 'vitest'
import { ApiError, buildQuery, createClient, type Session } from './client'
import type { TokenResponse } from './types'
import { fakeApi, json, problem, tokens } from '@/test/fakeApi'

/** memorySession is a Session over plain variables, as the auth store is over refs. */
function memorySession(start: { access: string | null; refresh: string | null; expiresAt?: number }) {
  const s = {
    access: start.access,
    refresh: start.refresh,
    expires: start.expiresAt ?? Date.now() + 900_000,
    ended: 0,
    saved: [] as TokenResponse[],
  }
  const session: Session = {
    accessToken: () => s.access,
    refreshToken: () => s.refresh,
    expiresAt: () => s.expires,
    save: (t) => {
      s.saved.push(t)
      s.access = t.accessToken
      s.refresh = t.refreshToken
      s.expires = Date.now() + t.expiresIn * 1000
    },
    end: () => {
      s.ended++
      s.access = s.refresh = null
    },
  }
  return { s, session }
}

/** failure resolves to the error a request fails with, and fails the test if it succeeds. */
const failure = (p: Promise<unknown>): Promise<ApiError> =>
  p.then(
    () => {
      throw new Error('the request succeeded')
    },
    (e: unknown) => e as ApiError,
  )

/** onlyWith answers 200 to requests carrying the given token and 401 to others. */
const onlyWith = (token: string, body: unknown) => (c: { auth: string | null }) =>
  c.auth === `Bearer ${token}` ? json(200, body) : problem(401, 'unauthorized')

describe('createClient', () => {
  it('attaches the access token and decodes JSON', async () => {
    const api = fakeApi({ 'GET /orgs/1': onlyWith('access-0', { id: '1' }) })
    const client = createClient({ fetch: api.fetch })
    const { session } = memorySession({ access: 'access-0', refresh: 'refresh-0' })
    client.setSession(session)
    await expect(client.get('/orgs/1')).resolves.toEqual({ id: '1' })
    expect(api.calls[0]!.auth).toBe('Bearer access-0')
  })

  it('refreshes once on a 401 and retries, so the caller just gets its answer', async () => {
    const api = fakeApi({
      'GET /listings/7': onlyWith('access-1', { id: '7' }),
      'POST /auth/refresh': (c) =>
        (c.body as { refreshToken: string }).refreshToken === 'refresh-0' ? json(200, tokens(1)) : problem(401, 'unauthorized'),
    })
    const client = createClient({ fetch: api.fetch })
    const { s, session } = memorySession({ access: 'access-0', refresh: 'refresh-0' })
    client.setSession(session)

    await expect(client.get('/listings/7')).resolves.toEqual({ id: '7' })
    expect(api.calls.map((c) => `${c.method} ${c.path} ${c.auth ?? '-'}`)).toEqual([
      'GET /listings/7 Bearer access-0',
      'POST /auth/refresh -',
      'GET /listings/7 Bearer access-1',
    ])
    // Rotation: the new refresh token replaces the old one.
    expect(s.refresh).toBe('refresh-1')
    expect(s.ended).toBe(0)
  })

  it('shares one refresh among requests that fail together', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const refresh = vi.fn(async () => {
      await gate
      return json(200, tokens(1))
    })
    const api = fakeApi({
      'GET /a': onlyWith('access-1', 'a'),
      'GET /b': onlyWith('access-1', 'b'),
      'GET /c': onlyWith('access-1', 'c'),
      'POST /auth/refresh': refresh,
    })
    const client = createClient({ fetch: api.fetch })
    const { session } = memorySession({ access: 'access-0', refresh: 'refresh-0' })
    client.setSession(session)

    const all = Promise.all([client.get('/a'), client.get('/b'), client.get('/c')])
    await new Promise((r) => setTimeout(r, 0))
    release()
    await expect(all).resolves.toEqual(['a', 'b', 'c'])
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('does not refresh again for a request that failed with a token already replaced', async () => {
    const refresh = vi.fn(async () => json(200, tokens(2)))
    const api = fakeApi({ 'GET /x': onlyWith('access-1', 'x'), 'POST /auth/refresh': refresh })
    const client = createClient({ fetch: api.fetch })
    const { s, session } = memorySession({ access: 'access-0', refresh: 'refresh-0' })
    // Another tab rotated the tokens while this request was out.
    session.reload = () => {
      s.access = 'access-1'
      s.refresh = 'refresh-1'
    }
    client.setSession(session)
    await expect(client.get('/x')).resolves.toBe('x')
    expect(refresh).not.toHaveBeenCalled()
  })

  it('ends the session when the refresh token is refused, and reports the 401', async () => {
    const api = fakeApi({
      'GET /auth/me': () => problem(401, 'unauthorized'),
      'POST /auth/refresh': () => problem(401, 'unauthorized'),
    })
    const client = createClient({ fetch: api.fetch })
    const { s, session } = memorySession({ access: 'access-0', refresh: 'refresh-0' })
    client.setSession(session)

    const err = await failure(client.get('/auth/me'))
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(401)
    expect(s.ended).toBe(1)
    // One try, one refresh, no loop.
    expect(api.calls).toHaveLength(2)
  })

  it('keeps the session when the refresh fails for want of a network', async () => {
    let n = 0
    const client = createClient({
      fetch: async (input) => {
        n++
        if (String(input).endsWith('/auth/refresh')) throw new TypeError('Failed to fetch')
        return problem(401, 'unauthorized')
      },
    })
    const { s, session } = memorySession({ access: 'access-0', refresh: 'refresh-0' })
    client.setSession(session)
    const err = await failure(client.get('/x'))
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(0)
    expect(err.code).toBe('network')
    expect(s.ended).toBe(0)
    expect(s.refresh).toBe('refresh-0')
    expect(n).toBe(2)
  })

  it('does not refresh when a login itself is refused', async () => {
    const api = fakeApi({ 'POST /auth/login': () => problem(401, 'unauthorized') })
    const client = createClient({ fetch: api.fetch })
    const { s, session } = memorySession({ access: 'access-0', refresh: 'refresh-0' })
    client.setSession(session)
    await expect(client.post('/auth/login', { login: 'a', password: 'b' })).rejects.toMatchObject({ status: 401 })
    expect(api.calls).toHaveLength(1)
    expect(api.calls[0]!.auth).toBeNull()
    expect(s.ended).toBe(0)
  })

  it('refreshes a token about to expire before sending', async () => {
    const api = fakeApi({ 'GET /x': onlyWith('access-1', 'x'), 'POST /auth/refresh': () => json(200, tokens(1)) })
    const now = 1_000_000
    const client = createClient({ fetch: api.fetch, now: () => now })
    const { session } = memorySession({ access: 'access-0', refresh: 'refresh-0', expiresAt: now + 2_000 })
    client.setSession(session)
    await expect(client.get('/x')).resolves.toBe('x')
    expect(api.calls.map((c) => c.path)).toEqual(['/auth/refresh', '/x'])
  })

  it('holds the cross-tab lock while refreshing', async () => {
    const order: string[] = []
    const api = fakeApi({
      'GET /x': onlyWith('access-1', 'x'),
      'POST /auth/refresh': () => {
        order.push('refresh')
        return json(200, tokens(1))
      },
    })
    const lock = async <T>(fn: () => Promise<T>) => {
      order.push('lock')
      const r = await fn()
      order.push('unlock')
      return r
    }
    const client = createClient({ fetch: api.fetch, lock })
    client.setSession(memorySession({ access: 'access-0', refresh: 'refresh-0' }).session)
    await client.get('/x')
    expect(order).toEqual(['lock', 'refresh', 'unlock'])
  })

  it('turns problem+json into an ApiError with field errors and the allowed moves', async () => {
    const api = fakeApi({
      'POST /listings/1/status': () =>
        problem(409, 'conflict', [{ field: 'status', code: 'not_allowed', message: 'cannot move' }], { allowed: ['published'] }),
    })
    const client = createClient({ fetch: api.fetch })
    const err = await failure(client.post('/listings/1/status', { status: 'awarded' }))
    expect(err.status).toBe(409)
    expect(err.code).toBe('conflict')
    expect(err.fieldErrors).toEqual([{ field: 'status', code: 'not_allowed', message: 'cannot move' }])
    expect(err.problem.allowed).toEqual(['published'])
    expect(err.problem.requestId).toBe('req-1')
  })

  it('copes with an error body that is not JSON', async () => {
    const client = createClient({
      fetch: async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    })
    const err = await failure(client.get('/x'))
    expect(err.status).toBe(502)
    expect(err.problem.title).toBe('Bad Gateway')
    expect(err.code).toBe('unavailable')
  })

  it('sends FormData as multipart, without a JSON content type', async () => {
    let contentType: string | null = 'unset'
    const client = createClient({
      fetch: async (_i, init) => {
        contentType = new Headers(init?.headers).get('Content-Type')
        expect(init?.body).toBeInstanceOf(FormData)
        return json(200, {})
      },
    })
    const form = new FormData()
    form.append('file', new Blob(['{}\n']), 'a.jsonl')
    await client.post('/admin/import', form)
    expect(contentType).toBeNull()
  })
})

describe('buildQuery', () => {
  it('drops empty values and joins lists', () => {
    expect(buildQuery({ kind: ['need', 'tech'], region: '', org: undefined, verified: false, limit: 20 })).toBe(
      '?kind=need%2Ctech&verified=false&limit=20',
    )
    expect(buildQuery({ kind: [] })).toBe('')
  })
})
