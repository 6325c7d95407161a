// Client-side routes (history mode; the Go server answers unknown paths with
// index.html). Pages load on demand, so each is its own chunk.

import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { i18n } from '@/locales'

declare module 'vue-router' {
  interface RouteMeta {
    /** title is the i18n key of the page title. */
    title?: string
    /** public pages need no login. */
    public?: boolean
    /** guest pages (login, register) send a logged-in user home. */
    guest?: boolean
    /** roles may open the page; any logged-in user when absent. */
    roles?: Role[]
    /** bare pages have no navigation around them. */
    bare?: boolean
  }
}

const ORG_ROLES: Role[] = ['sme', 'enterprise', 'investor', 'institution', 'organizer']
/** SHORTLIST_ROLES keep a shortlist of organisations to compare. */
const SHORTLIST_ROLES: Role[] = ['enterprise', 'investor']

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('@/views/HomeView.vue'), meta: { title: 'nav.home' } },
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginView.vue'),
    meta: { title: 'auth.login', public: true, guest: true, bare: true },
  },
  {
    path: '/register',
    name: 'register',
    component: () => import('@/views/RegisterView.vue'),
    meta: { title: 'auth.register', public: true, guest: true, bare: true },
  },
  {
    path: '/account/password',
    name: 'password',
    component: () => import('@/views/PasswordView.vue'),
    meta: { title: 'auth.changePassword' },
  },
  { path: '/org', name: 'org', component: () => import('@/views/OrgView.vue'), meta: { title: 'nav.org', roles: ORG_ROLES } },
  {
    path: '/my/listings',
    name: 'my-listings',
    component: () => import('@/views/MyListingsView.vue'),
    meta: { title: 'nav.myListings', roles: ORG_ROLES },
  },
  {
    path: '/my/listings/new',
    name: 'listing-new',
    component: () => import('@/views/ListingEditView.vue'),
    meta: { title: 'listing.new', roles: ORG_ROLES },
  },
  {
    path: '/my/listings/:id/edit',
    name: 'listing-edit',
    component: () => import('@/views/ListingEditView.vue'),
    props: true,
    meta: { title: 'listing.edit', roles: [...ORG_ROLES, 'admin'] },
  },
  {
    path: '/listings',
    name: 'listings',
    component: () => import('@/views/ListingsView.vue'),
    meta: { title: 'nav.listings', public: true },
  },
  {
    path: '/listings/:id',
    name: 'listing',
    component: () => import('@/views/ListingDetailView.vue'),
    props: true,
    meta: { title: 'listing.detail', public: true },
  },
  {
    path: '/search',
    name: 'search',
    component: () => import('@/views/SearchView.vue'),
    meta: { title: 'search.title', public: true },
  },
  {
    path: '/orgs/:id',
    name: 'org-detail',
    component: () => import('@/views/OrgDetailView.vue'),
    props: true,
    meta: { title: 'orgPage.detail', public: true },
  },
  {
    path: '/enterprises',
    name: 'enterprises',
    component: () => import('@/views/EnterprisesView.vue'),
    meta: { title: 'nav.enterprises', public: true },
  },
  {
    path: '/shortlist',
    name: 'shortlist',
    component: () => import('@/views/ShortlistView.vue'),
    meta: { title: 'nav.shortlist', roles: SHORTLIST_ROLES },
  },
  {
    path: '/pairings',
    name: 'pairings',
    component: () => import('@/views/pairing/PairingsView.vue'),
    meta: { title: 'nav.pairings', roles: [...ORG_ROLES, 'admin'] },
  },
  {
    path: '/pairings/:id',
    name: 'pairing-detail',
    component: () => import('@/views/pairing/PairingDetailView.vue'),
    meta: { title: 'nav.pairings', roles: [...ORG_ROLES, 'admin'] },
  },
  {
    path: '/pipeline',
    name: 'pipeline',
    component: () => import('@/views/pairing/PipelineView.vue'),
    meta: { title: 'nav.pipeline', roles: SHORTLIST_ROLES },
  },
  {
    path: '/inbox',
    name: 'inbox',
    component: () => import('@/views/pairing/InboxView.vue'),
    meta: { title: 'nav.inbox' },
  },
  {
    path: '/events',
    name: 'events',
    component: () => import('@/views/events/EventsView.vue'),
    meta: { title: 'nav.events' },
  },
  {
    path: '/events/new',
    name: 'event-new',
    component: () => import('@/views/events/EventNewView.vue'),
    meta: { title: 'events.org.create.title', roles: [...ORG_ROLES, 'admin'] },
  },
  {
    path: '/events/:id/manage',
    name: 'event-manage',
    component: () => import('@/views/events/EventManageView.vue'),
    props: true,
    meta: { title: 'events.org.manage.title' },
  },
  {
    path: '/events/:id',
    name: 'event',
    component: () => import('@/views/events/EventParticipantView.vue'),
    meta: { title: 'events.part.title' },
  },
  {
    path: '/compare',
    name: 'compare',
    component: () => import('@/views/CompareView.vue'),
    meta: { title: 'compare.title', roles: SHORTLIST_ROLES },
  },
  {
    path: '/admin/orgs',
    name: 'admin-orgs',
    component: () => import('@/views/admin/AdminOrgsView.vue'),
    meta: { title: 'nav.adminOrgs', roles: ['admin'] },
  },
  {
    path: '/admin/imports',
    name: 'admin-imports',
    component: () => import('@/views/admin/AdminImportsView.vue'),
    meta: { title: 'nav.adminImports', roles: ['admin'] },
  },
  {
    path: '/admin/dashboard',
    name: 'dashboard',
    component: () => import('@/views/cultivation/DashboardView.vue'),
    meta: { title: 'nav.dashboard', roles: ['admin'] },
  },
  {
    path: '/admin/cultivation',
    name: 'cultivation',
    component: () => import('@/views/cultivation/CultivationAdminView.vue'),
    meta: { title: 'nav.cultivation', roles: ['admin'] },
  },
  {
    path: '/cultivation/orgs/:id',
    name: 'org-indicators',
    component: () => import('@/views/cultivation/OrgIndicatorsView.vue'),
    props: true,
    meta: { title: 'cultivation.ind.title', roles: [...ORG_ROLES, 'admin'] },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { title: 'notFound.title', public: true },
  },
]

/** guard decides where a navigation may go: a route, or a redirect. */
export function guard(to: RouteLocationNormalized) {
  const auth = useAuthStore()
  if (to.meta.guest && auth.isAuthenticated) return { name: 'home' }
  if (!to.meta.public && !auth.isAuthenticated) return { name: 'login', query: { redirect: to.fullPath } }
  if (to.meta.roles && (!auth.role || !to.meta.roles.includes(auth.role))) return { name: 'home' }
  return true
}

export function pageTitle(to: RouteLocationNormalized): string {
  const t = i18n.global.t
  const app = t('app.name')
  return to.meta.title ? `${t(to.meta.title)} - ${app}` : app
}

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
  router.beforeEach(guard)
  router.afterEach((to) => {
    document.title = pageTitle(to)
  })
  return router
}
