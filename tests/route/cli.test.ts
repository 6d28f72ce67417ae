import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { connect } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'
import { resolveApiToken } from '../../server/auth/sessions'
import { createTestDatabase } from '../support/db'
import { TEST_DB } from '../support/engine'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
const SECRET = 'cli-test-session-secret-0123456789abcdef'
// Each case starts several Node processes (tsx, and PGlite's start-up): slow on a busy 2-core machine.
const CLI_TIMEOUT = 180_000

async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', SESSION_SECRET: SECRET, ...env },
      timeout: 60_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

async function checkAccountAndToken(db: Parameters<typeof resolveApiToken>[0], email: string, token: string) {
  const user = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow()
  expect(user.is_admin).toBe(true)
  expect(user.password_hash.startsWith('$argon2id$')).toBe(true)
  const actor = await resolveApiToken(db, SECRET, token)
  expect(actor?.email).toBe(email)
}

describe.runIf(TEST_DB === 'pglite')('command line on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'concord-cli-'))
  const env = { DATA_DIR: dataDir }

  it('creates an administrator and a token on a stopped embedded database', async () => {
    const created = await cli(['user:create', '--email', 'admin@example.org', '--password', 'admin-password-1', '--admin'], env)
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toContain('administrator admin@example.org')
    const token = await cli(['token:create', '--email', 'admin@example.org'], env)
    expect(token.code, token.stderr).toBe(0)
    const secret = token.stdout.trim()
    expect(secret).toMatch(/^cct_[\w-]{40,}$/)

    const again = await cli(['user:create', '--email', 'ADMIN@example.org', '--password', 'admin-password-2'], env)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('exists already')

    const connection = await connect({ dataDir })
    try {
      await checkAccountAndToken(connection.db, 'admin@example.org', secret)
    } finally {
      await connection.close()
    }
  }, CLI_TIMEOUT)

  it('refuses bad arguments with a usage message', async () => {
    expect((await cli(['user:create', '--email', 'x@example.org'], env)).stderr).toContain('--password is required')
    expect((await cli(['user:create', '--email', 'x@example.org', '--password', 'short'], env)).code).toBe(2)
    expect((await cli(['token:create', '--email', 'nobody@example.org'], env)).stderr).toContain('not found')
    expect((await cli(['frobnicate'], env)).code).toBe(1)
  }, CLI_TIMEOUT)

  it('refuses to open the data folder while another process holds it, and takes over a dead lock', async () => {
    const holder = await connect({ dataDir })
    try {
      const refused = await cli(['migrate'], env)
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain('in use by another process')
      const server = await run(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env, PORT: '0' },
        timeout: 60_000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      )
      expect(server.code).toBe(2)
      expect(server.stderr).toContain('in use by another process')
      // The holder was not disturbed.
      expect((await holder.db.selectFrom('users').select('email').execute()).map((u) => u.email)).toEqual(['admin@example.org'])
    } finally {
      await holder.close()
    }
    // A lock left by a process that no longer exists (kill -9) is taken over.
    writeFileSync(join(dataDir, 'concord.lock'), `999999999@${hostname()}`)
    const migrated = await cli(['migrate'], env)
    expect(migrated.code, migrated.stderr).toBe(0)
    expect(() => readFileSync(join(dataDir, 'concord.lock'))).toThrow()
  }, CLI_TIMEOUT)
})

describe.runIf(TEST_DB === 'postgres')('command line on PostgreSQL', () => {
  it('creates an administrator and a token while the database is in use', async () => {
    const database = await createTestDatabase()
    try {
      const env = { DATABASE_URL: database.url! }
      const created = await cli(['user:create', '--email', 'admin@example.org', '--password', 'admin-password-1', '--admin', '--name', 'Admin'], env)
      expect(created.code, created.stderr).toBe(0)
      const token = await cli(['token:create', '--email', 'admin@example.org'], env)
      expect(token.code, token.stderr).toBe(0)
      await checkAccountAndToken(database.db, 'admin@example.org', token.stdout.trim())
      expect((await cli(['demo:seed'], env)).stdout).toContain('Demo process created')
      expect((await cli(['demo:seed'], env)).stdout).toContain('exists already')
    } finally {
      await database.close()
    }
  }, CLI_TIMEOUT)
})

describe('migrations', () => {
  it('migrate an empty database to the latest version, and a second run changes nothing', async () => {
    const connection = TEST_DB === 'pglite' ? await connect({ dataDir: mkdtempSync(join(tmpdir(), 'concord-mig-')) }) : await createTestDatabase()
    try {
      if (TEST_DB === 'postgres') {
        // The test database comes migrated from the template; start from nothing instead.
        await connection.db.schema.dropSchema('public').cascade().execute()
        await connection.db.schema.createSchema('public').execute()
      }
      const applied = await migrateToLatest(connection.db)
      expect(applied[0]).toBe('0001_accounts')
      expect(applied.length).toBeGreaterThanOrEqual(4)
      expect(await migrateToLatest(connection.db)).toEqual([])
      const tables = await connection.db.introspection.getTables()
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['users', 'sessions', 'api_tokens', 'processes', 'memberships', 'invitations', 'documents', 'audit_log', 'doc_updates', 'doc_snapshots']),
      )
    } finally {
      await connection.close()
    }
  }, CLI_TIMEOUT)
})
