import { describe, expect, it } from 'vitest'
import { KIND_FIELDS, hardFieldsFor, kindsFor, listingPayload } from './kinds'
import { nextStatuses } from './status'
import { KINDS } from '@/api/types'

describe('listingPayload', () => {
  it('keeps only the title and the filled fields of the kind', () => {
    const p = listingPayload('need', {
      title: '  铝合金压铸件配套  ',
      description: '年需求 10 万件',
      industry: '3391',
      processes: ['压铸'],
      materials: [],
      budgetWan: 0, // zero means not given
      quantity: { value: 100000, unit: '件 ', per: 'year' },
      amountWan: 500, // a financing field: not sent for a need
      trl: 5,
      hard: ['certificationsRequired', 'stages'],
    })
    expect(p).toEqual({
      kind: 'need',
      title: '铝合金压铸件配套',
      description: '年需求 10 万件',
      industry: '3391',
      processes: ['压铸'],
      quantity: { value: 100000, unit: '件', per: 'year' },
      hard: ['certificationsRequired'],
    })
  })

  it('drops an amount without a value', () => {
    const p = listingPayload('capability', { title: 't', capacity: { value: 0, unit: '件', per: 'month' } })
    expect(p).toEqual({ kind: 'capability', title: 't' })
  })
})

describe('kinds', () => {
  it('lets each organisation type publish what the server allows', () => {
    expect(kindsFor('sme')).toEqual(['capability', 'tech', 'technead', 'financing'])
    expect(kindsFor('enterprise')).toEqual(['need'])
    expect(kindsFor('institution')).toEqual(['tech'])
    expect(kindsFor('investor')).toEqual(['investor'])
    expect(kindsFor('organizer')).toEqual([])
    expect(kindsFor(null)).toEqual([])
  })

  it('offers as hard requirements only fields of the kind', () => {
    expect(hardFieldsFor('need')).toEqual([
      'certificationsRequired',
      'regionsPreferred',
      'quantity',
      'industry',
      'deadline',
      'budgetWan',
    ])
    expect(hardFieldsFor('financing')).toEqual([])
    for (const k of KINDS) {
      const names = KIND_FIELDS[k].map((f) => f.name as string)
      for (const h of hardFieldsFor(k)) expect(names).toContain(h)
    }
  })

  it('mirrors the server’s status lifecycle', () => {
    expect(nextStatuses('draft', 'capability')).toEqual(['published', 'closed'])
    expect(nextStatuses('published', 'need')).toEqual(['draft', 'closed', 'awarded'])
    expect(nextStatuses('published', 'tech')).toEqual(['draft', 'closed'])
    expect(nextStatuses('closed', 'need')).toEqual(['published'])
    expect(nextStatuses('awarded', 'need')).toEqual([])
  })
})
