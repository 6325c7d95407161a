// The login: tokens, the user and their organisation, persisted in
// localStorage so a reload or a new tab stays logged in, and kept in step
// across tabs (another tab may rotate the refresh token).

import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { authApi, type RegisterInput } from '@/api/auth'
import type { ApiClient, Session } from '@/api/client'
import type { MeResponse, OrgSummary, OrgType, Role, TokenResponse, User } from '@/api/types'

export const AUTH_STORAGE_KEY = 'rongtong.auth'

interface Persisted {
  accessToken: string | null
  refreshToken: string | null
  expiresAt: number
  user: User | null
  org: OrgSummary | null
}

const empty = (): Persisted => ({ accessToken: null, refreshToken: null, expiresAt: 0, user: null, org: null })

function readStorage(): Persisted {
  try {
    const raw = localStorage.getItem(AUTH_STORAGE_KEY)
    if (!raw) return empty()
    const p = JSON.parse(raw) as Partial<Persisted>
    return { ...empty(), ...p }
  } catch {
    return empty()
  }
}

export const useAuthStore = defineStore('auth', () => {
  const start = readStorage()
  const accessToken = ref(start.accessToken)
  const refreshToken = ref(start.refreshToken)
  const expiresAt = ref(start.expiresAt)
  const user = ref<User | null>(start.user)
  const org = ref<OrgSummary | null>(start.org)

  const isAuthenticated = computed(() => !!refreshToken.value && !!user.value)
  const role = computed<Role | null>(() => user.value?.role ?? null)
  const isAdmin = computed(() => role.value === 'admin')
  /** orgType is the type of organisation the user has or would create. */
  const orgType = computed<OrgType | null>(() => org.value?.orgType ?? (role.value && role.value !== 'admin' ? role.value : null))
  const isOrgOwner = computed(() => !!org.value && user.value?.orgRole === 'owner')

  function persist() {
    const p: Persisted = {
      accessToken: accessToken.value,
      refreshToken: refreshToken.value,
      expiresAt: expiresAt.value,
      user: user.value,
      org: org.value,
    }
    if (p.refreshToken || p.user) localStorage.setItem(AUTH_STORAGE_KEY, JSON.stringify(p))
    else localStorage.removeItem(AUTH_STORAGE_KEY)
  }

  function apply(p: Persisted) {
    accessToken.value = p.accessToken
    refreshToken.value = p.refreshToken
    expiresAt.value = p.expiresAt
    user.value = p.user
    org.value = p.org
  }

  /** reload takes what another tab wrote. */
  function reload() {
    apply(readStorage())
  }

  function saveTokens(t: TokenResponse) {
    accessToken.value = t.accessToken
    refreshToken.value = t.refreshToken
    expiresAt.value = Date.now() + t.expiresIn * 1000
    if (t.user) {
      if (user.value?.orgId !== t.user.orgId) org.value = null
      user.value = t.user
    }
    persist()
  }

  /** clear forgets the login locally (the server side is logout's). */
  function clear() {
    apply(empty())
    persist()
  }

  function setMe(me: MeResponse) {
    user.value = me.user
    org.value = me.org
    persist()
  }

  async function login(name: string, password: string) {
    saveTokens(await authApi.login(name, password))
    await fetchMe()
  }

  /** register creates the account and logs in with it. */
  async function register(in_: RegisterInput) {
    await authApi.register(in_)
    await login(in_.email || in_.phone || '', in_.password)
  }

  async function fetchMe() {
    setMe(await authApi.me())
  }

  /** logout ends the login on the server, best effort, and always locally. */
  async function logout() {
    const rt = refreshToken.value
    clear()
    if (rt) {
      try {
        await authApi.logout(rt)
      } catch {
        // The token dies on its own; the local login is gone either way.
      }
    }
  }

  async function changePassword(oldPassword: string, newPassword: string) {
    saveTokens(await authApi.changePassword(oldPassword, newPassword))
  }

  /** session is this store as the API client's Session. */
  function session(): Session {
    return {
      accessToken: () => accessToken.value,
      refreshToken: () => refreshToken.value,
      expiresAt: () => expiresAt.value,
      save: saveTokens,
      reload,
      end: clear,
    }
  }

  /** connect makes client act for this login and keeps the store in step with other tabs. */
  function connect(client: ApiClient) {
    client.setSession(session())
    if (typeof window !== 'undefined') {
      window.addEventListener('storage', (e) => {
        if (e.key === AUTH_STORAGE_KEY || e.key === null) reload()
      })
    }
  }

  return {
    accessToken,
    refreshToken,
    expiresAt,
    user,
    org,
    isAuthenticated,
    role,
    isAdmin,
    orgType,
    isOrgOwner,
    login,
    register,
    fetchMe,
    logout,
    changePassword,
    clear,
    setMe,
    saveTokens,
    reload,
    session,
    connect,
  }
})
