// Shapes of the Rongtong JSON API (/api/v1). Field names follow the server's
// JSON and the interchange format (docs: IMPORT_FORMAT).

export type Role = 'sme' | 'enterprise' | 'investor' | 'institution' | 'organizer' | 'admin'
export type OrgType = Exclude<Role, 'admin'>
export type MemberRole = 'owner' | 'member'
export type Tier = 'none' | 'innovative' | 'specialized' | 'hidden_champion' | 'little_giant'
export type Kind = 'capability' | 'need' | 'tech' | 'technead' | 'investor' | 'financing'
export type Status = 'draft' | 'published' | 'closed' | 'awarded'

export const ROLES: readonly Role[] = ['sme', 'enterprise', 'investor', 'institution', 'organizer', 'admin']
export const ORG_TYPES: readonly OrgType[] = ['sme', 'enterprise', 'investor', 'institution', 'organizer']
export const TIERS: readonly Tier[] = ['none', 'innovative', 'specialized', 'hidden_champion', 'little_giant']
export const KINDS: readonly Kind[] = ['capability', 'need', 'tech', 'technead', 'investor', 'financing']
export const STATUSES: readonly Status[] = ['draft', 'published', 'closed', 'awarded']

export interface User {
  id: string
  email?: string
  phone?: string
  name?: string
  role: Role
  regionScope?: string
  orgId?: string
  orgRole?: MemberRole
  disabled?: boolean
  createdAt: string
  updatedAt: string
}

export interface TokenResponse {
  accessToken: string
  tokenType?: string
  expiresIn: number
  refreshToken: string
  user: User
}

export interface OrgSummary {
  id: string
  ref?: string
  name: string
  orgType: OrgType
  region?: string
  industry?: string
  tier?: Tier
  verified: boolean
}

export interface MeResponse {
  user: User
  org: OrgSummary | null
}

export interface Contact {
  name?: string
  phone?: string
  email?: string
}

export interface Org {
  id: string
  ref?: string
  name: string
  uscc?: string
  orgType: OrgType
  region?: string
  industry?: string
  tier?: Tier
  founded?: number
  employees?: number
  revenueWan?: number
  rdRatio?: number
  patents?: number
  certifications?: string[]
  products?: string[]
  description?: string
  website?: string
  contact?: Contact
  verified: boolean
  verifiedAt?: string
  createdAt: string
  updatedAt: string
}

/** OrgInput is what a client sends to create or update an organisation. */
export type OrgInput = Omit<Org, 'id' | 'verified' | 'verifiedAt' | 'createdAt' | 'updatedAt'>

export interface Amount {
  value: number
  unit: string
  per?: 'year' | 'month' | ''
}

export interface ListingFields {
  title: string
  description?: string
  abstract?: string
  industry?: string
  industries?: string[]
  processes?: string[]
  materials?: string[]
  certifications?: string[]
  certificationsRequired?: string[]
  capacity?: Amount
  leadTimeDays?: number
  regionsServed?: string[]
  quantity?: Amount
  regionsPreferred?: string[]
  deadline?: string
  budgetWan?: number
  ipc?: string[]
  patents?: string[]
  trl?: number
  transferModes?: string[]
  priceWan?: number
  stages?: string[]
  ticketMinWan?: number
  ticketMaxWan?: number
  regions?: string[]
  minRevenueWan?: number
  tiers?: Tier[]
  minHoldingYears?: number
  amountWan?: number
  stage?: string
  instrument?: string
  valuationWan?: number
  useOfFunds?: string
  hard?: string[]
}

export interface Listing extends ListingFields {
  id: string
  ref?: string
  kind: Kind
  orgId: string
  owner: OrgSummary
  status: Status
  publishedAt?: string
  createdAt: string
  updatedAt: string
}

/** ListingInput is what a client sends to create or update a listing. */
export interface ListingInput extends ListingFields {
  kind: Kind
  status?: Status
}

export interface Page<T> {
  items: T[]
  nextCursor?: string
}

/** RefEntry is a row of a reference table: a GB/T 4754 industry or a 行政区划 region. */
export interface RefEntry {
  code: string
  parent?: string
  name: string
  level: number
}

export interface Invite {
  code: string
  orgId: string
  expiresAt: string
}

export interface ImportCounts {
  lines: number
  created: number
  updated: number
  unchanged: number
  failed: number
}

export interface ImportError {
  line: number
  ref?: string
  field: string
  code: string
  message: string
}

export interface ImportRun {
  id: string
  userId?: string
  source: string
  startedAt: string
  finishedAt: string
  counts: ImportCounts
  errors: ImportError[]
}

export interface FieldError {
  field: string
  code: string
  message: string
}

/** Problem is an RFC 9457 problem detail (application/problem+json). */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  requestId?: string
  errors?: FieldError[]
  allowed?: string[]
}
