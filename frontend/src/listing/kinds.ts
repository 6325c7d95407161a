// What each listing kind holds, as in the interchange format: one table that
// drives the create/edit form, the detail page and the payload sent to the API.

import type { Kind, ListingFields, ListingInput, OrgType } from '@/api/types'
import { TIERS } from '@/api/types'

export type FieldType =
  'textarea' | 'tags' | 'industry' | 'industries' | 'regions' | 'number' | 'int' | 'date' | 'amount' | 'enum' | 'enums'

export interface FieldSpec {
  name: keyof ListingFields
  type: FieldType
  /** options of enum fields; their labels are under enums.<optionsKey>. */
  options?: readonly string[]
  optionsKey?: string
  min?: number
  max?: number
  required?: boolean
  /** suggestions offered by a tag input. */
  suggest?: readonly string[]
}

export const STAGES = ['seed', 'angel', 'A', 'B', 'C', 'pre-IPO'] as const
export const INSTRUMENTS = ['equity', 'debt', 'convertible'] as const
export const TRANSFER_MODES = ['transfer', 'license', 'equity', 'co-develop'] as const
export const PERIODS = ['year', 'month'] as const
export const CERTIFICATIONS = ['ISO9001', 'IATF16949', 'ISO13485', 'AS9100', 'ISO14001', 'ISO45001', 'CE', 'UL'] as const
/** HARD_FIELDS are the fields a listing may mark as hard requirements of a match. */
export const HARD_FIELDS = [
  'certificationsRequired',
  'regionsPreferred',
  'quantity',
  'industry',
  'industries',
  'stages',
  'ticketMinWan',
  'ticketMaxWan',
  'regions',
  'minRevenueWan',
  'tiers',
  'deadline',
  'budgetWan',
] as const

const money = (name: keyof ListingFields, required = false): FieldSpec => ({ name, type: 'number', min: 0, required })

export const KIND_FIELDS: Record<Kind, FieldSpec[]> = {
  capability: [
    { name: 'description', type: 'textarea' },
    { name: 'processes', type: 'tags' },
    { name: 'materials', type: 'tags' },
    { name: 'certifications', type: 'tags', suggest: CERTIFICATIONS },
    { name: 'capacity', type: 'amount' },
    { name: 'leadTimeDays', type: 'int', min: 0, max: 3650 },
    { name: 'industries', type: 'industries' },
    { name: 'regionsServed', type: 'regions' },
  ],
  need: [
    { name: 'description', type: 'textarea' },
    { name: 'industry', type: 'industry' },
    { name: 'processes', type: 'tags' },
    { name: 'materials', type: 'tags' },
    { name: 'certificationsRequired', type: 'tags', suggest: CERTIFICATIONS },
    { name: 'quantity', type: 'amount' },
    { name: 'regionsPreferred', type: 'regions' },
    { name: 'deadline', type: 'date' },
    money('budgetWan'),
  ],
  tech: [
    { name: 'abstract', type: 'textarea' },
    { name: 'industries', type: 'industries' },
    { name: 'ipc', type: 'tags' },
    { name: 'patents', type: 'tags' },
    { name: 'trl', type: 'int', min: 1, max: 9 },
    { name: 'transferModes', type: 'enums', options: TRANSFER_MODES, optionsKey: 'transferMode' },
    money('priceWan'),
  ],
  technead: [
    { name: 'description', type: 'textarea' },
    { name: 'industries', type: 'industries' },
    money('budgetWan'),
    { name: 'deadline', type: 'date' },
  ],
  investor: [
    { name: 'description', type: 'textarea' },
    { name: 'industries', type: 'industries' },
    { name: 'stages', type: 'enums', options: STAGES, optionsKey: 'stage' },
    money('ticketMinWan'),
    money('ticketMaxWan'),
    { name: 'regions', type: 'regions' },
    money('minRevenueWan'),
    { name: 'tiers', type: 'enums', options: TIERS, optionsKey: 'tier' },
    { name: 'minHoldingYears', type: 'number', min: 0, max: 100 },
  ],
  financing: [
    { name: 'description', type: 'textarea' },
    money('amountWan', true),
    { name: 'stage', type: 'enum', options: STAGES, optionsKey: 'stage' },
    { name: 'instrument', type: 'enum', options: INSTRUMENTS, optionsKey: 'instrument' },
    money('valuationWan'),
    { name: 'useOfFunds', type: 'textarea' },
  ],
}

/** KIND_OWNERS are the organisation types that may publish each kind. */
export const KIND_OWNERS: Record<Kind, OrgType[]> = {
  capability: ['sme'],
  need: ['enterprise'],
  tech: ['institution', 'sme'],
  technead: ['sme'],
  investor: ['investor'],
  financing: ['sme'],
}

/** kindsFor returns the kinds an organisation of type t may publish. */
export function kindsFor(t: OrgType | null | undefined): Kind[] {
  if (!t) return []
  return (Object.keys(KIND_OWNERS) as Kind[]).filter((k) => KIND_OWNERS[k].includes(t))
}

/** hardFieldsFor returns the fields of kind k that can be marked hard requirements. */
export function hardFieldsFor(k: Kind): string[] {
  const names = new Set<string>(KIND_FIELDS[k].map((f) => f.name))
  return HARD_FIELDS.filter((h) => names.has(h))
}

function filled(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false
  if (Array.isArray(v)) return v.length > 0
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v)
  if (typeof v === 'object') return filled((v as { value?: unknown }).value)
  return true
}

/**
 * listingPayload keeps the title and the fields of the kind that hold a value:
 * the API refuses a field that does not belong to the kind, and an empty one
 * means "not given".
 */
export function listingPayload(kind: Kind, m: ListingFields): ListingInput {
  const out: ListingInput = { kind, title: (m.title ?? '').trim() }
  const set = out as unknown as Record<string, unknown>
  const src = m as unknown as Record<string, unknown>
  for (const f of KIND_FIELDS[kind]) {
    const v = src[f.name]
    if (!filled(v)) continue
    if (f.type === 'amount') {
      const a = v as { value: number; unit?: string; per?: string }
      set[f.name] = { value: a.value, unit: (a.unit ?? '').trim(), ...(a.per ? { per: a.per } : {}) }
    } else if (typeof v === 'string') {
      set[f.name] = v.trim()
    } else {
      set[f.name] = v
    }
  }
  const hard = (m.hard ?? []).filter((h) => hardFieldsFor(kind).includes(h))
  if (hard.length) out.hard = hard
  return out
}
