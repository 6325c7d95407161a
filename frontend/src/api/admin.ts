import { http, type Query } from './client'
import type { ImportRun, Page, Role, User } from './types'

export interface UserFilter extends Query {
  role?: string
  org?: string
  q?: string
  limit?: number
  cursor?: string
}

export interface UserUpdate {
  role?: Role
  disabled?: boolean
  regionScope?: string
}

export const adminApi = {
  users: (f: UserFilter, signal?: AbortSignal) => http.get<Page<User>>('/admin/users', f, signal),
  updateUser: (id: string, u: UserUpdate) => http.put<User>(`/admin/users/${encodeURIComponent(id)}`, u),
  /** importFile uploads a .jsonl file in the interchange format (multipart field "file"). */
  importFile: (file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return http.post<ImportRun>('/admin/import', form)
  },
  imports: (f: { limit?: number; cursor?: string }, signal?: AbortSignal) =>
    http.get<Page<ImportRun>>('/admin/imports', f, signal),
  importRun: (id: string) => http.get<ImportRun>(`/admin/imports/${encodeURIComponent(id)}`),
}
