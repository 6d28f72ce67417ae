import type { ApiToken, CreatedToken, UpdateAccountBody, User } from '../../shared/api/auth'
import type { Ok } from '../../shared/api/common'
import { api, seg } from './client'

export const updateAccount = (body: UpdateAccountBody) => api.patch<User>('/api/me', body)

export const listTokens = () => api.get<ApiToken[]>('/api/me/tokens')

export const createToken = (name: string, code?: string) =>
  api.post<CreatedToken>('/api/me/tokens', { name, ...(code ? { code } : {}) })

export const revokeToken = (id: string) => api.delete<Ok>(`/api/me/tokens/${seg(id)}`)
