import { sql } from 'kysely'
import type { Executor, Trx } from '../db/database'

export function findUserByEmail(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
}

export function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export function insertUser(
  db: Executor,
  user: { email: string; name: string; passwordHash: string; isAdmin: boolean; locale?: string },
) {
  return db
    .insertInto('users')
    .values({
      email: user.email,
      name: user.name,
      password_hash: user.passwordHash,
      is_admin: user.isAdmin,
      ...(user.locale ? { locale: user.locale } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateUser(
  db: Executor,
  id: string,
  changes: { name?: string; locale?: string; passwordHash?: string; isAdmin?: boolean },
) {
  return db
    .updateTable('users')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      ...(changes.isAdmin !== undefined ? { is_admin: changes.isAdmin } : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export function insertSession(
  db: Executor,
  session: { idHash: string; userId: string; csrfToken: string; expiresAt: Date; ip: string; userAgent: string | null },
) {
  return db
    .insertInto('sessions')
    .values({
      id_hash: session.idHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** A session with its user, if it exists and has not expired (idle or absolute). */
export function findLiveSession(db: Executor, idHash: string, idleCutoff: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select([
      'users.email',
      'users.name',
      'users.is_admin',
      'users.locale',
      'users.created_at as user_created_at',
      'users.totp_enabled_at',
    ])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('sessions.last_seen_at', '>', idleCutoff)
    .executeTakeFirst()
}

export function touchSession(db: Executor, idHash: string) {
  return db.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id_hash', '=', idHash).execute()
}

export function deleteSession(db: Executor, idHash: string) {
  return db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}

export function deleteUserSessions(db: Executor, userId: string, exceptIdHash?: string) {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (exceptIdHash) {
    query = query.where('id_hash', '<>', exceptIdHash)
  }
  return query.execute()
}

export function deleteExpiredSessions(db: Executor, idleCutoff: Date) {
  return db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', sql<Date>`now()`), eb('last_seen_at', '<=', idleCutoff)]))
    .execute()
}

export function insertSignInAttempt(db: Executor, attempt: { email: string; ip: string; succeeded: boolean }) {
  return db
    .insertInto('sign_in_attempts')
    .values({ email: attempt.email.toLowerCase(), ip: attempt.ip, succeeded: attempt.succeeded })
    .execute()
}

export function insertPasswordReset(db: Executor, reset: { tokenHash: string; userId: string; expiresAt: Date }) {
  return db
    .insertInto('password_resets')
    .values({ token_hash: reset.tokenHash, user_id: reset.userId, expires_at: reset.expiresAt })
    .execute()
}

/**
 * Marks a reset link used, if it is still valid, and returns its user id. Doing both in
 * one UPDATE makes the link single-use even under parallel requests.
 */
export async function consumePasswordReset(db: Executor, tokenHash: string) {
  const row = await db
    .updateTable('password_resets')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('user_id')
    .executeTakeFirst()
  return row?.user_id
}

export function listApiTokens(db: Executor, userId: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute()
}

export function insertApiToken(db: Executor, token: { userId: string; name: string; tokenHash: string; prefix: string }) {
  return db
    .insertInto('api_tokens')
    .values({ user_id: token.userId, name: token.name, token_hash: token.tokenHash, prefix: token.prefix })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function revokeApiToken(db: Executor, userId: string, id: string) {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
}

/** The id of an API token that is not revoked, or undefined. */
export function findLiveApiToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .select('id')
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
}

/** The user behind a live API token, marking the token used. */
export function useApiToken(db: Executor, tokenHash: string) {
  return db
    .updateTable('api_tokens')
    .set({ last_used_at: sql`now()` })
    .from('users')
    .whereRef('users.id', '=', 'api_tokens.user_id')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .returning([
      'users.id',
      'users.email',
      'users.name',
      'users.is_admin',
      'users.locale',
      'users.created_at',
    ])
    .executeTakeFirst()
}

export function deleteOldSignInAttempts(db: Executor, before: Date) {
  return db.deleteFrom('sign_in_attempts').where('created_at', '<', before).execute()
}

export function deleteFinishedPasswordResets(db: Executor) {
  return db
    .deleteFrom('password_resets')
    .where((eb) => eb.or([eb('expires_at', '<', sql<Date>`now()`), eb('used_at', 'is not', null)]))
    .execute()
}

/**
 * Locks one sign-in counter for the rest of the transaction, making it first if it does not
 * exist. Parallel attempts on the same counter wait here for each other (PostgreSQL row lock;
 * PGlite runs one transaction at a time), so each sees the count the one before it left.
 */
export async function lockSignInThrottle(trx: Trx, scope: string, key: string, now: Date) {
  await trx
    .insertInto('sign_in_throttles')
    .values({ scope, key, failures: 0, window_started_at: now, last_failed_at: now })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .execute()
  return trx
    .selectFrom('sign_in_throttles')
    .selectAll()
    .where('scope', '=', scope)
    .where('key', '=', key)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

export function updateSignInThrottle(
  trx: Trx,
  scope: string,
  key: string,
  values: { failures: number; windowStartedAt: Date; lastFailedAt: Date; blockedUntil: Date | null },
) {
  return trx
    .updateTable('sign_in_throttles')
    .set({
      failures: values.failures,
      window_started_at: values.windowStartedAt,
      last_failed_at: values.lastFailedAt,
      blocked_until: values.blockedUntil,
    })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute()
}

/** Gives back one reserved attempt (it succeeded): the counter counts failures only. */
export function releaseSignInThrottle(db: Executor, scope: string, key: string) {
  return db
    .updateTable('sign_in_throttles')
    .set({ failures: sql`greatest(failures - 1, 0)` })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute()
}

export function deleteSignInThrottle(db: Executor, scope: string, key: string) {
  return db.deleteFrom('sign_in_throttles').where('scope', '=', scope).where('key', '=', key).execute()
}

export function deleteStaleSignInThrottles(db: Executor, before: Date) {
  return db.deleteFrom('sign_in_throttles').where('last_failed_at', '<', before).execute()
}

export function updateUserTotp(db: Executor, userId: string, totp: { secret: string | null; enabledAt: Date | null; lastStep: number | null }) {
  return db
    .updateTable('users')
    .set({ totp_secret: totp.secret, totp_enabled_at: totp.enabledAt, totp_last_step: totp.lastStep, updated_at: sql`now()` })
    .where('id', '=', userId)
    .execute()
}

/**
 * Records a TOTP time step as used, if it is later than the last one. Doing the check in the
 * UPDATE makes a code single-use even when two requests send it at once.
 */
export async function acceptTotpStep(db: Executor, userId: string, step: number) {
  const row = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export async function replaceRecoveryCodes(db: Executor, userId: string, codeHashes: string[]) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
  if (codeHashes.length > 0) {
    await db
      .insertInto('recovery_codes')
      .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash })))
      .execute()
  }
}

/** Marks a recovery code used, if it is the user's and unused; single-use under parallel requests. */
export async function consumeRecoveryCode(db: Executor, userId: string, codeHash: string) {
  const row = await db
    .updateTable('recovery_codes')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string) {
  const row = await db
    .selectFrom('recovery_codes')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return row.n
}

/** Whether the user is a member of the secretariat of any process. */
export async function isSecretariatAnywhere(db: Executor, userId: string) {
  const row = await db
    .selectFrom('memberships')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', '=', 'secretariat')
    .executeTakeFirst()
  return row !== undefined
}

export function insertSignInChallenge(db: Executor, challenge: { idHash: string; userId: string; ip: string; expiresAt: Date }) {
  return db
    .insertInto('sign_in_challenges')
    .values({ id_hash: challenge.idHash, user_id: challenge.userId, ip: challenge.ip, expires_at: challenge.expiresAt })
    .execute()
}

export function findLiveSignInChallenge(db: Executor, idHash: string) {
  return db
    .selectFrom('sign_in_challenges')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst()
}

/** Counts a wrong code against a challenge; returns the failures so far. */
export async function failSignInChallenge(db: Executor, idHash: string) {
  const row = await db
    .updateTable('sign_in_challenges')
    .set({ failures: sql`failures + 1` })
    .where('id_hash', '=', idHash)
    .returning('failures')
    .executeTakeFirst()
  return row?.failures ?? Number.POSITIVE_INFINITY
}

/** Ends a challenge; true for the one request that ended it (single use). */
export async function deleteSignInChallenge(db: Executor, idHash: string) {
  const row = await db.deleteFrom('sign_in_challenges').where('id_hash', '=', idHash).returning('id_hash').executeTakeFirst()
  return row !== undefined
}

export function deleteExpiredSignInChallenges(db: Executor) {
  return db.deleteFrom('sign_in_challenges').where('expires_at', '<=', sql<Date>`now()`).execute()
}
