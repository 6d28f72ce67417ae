import type { ApiToken, CreatedToken, TwoFactorEnrolment, TwoFactorStatus } from '../../shared/api/auth'
import { LIMITS } from '../../shared/limits'
import type { Ctx, Origin } from '../context'
import type { Executor, UserRow } from '../db/database'
import { inTransaction } from '../db/transaction'
import { AppError, conflict, notFound } from '../errors'
import { recordAudit } from '../audit/record'
import { passwordResetMail } from '../mail/templates'
import { uiLanguageOf } from '../../shared/i18n/languages'
import type { Actor } from './actor'
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords'
import { toApiToken } from './present'
import * as queries from './queries'
import { SESSION_IDLE_MS, startSession, type NewSession } from './sessions'
import { PAIR_MEMORY_MS, reserveSignInAttempt, settleSignInAttempt, THROTTLE_WINDOW_MS } from './throttle'
import { API_TOKEN_PREFIX, hashSecret, newSecret } from './tokens'
import {
  CHALLENGE_MAX_FAILURES,
  CHALLENGE_MINUTES,
  decryptTotpSecret,
  encryptTotpSecret,
  newRecoveryCodes,
  newTotpEnrolment,
  normaliseRecoveryCode,
  verifyTotp,
} from './two-factor'

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
): Promise<{ user: UserRow; session: NewSession } | { challenge: string }> {
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
  if (user.totp_enabled_at !== null) {
    // The password was right; the session starts only once the code is right too.
    const challenge = newSecret()
    await queries.insertSignInChallenge(ctx.db, {
      idHash: hashSecret(ctx.config.sessionSecret, challenge),
      userId: user.id,
      ip: client.ip,
      expiresAt: new Date(Date.now() + CHALLENGE_MINUTES * 60 * 1000),
    })
    return { challenge }
  }
  return { user, session: await startSignedInSession(ctx, user, client, previousSessionIdHash) }
}

async function startSignedInSession(ctx: Ctx, user: UserRow, client: ClientInfo, previousSessionIdHash: string | undefined) {
  return inTransaction(ctx.db, async (trx) => {
    if (previousSessionIdHash) {
      await queries.deleteSession(trx, previousSessionIdHash)
    }
    await recordAudit(trx, { userId: user.id, name: user.name, ip: client.ip }, { action: 'auth.signed_in' })
    return startSession(trx, ctx.config.sessionSecret, user.id, client)
  })
}

const invalidCode = () => new AppError(401, 'invalid_code', 'The code is not correct or was used already')
const codeNeeded = () =>
  new AppError(403, 'two_factor_required', 'This account has a second factor: send a code from the app or a recovery code')

/**
 * Finishes a sign-in whose password was right with a code from the app or a recovery code.
 * A challenge lasts a few minutes, takes a few wrong codes and is used once; a TOTP code is
 * never accepted twice.
 */
export async function completeTwoFactorSignIn(
  ctx: Ctx,
  body: { challenge: string; code: string },
  client: ClientInfo,
  previousSessionIdHash: string | undefined,
): Promise<{ user: UserRow; session: NewSession }> {
  const idHash = hashSecret(ctx.config.sessionSecret, body.challenge)
  const challenge = await queries.findLiveSignInChallenge(ctx.db, idHash)
  const user = challenge ? await queries.findUserById(ctx.db, challenge.user_id) : undefined
  if (!challenge || !user || challenge.failures >= CHALLENGE_MAX_FAILURES) {
    throw new AppError(410, 'link_expired', 'This sign-in has expired; enter your password again')
  }
  if (!(await checkSecondFactor(ctx, ctx.db, user, body.code))) {
    const failures = await queries.failSignInChallenge(ctx.db, idHash)
    ctx.log.warn({ ip: client.ip, failures }, 'wrong second-factor code')
    if (failures >= CHALLENGE_MAX_FAILURES) {
      await queries.deleteSignInChallenge(ctx.db, idHash)
    }
    throw invalidCode()
  }
  if (!(await queries.deleteSignInChallenge(ctx.db, idHash))) {
    throw new AppError(410, 'link_expired', 'This sign-in has expired; enter your password again')
  }
  return { user, session: await startSignedInSession(ctx, user, client, previousSessionIdHash) }
}

/**
 * Whether `code` is the user's current TOTP code (not used before) or one of their unused
 * recovery codes, which it then uses up. Users without a second factor have no valid code.
 */
async function checkSecondFactor(ctx: Ctx, db: Executor, user: UserRow, code: string): Promise<boolean> {
  if (user.totp_enabled_at === null || user.totp_secret === null) {
    return false
  }
  const trimmed = code.trim()
  if (/^[0-9]{6}$/.test(trimmed)) {
    const secret = decryptTotpSecret(ctx.config.sessionSecret, user.totp_secret)
    const step = await verifyTotp(secret, trimmed, user.totp_last_step === null ? null : Number(user.totp_last_step))
    return step !== undefined && (await queries.acceptTotpStep(db, user.id, step))
  }
  return queries.consumeRecoveryCode(db, user.id, hashSecret(ctx.config.sessionSecret, normaliseRecoveryCode(trimmed)))
}

/** Refuses, unless the code is right, an action that an account with a second factor must confirm. */
async function assertSecondFactor(ctx: Ctx, db: Executor, user: UserRow, code: string | undefined): Promise<void> {
  if (user.totp_enabled_at === null) {
    return
  }
  if (code === undefined) {
    throw codeNeeded()
  }
  if (!(await checkSecondFactor(ctx, db, user, code))) {
    throw invalidCode()
  }
}

/** Whether the account must have a second factor: instance administrators and secretariat members. */
export async function isTwoFactorRequired(db: Executor, user: { id: string; is_admin: boolean }): Promise<boolean> {
  return user.is_admin || (await queries.isSecretariatAnywhere(db, user.id))
}

/**
 * Whether a session must set up a second factor before anything else (issue 12, item 8): the
 * instance requires it of staff (`STAFF_TWO_FACTOR`), the account is an administrator or a
 * secretariat member, and it has none yet. API tokens are not held back: one is made either
 * with a code (the account has a second factor) or by the operator on the server.
 */
export async function mustEnrolTwoFactor(ctx: Ctx, actor: Actor): Promise<boolean> {
  if (ctx.config.staffTwoFactor !== 'required' || actor.via !== 'session' || actor.twoFactorEnabled !== false) {
    return false
  }
  return actor.isAdmin || (await queries.isSecretariatAnywhere(ctx.db, actor.userId))
}

/** The same for an account just signed in (or joined), before its session is an actor. */
export async function mustEnrolTwoFactorUser(ctx: Ctx, user: UserRow): Promise<boolean> {
  return ctx.config.staffTwoFactor === 'required' && user.totp_enabled_at === null && (await isTwoFactorRequired(ctx.db, user))
}

/** Refuses a session that must set up its second factor first. */
export const enrolmentRequired = () =>
  new AppError(403, 'two_factor_enrolment_required', 'Set up a second factor first: secretariat members and administrators need one')

export async function twoFactorStatus(ctx: Ctx, actor: Actor): Promise<TwoFactorStatus> {
  const user = await queries.findUserById(ctx.db, actor.userId)
  if (!user) {
    throw notFound('Account')
  }
  return {
    enabled: user.totp_enabled_at !== null,
    required: await isTwoFactorRequired(ctx.db, user),
    recoveryCodesLeft: user.totp_enabled_at === null ? 0 : await queries.countUnusedRecoveryCodes(ctx.db, user.id),
  }
}

/**
 * Starts an enrolment: a new secret is stored, encrypted and not yet in force, and returned
 * once with its otpauth URI and QR code. Starting again replaces a secret never confirmed.
 */
export async function startTwoFactorEnrolment(ctx: Ctx, actor: Actor): Promise<TwoFactorEnrolment> {
  const user = await queries.findUserById(ctx.db, actor.userId)
  if (!user) {
    throw notFound('Account')
  }
  if (user.totp_enabled_at !== null) {
    throw conflict('The second factor is on already; turn it off first to change the app')
  }
  const enrolment = await newTotpEnrolment(user.email)
  await queries.updateUserTotp(ctx.db, user.id, {
    secret: encryptTotpSecret(ctx.config.sessionSecret, enrolment.secret),
    enabledAt: null,
    lastStep: null,
  })
  return {
    secret: enrolment.secret,
    otpauthUri: enrolment.otpauthUri,
    qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(enrolment.qrCodeSvg).toString('base64')}`,
  }
}

/**
 * Turns the second factor on once the first code from the app is right, and returns ten
 * recovery codes, shown this once (only their hashes are kept).
 */
export async function confirmTwoFactor(ctx: Ctx, actor: Actor, code: string, ip: string): Promise<string[]> {
  const user = await queries.findUserById(ctx.db, actor.userId)
  if (!user) {
    throw notFound('Account')
  }
  if (user.totp_enabled_at !== null) {
    throw conflict('The second factor is on already')
  }
  if (user.totp_secret === null) {
    throw new AppError(409, 'conflict', 'Start the enrolment first')
  }
  const step = await verifyTotp(decryptTotpSecret(ctx.config.sessionSecret, user.totp_secret), code.trim(), null)
  if (step === undefined) {
    throw invalidCode()
  }
  const codes = newRecoveryCodes()
  await inTransaction(ctx.db, async (trx) => {
    await queries.updateUserTotp(trx, user.id, { secret: user.totp_secret, enabledAt: new Date(), lastStep: step })
    await queries.replaceRecoveryCodes(trx, user.id, codes.map((c) => hashSecret(ctx.config.sessionSecret, normaliseRecoveryCode(c))))
    await recordAudit(trx, { userId: user.id, name: user.name, ip }, { action: 'auth.two_factor_enabled' })
  })
  return codes
}

/**
 * Turns the second factor off after checking the password and a code. Secretariat members
 * and administrators may not: for them it is required.
 */
export async function disableTwoFactor(ctx: Ctx, actor: Actor, body: { password: string; code: string }, client: ClientInfo): Promise<void> {
  const user = await queries.findUserById(ctx.db, actor.userId)
  if (!user) {
    throw notFound('Account')
  }
  if (await isTwoFactorRequired(ctx.db, user)) {
    throw new AppError(403, 'forbidden', 'Secretariat members and administrators must keep a second factor')
  }
  const reservation = await reserveSignInAttempt(ctx.db, user.email, client.ip)
  const ok = await verifyPassword(user.password_hash, body.password)
  await settleSignInAttempt(ctx.db, reservation, ok)
  if (!ok) {
    throw invalidCredentials()
  }
  await assertSecondFactor(ctx, ctx.db, user, body.code)
  await inTransaction(ctx.db, async (trx) => {
    await queries.updateUserTotp(trx, user.id, { secret: null, enabledAt: null, lastStep: null })
    await queries.replaceRecoveryCodes(trx, user.id, [])
    await recordAudit(trx, { userId: user.id, name: user.name, ip: client.ip }, { action: 'auth.two_factor_disabled' })
  })
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
  await ctx.mailer.send(passwordResetMail(user.email, link, RESET_LINK_HOURS, uiLanguageOf(user.locale)))
}

/**
 * Sets a new password through a reset link. The link works once and expires; every session
 * of the account ends, so someone who had taken it over is signed out.
 */
export async function completePasswordReset(
  ctx: Ctx,
  token: string,
  newPassword: string,
  ip: string,
  code?: string,
): Promise<void> {
  const passwordHash = await hashPassword(newPassword)
  const userId = await inTransaction(ctx.db, async (trx) => {
    const userId = await queries.consumePasswordReset(trx, hashSecret(ctx.config.sessionSecret, token))
    if (!userId) {
      throw new AppError(410, 'link_expired', 'This link has expired or was already used; ask for a new one')
    }
    // A mailbox alone does not take over an account with a second factor (issue 12, item 8);
    // a wrong code rolls the transaction back, so the link still works.
    const owner = await queries.findUserById(trx, userId)
    if (owner) {
      await assertSecondFactor(ctx, trx, owner, code)
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
export async function createApiToken(
  ctx: Ctx,
  actor: Actor,
  name: string,
  secondFactor: { code: string | undefined } | 'operator',
): Promise<CreatedToken> {
  if (secondFactor !== 'operator') {
    // A token outlives the session: an account with a second factor confirms it (issue 12, item 8).
    const user = await queries.findUserById(ctx.db, actor.userId)
    if (!user) {
      throw notFound('Account')
    }
    await assertSecondFactor(ctx, ctx.db, user, secondFactor.code)
  }
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
    // The command line runs on the server, by its operator: no second factor is asked.
    'operator',
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
  await queries.deleteExpiredSignInChallenges(db)
}

export { findUserByEmail } from './queries'
