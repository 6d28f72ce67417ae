import type { Executor } from '../db/database'
import { hashSecret, newSecret } from './tokens'
import * as queries from './queries'
import type { Actor } from './actor'

export const SESSION_COOKIE = 'concord_session'
/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000
/** …and after this long in any case; then the person signs in again. */
export const SESSION_ABSOLUTE_MS = 14 * 24 * 60 * 60 * 1000
// Touching last_seen_at on every request would write on every read; once a minute is enough
// precision for an idle limit measured in hours.
const TOUCH_INTERVAL_MS = 60 * 1000

export interface NewSession {
  /** The secret for the cookie; only its hash is stored. */
  cookieValue: string
  csrfToken: string
  expiresAt: Date
}

/** Starts a new session for a user. Callers end the previous one first (rotation on sign-in). */
export async function startSession(
  db: Executor,
  key: string,
  userId: string,
  client: { ip: string; userAgent: string | null },
): Promise<NewSession> {
  const cookieValue = newSecret()
  const csrfToken = newSecret()
  const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_MS)
  await queries.insertSession(db, {
    idHash: hashSecret(key, cookieValue),
    userId,
    csrfToken,
    expiresAt,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 300) ?? null,
  })
  return { cookieValue, csrfToken, expiresAt }
}

/** The actor behind a session cookie, or undefined when it is unknown or has expired. */
export async function resolveSession(db: Executor, key: string, cookieValue: string): Promise<Actor | undefined> {
  const idHash = hashSecret(key, cookieValue)
  const row = await findAndTouchSession(db, idHash)
  if (!row) {
    return undefined
  }
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    isAdmin: row.is_admin,
    locale: row.locale,
    createdAt: row.user_created_at,
    via: 'session',
    sessionIdHash: idHash,
    csrfToken: row.csrf_token,
    twoFactorEnabled: row.totp_enabled_at !== null,
  }
}

/** A live session by the hash of its id, its last activity brought up to date. */
async function findAndTouchSession(db: Executor, idHash: string) {
  const row = await queries.findLiveSession(db, idHash, new Date(Date.now() - SESSION_IDLE_MS))
  if (row && Date.now() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await queries.touchSession(db, idHash)
  }
  return row
}

/**
 * Tells whether the credential an actor proved itself with still holds: the session has not
 * ended or expired, or the API token is not revoked. Long-lived connections (the
 * collaboration socket) ask again and again; an open connection counts as activity.
 */
export async function credentialIsLive(db: Executor, actor: Actor): Promise<boolean> {
  if (actor.via === 'session') {
    return actor.sessionIdHash !== undefined && (await findAndTouchSession(db, actor.sessionIdHash)) !== undefined
  }
  return actor.tokenHash !== undefined && (await queries.findLiveApiToken(db, actor.tokenHash)) !== undefined
}

/** The actor behind a personal API token, or undefined when it is unknown or revoked. */
export async function resolveApiToken(db: Executor, key: string, token: string): Promise<Actor | undefined> {
  const tokenHash = hashSecret(key, token)
  const row = await queries.useApiToken(db, tokenHash)
  if (!row) {
    return undefined
  }
  return {
    userId: row.id,
    email: row.email,
    name: row.name,
    isAdmin: row.is_admin,
    locale: row.locale,
    createdAt: row.created_at,
    via: 'token',
    tokenHash,
  }
}
