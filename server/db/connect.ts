import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { join } from 'node:path'
import type { Database, Db } from './database'
import { lockDataDir } from './embedded-lock'
import { PGliteDialect } from './pglite-dialect'

// bigint (int8) columns are ids and counts far below 2^53: read them as numbers on both engines.
const INT8_OID = 20
pg.types.setTypeParser(INT8_OID, (value: string) => Number(value))

/** How long an unused PostgreSQL connection stays open in the pool. */
export const IDLE_CONNECTION_MS = 10 * 60_000

/**
 * How long the pool waits for a new PostgreSQL connection (TCP, TLS and start-up) before the
 * request that needed it fails as "database unavailable" (a 503, or a room's retry). Without
 * it pg waits for the operating system: a host that swallows packets held every request for
 * minutes (issue 12, item 4). A healthy server connects in milliseconds.
 */
export const CONNECT_TIMEOUT_MS = 3_000

/**
 * Statements whose text starts with this comment run as named prepared statements on
 * PostgreSQL: parsed and planned once per connection instead of at every call. Meant for the
 * few hot statements with a fixed text (the update log's append, at every commit of a room);
 * on PGlite it is only a comment.
 */
export const PREPARE_MARKER = '/* prepare */'

const statementNames = new Map<string, string>()

// Kysely hands pg a text and its values; a marked text becomes a named query. A statement's
// name stands for its text in every connection (pg parses it on first use in each).
class PreparingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [text, values, ...rest] = args
    if (typeof text === 'string' && text.startsWith(PREPARE_MARKER) && Array.isArray(values)) {
      let name = statementNames.get(text)
      if (name === undefined) {
        name = `concord_${statementNames.size + 1}`
        statementNames.set(text, name)
      }
      return (super.query as (...a: unknown[]) => never)({ name, text, values }, ...rest)
    }
    return (super.query as (...a: unknown[]) => never)(...args)
  }
}

export interface Connection {
  db: Db
  engine: 'postgres' | 'pglite'
  /** Closes the database and releases the embedded data folder's lock. */
  close: () => Promise<void>
}

export interface ConnectOptions {
  databaseUrl?: string | undefined
  dataDir?: string
  /** An existing PGlite instance (tests load one from a migrated dump). */
  pglite?: PGlite
  poolSize?: number
  /** How long to wait for a new PostgreSQL connection; `CONNECT_TIMEOUT_MS` by default. */
  connectTimeoutMs?: number
  /**
   * Told when an idle PostgreSQL connection fails (the server restarted, a proxy or an
   * administrator closed it). The pool drops that connection and opens a new one when needed;
   * without a listener the error would end the process.
   */
  onIdleError?: (error: Error) => void
}

/**
 * Opens the database: PostgreSQL through `pg` when a URL is given, otherwise the
 * embedded PGlite under `<dataDir>/pglite`, locked so that only this process opens it.
 */
export async function connect(options: ConnectOptions): Promise<Connection> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // pg closes a connection after 10 s idle by default. The collaboration server's periodic
      // work (access rechecks every 10 s, head polls) then met a pool that had just let its
      // connections go, and a room's commit that needed a fresh one waited for a new
      // PostgreSQL backend: 15–120 ms on a busy 2-core machine (bench/collab.ts), a stall for
      // everyone in the room. Connections stay for ten idle minutes instead; the pool is small.
      idleTimeoutMillis: IDLE_CONNECTION_MS,
      connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      Client: PreparingClient,
    })
    pool.on('error', options.onIdleError ?? (() => undefined))
    // The pool listens for errors only on idle connections. A connection in use (inside a
    // transaction, between two statements) whose server goes away emits 'error' too, and with no
    // listener that ends the process (a PostgreSQL restart did; issue 12, item 4). Its statement
    // fails with the error all the same, and the pool drops it when it comes back unusable.
    pool.on('connect', (client) => {
      client.on('error', () => undefined)
    })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, engine: 'postgres', close: () => db.destroy() }
  }
  if (options.pglite) {
    const db = new Kysely<Database>({ dialect: new PGliteDialect(options.pglite) })
    return { db, engine: 'pglite', close: () => db.destroy() }
  }
  if (!options.dataDir) {
    throw new Error('Either a database URL or a data folder is needed')
  }
  const release = lockDataDir(options.dataDir)
  try {
    const pglite = await PGlite.create(join(options.dataDir, 'pglite'), {
      parsers: { [INT8_OID]: (value: string) => Number(value) },
    })
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })
    return {
      db,
      engine: 'pglite',
      close: async () => {
        await db.destroy()
        release()
      },
    }
  } catch (error) {
    release()
    throw error
  }
}
