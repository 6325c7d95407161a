import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { AUTH_STORAGE_KEY, useAuthStore } from './auth'
import { http } from '@/api/client'
import { fakeApi, json, problem, testUser, tokens } from '@/test/fakeApi'

const me = {
  user: { ...testUser, orgId: 'o1', orgRole: 'owner' },
  org: { id: 'o1', name: '宁波测试压铸', orgType: 'sme', verified: false },
}

function setup(routes: Parameters<typeof fakeApi>[0]) {
  const api = fakeApi(routes)
  vi.stubGlobal('fetch', api.fetch)
  setActivePinia(createPinia())
  const auth = useAuthStore()
  auth.connect(http)
  return { api, auth }
}

const stored = () => JSON.parse(localStorage.getItem(AUTH_STORAGE_KEY) ?? 'null')

describe('auth store', () => {
  beforeEach(() => {
    vi.unstubAllGlobals()
  })

  it('logs in, loads the user and organisation, and persists them', async () => {
    const { auth, api } = setup({
      'POST /auth/login': () => json(200, tokens(0)),
      'GET /auth/me': (c) => (c.auth === 'Bearer access-0' ? json(200, me) : problem(401, 'unauthorized')),
    })
    await auth.login('a@example.com', 'Secret123')
    expect(api.calls[0]!.body).toEqual({ login: 'a@example.com', password: 'Secret123' })
    expect(auth.isAuthenticated).toBe(true)
    expect(auth.org?.name).toBe('宁波测试压铸')
    expect(auth.isOrgOwner).toBe(true)
    expect(auth.orgType).toBe('sme')
    expect(stored()).toMatchObject({ accessToken: 'access-0', refreshToken: 'refresh-0', user: { id: 'u1' }, org: { id: 'o1' } })
  })

  it('comes back logged in from localStorage', () => {
    localStorage.setItem(
      AUTH_STORAGE_KEY,
      JSON.stringify({ accessToken: 'a', refreshToken: 'r', expiresAt: 1, user: testUser, org: null }),
    )
    setActivePinia(createPinia())
    const auth = useAuthStore()
    expect(auth.isAuthenticated).toBe(true)
    expect(auth.role).toBe('sme')
  })

  it('ignores unreadable storage', () => {
    localStorage.setItem(AUTH_STORAGE_KEY, '{not json')
    setActivePinia(createPinia())
    expect(useAuthStore().isAuthenticated).toBe(false)
  })

  it('registers, then logs in with the new account', async () => {
    const { auth, api } = setup({
      'POST /auth/register': () => json(201, testUser),
      'POST /auth/login': () => json(200, tokens(0)),
      'GET /auth/me': () => json(200, { user: testUser, org: null }),
    })
    await auth.register({ phone: '13800000000', password: 'Secret123', name: '张三', role: 'sme' })
    expect(api.calls.map((c) => c.path)).toEqual(['/auth/register', '/auth/login', '/auth/me'])
    expect(api.calls[1]!.body).toEqual({ login: '13800000000', password: 'Secret123' })
    expect(auth.isAuthenticated).toBe(true)
    expect(auth.org).toBeNull()
  })

  it('logs out on the server with the refresh token and forgets everything', async () => {
    const { auth, api } = setup({
      'POST /auth/login': () => json(200, tokens(0)),
      'GET /auth/me': () => json(200, me),
      'POST /auth/logout': () => json(204, null),
    })
    await auth.login('a@example.com', 'Secret123')
    await auth.logout()
    expect(api.calls.at(-1)).toMatchObject({ path: '/auth/logout', body: { refreshToken: 'refresh-0' } })
    expect(auth.isAuthenticated).toBe(false)
    expect(localStorage.getItem(AUTH_STORAGE_KEY)).toBeNull()
  })

  it('logs out locally even when the server cannot be reached', async () => {
    const { auth } = setup({ 'POST /auth/login': () => json(200, tokens(0)), 'GET /auth/me': () => json(200, me) })
    await auth.login('a@example.com', 'Secret123')
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')))
    await auth.logout()
    expect(auth.isAuthenticated).toBe(false)
  })

  it('keeps rotated tokens from a refresh, and ends the login when refresh fails', async () => {
    let refreshes = 0
    const { auth } = setup({
      'POST /auth/login': () => json(200, tokens(0)),
      'GET /auth/me': (c) => (c.auth === 'Bearer access-1' ? json(200, me) : problem(401, 'unauthorized')),
      'POST /auth/refresh': () => (++refreshes === 1 ? json(200, tokens(1)) : problem(401, 'unauthorized')),
    })
    await auth.login('a@example.com', 'Secret123') // me: 401 → refresh → access-1
    expect(auth.accessToken).toBe('access-1')
    expect(stored().refreshToken).toBe('refresh-1')

    // Tokens the server no longer accepts (the login was ended elsewhere).
    auth.saveTokens(tokens(9, me.user as typeof testUser))
    await expect(auth.fetchMe()).rejects.toMatchObject({ status: 401 })
    expect(auth.isAuthenticated).toBe(false)
    expect(localStorage.getItem(AUTH_STORAGE_KEY)).toBeNull()
  })

  it('takes tokens another tab wrote', async () => {
    const { auth } = setup({})
    localStorage.setItem(
      AUTH_STORAGE_KEY,
      JSON.stringify({ accessToken: 'tab2', refreshToken: 'r2', expiresAt: 5, user: testUser, org: null }),
    )
    window.dispatchEvent(new StorageEvent('storage', { key: AUTH_STORAGE_KEY }))
    expect(auth.accessToken).toBe('tab2')
    expect(auth.isAuthenticated).toBe(true)
  })

  it('changes the password and keeps the new login', async () => {
    const { auth, api } = setup({
      'POST /auth/login': () => json(200, tokens(0)),
      'GET /auth/me': () => json(200, me),
      'POST /auth/password': () => json(200, tokens(5, me.user as typeof testUser)),
    })
    await auth.login('a@example.com', 'Secret123')
    await auth.changePassword('Secret123', 'Secret456')
    expect(api.calls.at(-1)!.body).toEqual({ oldPassword: 'Secret123', newPassword: 'Secret456' })
    expect(auth.refreshToken).toBe('refresh-5')
    expect(auth.org?.id).toBe('o1')
  })
})
