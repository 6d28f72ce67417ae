import { PGlite } from '@electric-sql/pglite'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { inject } from 'vitest'
import { connect, type Connection } from '../../server/db/connect'
import { PG_ADMIN_URL, pgUrlFor, TEST_DB } from './engine'

export interface TestDatabase extends Connection {
  /** A PostgreSQL URL for this database (postgres engine only), for child processes. */
  url: string | undefined
}

/** A fresh, migrated database for one test file, on the engine this run uses. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DB === 'pglite') {
    const dump = readFileSync(inject('pgliteDump'))
    const pglite = await PGlite.create({
      loadDataDir: new Blob([dump]),
      parsers: { 20: (value: string) => Number(value) },
    })
    const connection = await connect({ pglite })
    return { ...connection, url: undefined }
  }
  const name = `concord_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`)
  } finally {
    await admin.end()
  }
  const url = pgUrlFor(name)
  const connection = await connect({ databaseUrl: url, poolSize: 5 })
  return {
    ...connection,
    url,
    close: async () => {
      await connection.close()
      const dropper = new pg.Client({ connectionString: PG_ADMIN_URL })
      await dropper.connect()
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await dropper.end()
    },
  }
}
