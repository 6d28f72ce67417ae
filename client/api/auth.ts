import type { SessionInfo, SessionState } from '../../shared/api/auth'
import type { Ok } from '../../shared/api/common'
import { api } from './client'

/** The current session, or null when signed out (the server answers `{ user: null }`). */
export async function fetchSession(): Promise<SessionInfo | null> {
  const state = await api.get<SessionState>('/api/auth/session', { quietUnauthenticated: true })
  return state.user === null ? null : state
}

export const signIn = (email: string, password: string) =>
  api.post<SessionInfo>('/api/auth/sign-in', { email, password }, { quietUnauthenticated: true })

export const signOut = () => api.post<Ok>('/api/auth/sign-out', {}, { quietUnauthenticated: true })

/** Changes the password; the server rotates the session and returns the new CSRF token. */
export const changePassword = (currentPassword: string, newPassword: string) =>
  api.post<SessionInfo>(
    '/api/auth/password',
    { currentPassword, newPassword },
    { quietUnauthenticated: true },
  )

export const requestPasswordReset = (email: string) =>
  api.post<Ok>('/api/auth/password-reset', { email })

export const completePasswordReset = (token: string, newPassword: string) =>
  api.post<Ok>('/api/auth/password-reset/complete', { token, newPassword })
