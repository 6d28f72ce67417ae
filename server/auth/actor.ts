/** Who is making a request, established once by the auth plugin. */
export interface Actor {
  userId: string
  email: string
  name: string
  isAdmin: boolean
  locale: string
  createdAt: Date
  /** How the request proved who it is. Cookie sessions need a CSRF token for writes. */
  via: 'session' | 'token'
  /** The stored hash of the session id, when `via` is 'session'. */
  sessionIdHash?: string
  /** The stored hash of the API token, when `via` is 'token'. */
  tokenHash?: string
  csrfToken?: string
  /** Whether the account has a second factor in force (known for sessions). */
  twoFactorEnabled?: boolean
}
