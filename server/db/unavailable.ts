import { sql } from 'kysely'
import type { Db } from './database'

// SQLSTATEs that mean "the server is not there right now", not "the statement is wrong":
// class 08 (connection exception), 57P01 admin_shutdown (`pg_ctl stop -m fast`), 57P02
// crash_shutdown (`-m immediate` and crash recovery), 57P03 cannot_connect_now (starting up,
// shutting down, in recovery), 53300 too_many_connections.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300'])
// What Node's sockets say when nothing listens or the connection broke.
const UNAVAILABLE_SYSCALL_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
// pg reports a connection that ended under a query, or a client it cannot use, without a code.
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection error',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
]

/**
 * Tells whether an error means that the database cannot be reached at the moment (stopped,
 * restarting, the network between us broken) rather than that a statement failed. Such an
 * error says nothing about the request that met it: a socket is told to retry (close code
 * `TryAgainLater`), never to sign in again, and a room keeps what it holds and commits it later.
 * The embedded PGlite lives in this process and never gives one.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string') {
      if (
        code.startsWith('08') ||
        UNAVAILABLE_SQLSTATES.has(code) ||
        UNAVAILABLE_SYSCALL_CODES.has(code)
      ) {
        return true
      }
    }
    if (
      UNAVAILABLE_MESSAGES.some(
        (message) => cause instanceof Error && cause.message.includes(message),
      )
    ) {
      return true
    }
    // An AggregateError (one attempt per address of `localhost`) carries its reasons inside.
    if (
      cause instanceof AggregateError &&
      cause.errors.some((inner) => isDatabaseUnavailable(inner))
    ) {
      return true
    }
    cause = cause.cause
  }
  return false
}

/**
 * Asks the database for `SELECT 1` and tells whether it answered within `timeoutMs`. A pool
 * that cannot connect fails at once; the time bound covers a network that swallows packets.
 */
export async function databaseAnswers(db: Db, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
  })
  try {
    return await Promise.race([sql`select 1`.execute(db).then(() => true), timeout])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
