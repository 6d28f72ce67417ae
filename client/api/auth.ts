import type {
  RecoveryCodes,
  SessionInfo,
  SessionState,
  TwoFactorChallenge,
  TwoFactorEnrolment,
  TwoFactorStatus,
} from '../../shared/api/auth'
import type { Ok } from '../../shared/api/common'
import { api } from './client'

/** The current session, or null when signed out (the server answers `{ user: null }`). */
export async function fetchSession(): Promise<SessionInfo | null> {
  const state = await api.get<SessionState>('/api/auth/session', { quietUnauthenticated: true })
  return state.user === null ? null : state
}

/** The session, or a challenge when the account has a second factor (the code comes next). */
export const signIn = (email: string, password: string) =>
  api.post<SessionInfo | TwoFactorChallenge>('/api/auth/sign-in', { email, password }, { quietUnauthenticated: true })

export const signInTwoFactor = (challenge: string, code: string) =>
  api.post<SessionInfo>('/api/auth/sign-in/two-factor', { challenge, code }, { quietUnauthenticated: true })

export const fetchTwoFactor = () => api.get<TwoFactorStatus>('/api/me/two-factor')

export const startTwoFactor = () => api.post<TwoFactorEnrolment>('/api/me/two-factor/enrol', {})

export const confirmTwoFactor = (code: string) => api.post<RecoveryCodes>('/api/me/two-factor/confirm', { code })

export const disableTwoFactor = (password: string, code: string) =>
  api.post<Ok>('/api/me/two-factor/disable', { password, code })

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

export const completePasswordReset = (token: string, newPassword: string, code?: string) =>
  api.post<Ok>('/api/auth/password-reset/complete', { token, newPassword, ...(code ? { code } : {}) })
