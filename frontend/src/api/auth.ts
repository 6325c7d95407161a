import { http } from './client'
import type { MeResponse, OrgType, TokenResponse, User } from './types'

export interface RegisterInput {
  email?: string
  phone?: string
  password: string
  name?: string
  role: OrgType
}

export const authApi = {
  register: (in_: RegisterInput) => http.post<User>('/auth/register', in_),
  login: (login: string, password: string) => http.post<TokenResponse>('/auth/login', { login, password }),
  logout: (refreshToken: string) => http.post<void>('/auth/logout', { refreshToken }),
  me: () => http.get<MeResponse>('/auth/me'),
  changePassword: (oldPassword: string, newPassword: string) =>
    http.post<TokenResponse>('/auth/password', { oldPassword, newPassword }),
}
