// Reference tables (GB/T 4754-2017 industries, 行政区划 regions), each loaded
// once from /ref and shared: the cascaders draw their options from them and
// every code shown on a page is named through them.

import { defineStore } from 'pinia'
import { markRaw, reactive } from 'vue'
import { refApi, type RefTable } from '@/api/ref'
import type { RefEntry } from '@/api/types'

/** RefNode is an entry with its children, the shape a cascader takes. */
export interface RefNode {
  code: string
  name: string
  level: number
  children?: RefNode[]
  leaf?: boolean
}

export interface RefIndex {
  byCode: Map<string, RefEntry>
  tree: RefNode[]
}

/** indexTable builds the lookup map and the tree of a table. */
export function indexTable(entries: RefEntry[]): RefIndex {
  const byCode = new Map<string, RefEntry>()
  const nodes = new Map<string, RefNode>()
  for (const e of entries) {
    byCode.set(e.code, e)
    nodes.set(e.code, { code: e.code, name: e.name, level: e.level })
  }
  const tree: RefNode[] = []
  for (const e of entries) {
    const n = nodes.get(e.code)!
    const parent = e.parent ? nodes.get(e.parent) : undefined
    if (parent) (parent.children ??= []).push(n)
    else tree.push(n)
  }
  for (const n of nodes.values()) n.leaf = !n.children
  return { byCode, tree }
}

type State = { index: RefIndex | null; loading: boolean; error: unknown }

export const useRefStore = defineStore('ref', () => {
  const tables = reactive<Record<RefTable, State>>({
    industries: { index: null, loading: false, error: null },
    regions: { index: null, loading: false, error: null },
  })
  const pending = new Map<RefTable, Promise<RefIndex>>()

  /** load fetches a table once; concurrent callers share the request, and a failure may be retried. */
  function load(table: RefTable): Promise<RefIndex> {
    const t = tables[table]
    if (t.index) return Promise.resolve(t.index)
    let p = pending.get(table)
    if (!p) {
      t.loading = true
      t.error = null
      p = refApi
        .all(table)
        .then((entries) => {
          // Raw: thousands of rows need no deep reactivity; replacing
          // t.index is what views react to.
          const idx = markRaw(indexTable(entries))
          t.index = idx
          return idx
        })
        .catch((e) => {
          t.error = e
          throw e
        })
        .finally(() => {
          t.loading = false
          pending.delete(table)
        })
      pending.set(table, p)
    }
    return p
  }

  /** path returns the entries from the top level down to code; empty while the table is not loaded or the code is unknown. */
  function path(table: RefTable, code: string): RefEntry[] {
    const idx = tables[table].index
    const out: RefEntry[] = []
    let e = idx?.byCode.get(code)
    while (e && out.length < 8) {
      out.unshift(e)
      e = e.parent ? idx!.byCode.get(e.parent) : undefined
    }
    return out
  }

  /** name returns a code's name, or the code itself while the table is loading or for an unknown code. */
  function name(table: RefTable, code: string | undefined): string {
    if (!code) return ''
    return tables[table].index?.byCode.get(code)?.name ?? code
  }

  /** fullName names a region with its ancestors (浙江省宁波市北仑区) or an industry with its division. */
  function fullName(table: RefTable, code: string | undefined): string {
    if (!code) return ''
    const p = path(table, code)
    if (!p.length) return code
    return table === 'regions'
      ? p.map((e) => e.name).join('')
      : p
          .slice(-2)
          .map((e) => e.name)
          .join(' / ')
  }

  return { tables, load, path, name, fullName }
})
