import { execFile, execFileSync } from 'node:child_process'
import { createServer } from 'node:net'
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { connect, type Connection } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'

const run = promisify(execFile)

/** Where Debian's PostgreSQL 15 server binaries are. */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin'

/**
 * Why a private PostgreSQL cluster cannot be started here, or undefined when it can: the
 * server binaries must be installed, and this process must be root to run them as the
 * `postgres` user (PostgreSQL refuses to run as root).
 */
export function privatePostgresMissing(): string | undefined {
  for (const binary of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(POSTGRES_BIN, binary))) {
      return `${join(POSTGRES_BIN, binary)} is missing (apt-get install postgresql-15)`
    }
  }
  if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) {
    return 'runuser is missing'
  }
  if (process.getuid?.() !== 0) {
    return 'the tests do not run as root, so they cannot run PostgreSQL as the postgres user'
  }
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' })
  } catch {
    return 'there is no postgres user'
  }
  return undefined
}

/** A PostgreSQL cluster of a test's own, on a free port (never the machine's shared server). */
export interface PrivatePostgres {
  port: number
  /** A URL of a database on this cluster (`postgres` by default). */
  url(database?: string): string
  /** Starts the server again after `stop`, and resolves once it accepts connections. */
  start(): Promise<void>
  /** Stops the server: `fast` ends sessions cleanly, `immediate` as a crash would (recovery at the next start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>
  /** A fresh, migrated database on this cluster, with the shape the harness expects (a `TestDatabase`). */
  createDatabase(name: string): Promise<Connection & { url: string }>
  /** The server's log so far, for failure messages. */
  log(): string
  /** Stops the server at once and deletes its files. */
  destroy(): Promise<void>
}

/**
 * Creates a cluster with `initdb` in a fresh temporary folder owned by `postgres` (trust
 * authentication, listening on 127.0.0.1 only, its socket in that folder) and starts it.
 * Everything runs as the `postgres` user through `runuser`. A cluster left running by a test
 * that died is stopped when the process exits.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const missing = privatePostgresMissing()
  if (missing) {
    throw new Error(`Cannot start a private PostgreSQL: ${missing}`)
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  const dir = mkdtempSync(join(tmpdir(), 'concord-pg-'))
  chownSync(dir, uid, gid)
  const dataDir = join(dir, 'data')
  const logFile = join(dir, 'server.log')
  const port = await freePort()
  const asPostgres = (binary: string, args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, binary), ...args], {
      cwd: dir,
      timeout: 60_000,
    })
  await asPostgres('initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ])
  // fsync off: the tests stop the server, never the machine, so the page cache survives; the
  // shared 2-core machine is spared the flushes.
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c max_connections=50',
    '-c shared_buffers=16MB',
  ].join(' ')
  let running = false
  const start = async () => {
    await asPostgres('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      logFile,
      '-o',
      serverOptions,
      '-w',
      '-t',
      '60',
      'start',
    ])
    running = true
  }
  const stopNow = () => {
    if (running) {
      running = false
      try {
        execFileSync(
          'runuser',
          [
            '-u',
            'postgres',
            '--',
            join(POSTGRES_BIN, 'pg_ctl'),
            '-D',
            dataDir,
            '-m',
            'immediate',
            '-w',
            'stop',
          ],
          { stdio: 'ignore' },
        )
      } catch {
        // Already stopped.
      }
    }
  }
  process.once('exit', stopNow)
  await start()

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`
  return {
    port,
    url,
    start,
    stop: async (mode) => {
      await asPostgres('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop'])
      running = false
    },
    createDatabase: async (name) => {
      const admin = new pg.Client({ connectionString: url() })
      await admin.connect()
      try {
        await admin.query(`CREATE DATABASE ${name}`)
      } finally {
        await admin.end()
      }
      const connection = await connect({ databaseUrl: url(name), poolSize: 5 })
      await migrateToLatest(connection.db)
      return { ...connection, url: url(name) }
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    destroy: async () => {
      stopNow()
      process.off('exit', stopNow)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}
