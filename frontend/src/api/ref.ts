import { http } from './client'
import type { Page, RefEntry } from './types'

export type RefTable = 'industries' | 'regions'

export const refApi = {
  /**
   * all returns a whole table: a few thousand rows, cached by the browser for a
   * day, from which the cascaders and every code-to-name label are drawn.
   */
  all: async (table: RefTable): Promise<RefEntry[]> => {
    const r = await http.get<RefEntry[] | Page<RefEntry>>(`/ref/${table}`)
    return Array.isArray(r) ? r : r.items
  },
}
