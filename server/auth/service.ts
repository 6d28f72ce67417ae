import type { ApiToken, CreatedToken } from '../../shared/api/auth'
import { LIMITS } from '../../shared/limits'
import type { Ctx, Origin } from '../context'
import type { Executor, UserRow } from '../db/database'
import { inTransaction } from '../db/transaction'
import { AppError, conflict, notFound } from '../errors'
import { recordAudit } from '../audit/record'
import { passwordResetMail } from '../mail/templates'
import type { Actor } from './actor'
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords'
import { toApiToken } from './present'
import * as queries from './queries'
import { SESSION_IDLE_MS, startSession, type NewSession } from './sessions'
import { PAIR_MEMORY_MS, reserveSignInAttempt, settleSignInAttempt, THROTTLE_WINDOW_MS } from './throttle'
import { API_TOKEN_PREFIX, hashSecret, newSecret } from './tokens'

/** How long a password-reset link stays valid. */
export const RESET_LINK_HOURS = 2

export interface ClientInfo {
  ip: string
  userAgent: string | null
}

const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'The e-mail address or the password is not correct')

/**
 * Checks an e-mail and password and starts a new session. Unknown accounts and wrong
 * passwords get the same answer in about the same time; repeated failures per account and
 * per address are throttled; the previous session of this browser is ended (rotation).
 */
export async function signIn(
  ctx: Ctx,
  credentials: { email: string; password: string },
  client: ClientInfo,
  previousSessionIdHash: string | undefined,
): Promise<{ user: UserRow; session: NewSession }> {
  const reservation = await reserveSignInAttempt(ctx.db, credentials.email, client.ip)
  const user = await queries.findUserByEmail(ctx.db, credentials.email)
  const ok = user
    ? await verifyPassword(user.password_hash, credentials.password)
    : await verifyAgainstDummy(credentials.password)
  await settleSignInAttempt(ctx.db, reservation, ok)
  await queries.insertSignInAttempt(ctx.db, { email: credentials.email, ip: client.ip, succeeded: ok })
  if (!user || !ok) {
    ctx.log.warn({ ip: client.ip }, 'failed sign-in')
    throw invalidCredentials()
  }
  const session = await inTransaction(ctx.db, async (trx) => {
    if (previousSessionIdHash) {
      await queries.deleteSession(trx, previousSessionIdHash)
    }
    await recordAudit(trx, { userId: user.id, name: user.name, ip: client.ip }, { action: 'auth.signed_in' })
    return startSession(trx, ctx.config.sessionSecret, user.id, client)
  })
  return { user, session }
}

/** Ends one session; the user's open sockets check their credentials again. */
export async function signOut(ctx: Ctx, actor: Actor): Promise<void> {
  if (actor.sessionIdHash !== undefined) {
    await queries.deleteSession(ctx.db, actor.sessionIdHash)
    ctx.events.emit('credentials.ended', { userId: actor.userId })
  }
}

/**
 * Changes the signed-in user's password after checking the current one. Every session of
 * the user ends, including this one, and a fresh session is returned: whoever had the old
 * password is signed out everywhere.
 */
export async function changePassword(
  ctx: Ctx,
  actor: Actor,
  body: { currentPassword: string; newPassword: string },
  client: ClientInfo,
): Promise<NewSession> {
  const user = await queries.findUserById(ctx.db, actor.userId)
  if (!user) {
    throw notFound('Account')
  }
  const reservation = await reserveSignInAttempt(ctx.db, user.email, client.ip)
  const ok = await verifyPassword(user.password_hash, body.currentPassword)
  await settleSignInAttempt(ctx.db, reservation, ok)
  if (!ok) {
    await queries.insertSignInAttempt(ctx.db, { email: user.email, ip: client.ip, succeeded: false })
    throw invalidCredentials()
  }
  const passwordHash = await hashPassword(body.newPassword)
  const session = await inTransaction(ctx.db, async (trx) => {
    await queries.updateUser(trx, user.id, { passwordHash })
    await queries.deleteUserSessions(trx, user.id)
    await recordAudit(trx, { userId: user.id, name: user.name, ip: client.ip }, { action: 'auth.password_changed' })
    return startSession(trx, ctx.config.sessionSecret, user.id, client)
  })
  ctx.events.emit('credentials.ended', { userId: user.id })
  return session
}

/**
 * Sends a one-time reset link when the address has an account, and does nothing otherwise;
 * the caller answers the same either way, so the form reveals no accounts.
 */
export async function requestPasswordReset(ctx: Ctx, email: string): Promise<void> {
  const user = await queries.findUserByEmail(ctx.db, email)
  if (!user) {
    return
  }
  const token = newSecret()
  await queries.insertPasswordReset(ctx.db, {
    tokenHash: hashSecret(ctx.config.sessionSecret, token),
    userId: user.id,
    expiresAt: new Date(Date.now() + RESET_LINK_HOURS * 60 * 60 * 1000),
  })
  const link = `${ctx.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`
  await ctx.mailer.send(passwordResetMail(user.email, link, RESET_LINK_HOURS))
}

/**
 * Sets a new password through a reset link. The link works once and expires; every session
 * of the account ends, so someone who had taken it over is signed out.
 */
export async function completePasswordReset(ctx: Ctx, token: string, newPassword: string, ip: string): Promise<void> {
  const passwordHash = await hashPassword(newPassword)
  const userId = await inTransaction(ctx.db, async (trx) => {
    const userId = await queries.consumePasswordReset(trx, hashSecret(ctx.config.sessionSecret, token))
    if (!userId) {
      throw new AppError(410, 'link_expired', 'This link has expired or was already used; ask for a new one')
    }
    const user = await queries.updateUser(trx, userId, { passwordHash })
    await queries.deleteUserSessions(trx, userId)
    await recordAudit(trx, { userId, name: user?.name ?? '', ip }, { action: 'auth.password_reset' })
    return userId
  })
  ctx.events.emit('credentials.ended', { userId })
}

/** Changes the signed-in user's name or interface language. */
export async function updateAccount(ctx: Ctx, actor: Actor, changes: { name?: string; locale?: string }) {
  const user = await queries.updateUser(ctx.db, actor.userId, {
    ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
    ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
  })
  if (!user) {
    throw notFound('Account')
  }
  return user
}

/** Creates a personal API token; its secret is returned this once and never stored. */
export async function createApiToken(ctx: Ctx, actor: Actor, name: string): Promise<CreatedToken> {
  const existing = await queries.listApiTokens(ctx.db, actor.userId)
  if (existing.length >= LIMITS.tokensPerUserMax) {
    throw conflict(`You have ${LIMITS.tokensPerUserMax} tokens already; revoke one first`)
  }
  const secret = newSecret(API_TOKEN_PREFIX)
  const row = await queries.insertApiToken(ctx.db, {
    userId: actor.userId,
    name: name.trim(),
    tokenHash: hashSecret(ctx.config.sessionSecret, secret),
    prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
  })
  return { token: toApiToken(row), secret }
}

export async function listApiTokens(ctx: Ctx, actor: Actor): Promise<ApiToken[]> {
  const rows = await queries.listApiTokens(ctx.db, actor.userId)
  return rows.map(toApiToken)
}

/** Revokes one of the caller's tokens; another user's token id is simply not found. */
export async function revokeApiToken(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  const revoked = await queries.revokeApiToken(ctx.db, actor.userId, id)
  if (!revoked) {
    throw notFound('Token')
  }
  ctx.events.emit('credentials.ended', { userId: actor.userId })
}

/**
 * Creates an account (CLI, demo, accepted invitation). The address must be free. Returns
 * the new user row.
 */
export async function createAccount(
  db: Executor,
  account: { email: string; name: string; password: string; isAdmin?: boolean; locale?: string },
  origin: Origin | null,
): Promise<UserRow> {
  if (await queries.findUserByEmail(db, account.email)) {
    throw conflict('An account with this e-mail address exists already')
  }
  const user = await queries.insertUser(db, {
    email: account.email.trim(),
    name: account.name.trim(),
    passwordHash: await hashPassword(account.password),
    isAdmin: account.isAdmin ?? false,
    ...(account.locale ? { locale: account.locale } : {}),
  })
  await recordAudit(db, origin ?? { userId: user.id, name: user.name, ip: 'local' }, {
    action: 'account.created',
    targetType: 'user',
    targetId: user.id,
  })
  return user
}

/** Issues an API token for an account by e-mail (CLI `token:create`). */
export async function createTokenForEmail(ctx: Ctx, email: string, name: string): Promise<string> {
  const user = await queries.findUserByEmail(ctx.db, email)
  if (!user) {
    throw notFound('Account')
  }
  const created = await createApiToken(
    ctx,
    { userId: user.id, email: user.email, name: user.name, isAdmin: user.is_admin, locale: user.locale, createdAt: user.created_at, via: 'token' },
    name,
  )
  return created.secret
}

/**
 * Deletes what has expired: sessions past their idle or absolute limit, sign-in attempts
 * older than the throttling window (kept a day, for the operator), and used or expired
 * reset links. Run periodically; safe to run on several instances at once.
 */
export async function pruneExpired(db: Executor): Promise<void> {
  await queries.deleteExpiredSessions(db, new Date(Date.now() - SESSION_IDLE_MS))
  await queries.deleteOldSignInAttempts(db, new Date(Date.now() - Math.max(THROTTLE_WINDOW_MS, 24 * 60 * 60 * 1000)))
  await queries.deleteStaleSignInThrottles(db, new Date(Date.now() - Math.max(THROTTLE_WINDOW_MS, PAIR_MEMORY_MS)))
  await queries.deleteFinishedPasswordResets(db)
}

export { findUserByEmail } from './queries'
