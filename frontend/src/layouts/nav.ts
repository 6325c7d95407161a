import type { Role } from '@/api/types'

export interface NavItem {
  key:
    | 'home'
    | 'org'
    | 'myListings'
    | 'listings'
    | 'search'
    | 'enterprises'
    | 'shortlist'
    | 'adminOrgs'
    | 'adminImports'
    | 'dashboard'
    | 'cultivation'
    | 'pairings'
    | 'inbox'
    | 'pipeline'
    | 'events'
  path: string
  group: 'main' | 'admin'
}

/** navItems is the side navigation a role sees. */
export function navItems(role: Role | null, loggedIn: boolean): NavItem[] {
  const items: NavItem[] = []
  if (loggedIn) items.push({ key: 'home', path: '/', group: 'main' })
  if (role && role !== 'admin') {
    items.push({ key: 'org', path: '/org', group: 'main' })
    items.push({ key: 'myListings', path: '/my/listings', group: 'main' })
  }
  items.push({ key: 'listings', path: '/listings', group: 'main' })
  items.push({ key: 'search', path: '/search', group: 'main' })
  if (role === 'investor' || role === 'enterprise' || role === 'admin')
    items.push({ key: 'enterprises', path: '/enterprises', group: 'main' })
  if (role === 'enterprise' || role === 'investor') items.push({ key: 'shortlist', path: '/shortlist', group: 'main' })
  if (role) items.push({ key: 'pairings', path: '/pairings', group: 'main' })
  if (role) items.push({ key: 'events', path: '/events', group: 'main' })
  if (role === 'enterprise' || role === 'investor') items.push({ key: 'pipeline', path: '/pipeline', group: 'main' })
  if (role) items.push({ key: 'inbox', path: '/inbox', group: 'main' })
  if (role === 'admin') {
    items.push({ key: 'adminOrgs', path: '/admin/orgs', group: 'admin' })
    items.push({ key: 'adminImports', path: '/admin/imports', group: 'admin' })
    items.push({ key: 'dashboard', path: '/admin/dashboard', group: 'admin' })
    items.push({ key: 'cultivation', path: '/admin/cultivation', group: 'admin' })
  }
  return items
}
