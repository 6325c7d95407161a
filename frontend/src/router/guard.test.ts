import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { guard, routes } from './index'
import { useAuthStore } from '@/stores/auth'
import { testUser } from '@/test/fakeApi'

function router() {
  const r = createRouter({ history: createMemoryHistory(), routes })
  r.beforeEach(guard)
  return r
}

function logIn(role: 'sme' | 'enterprise' | 'admin') {
  useAuthStore().setMe({ user: { ...testUser, role }, org: null })
  useAuthStore().refreshToken = 'r'
}

describe('route guard', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sends a visitor to the login page, remembering where they were going', async () => {
    const r = router()
    await r.push('/my/listings?kind=need')
    expect(r.currentRoute.value.name).toBe('login')
    expect(r.currentRoute.value.query.redirect).toBe('/my/listings?kind=need')
  })

  it('lets a visitor browse public listings', async () => {
    const r = router()
    await r.push('/listings')
    expect(r.currentRoute.value.name).toBe('listings')
  })

  it('keeps other roles out of the admin pages', async () => {
    logIn('sme')
    const r = router()
    await r.push('/admin/imports')
    expect(r.currentRoute.value.name).toBe('home')
    await r.push('/org')
    expect(r.currentRoute.value.name).toBe('org')
  })

  it('lets admins into the admin pages but not the organisation pages', async () => {
    logIn('admin')
    const r = router()
    await r.push('/admin/orgs')
    expect(r.currentRoute.value.name).toBe('admin-orgs')
    await r.push('/my/listings')
    expect(r.currentRoute.value.name).toBe('home')
  })

  it('sends a logged-in user away from the login page', async () => {
    logIn('sme')
    const r = router()
    await r.push('/login')
    expect(r.currentRoute.value.name).toBe('home')
  })

  it('lets a visitor search and browse organisations, and keeps the shortlist for buyers', async () => {
    const r = router()
    for (const [path, name] of [
      ['/search?q=压铸', 'search'],
      ['/enterprises', 'enterprises'],
      ['/orgs/o1', 'org-detail'],
    ]) {
      await r.push(path)
      expect(r.currentRoute.value.name).toBe(name)
    }
    await r.push('/shortlist')
    expect(r.currentRoute.value.name).toBe('login')

    logIn('sme')
    await r.push('/compare?ids=a,b')
    expect(r.currentRoute.value.name).toBe('home')

    setActivePinia(createPinia())
    logIn('enterprise')
    const r2 = router()
    await r2.push('/compare?ids=a,b')
    expect(r2.currentRoute.value.name).toBe('compare')
    await r2.push('/shortlist')
    expect(r2.currentRoute.value.name).toBe('shortlist')
  })
})
