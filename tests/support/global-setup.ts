import { PGlite } from '@electric-sql/pglite'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { connect } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'
import { PG_ADMIN_URL, PG_TEMPLATE, pgUrlFor, TEST_DB } from './engine'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string
    pgTemplate: string
  }
}

/**
 * Migrates one database per run and hands it to every test file: PGlite as a dumped data
 * folder each file loads (initdb is slow; loading is not), PostgreSQL as a template each
 * file copies with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
  if (TEST_DB === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'concord-test-'))
    const pglite = await PGlite.create()
    const connection = await connect({ pglite })
    await migrateToLatest(connection.db)
    const dump = await pglite.dumpDataDir('none')
    await connection.close()
    const file = join(dir, 'migrated.tar')
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
    project.provide('pgliteDump', file)
    project.provide('pgTemplate', '')
    return () => rmSync(dir, { recursive: true, force: true })
  }
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE}`)
  await admin.query(`CREATE DATABASE ${PG_TEMPLATE}`)
  const connection = await connect({ databaseUrl: pgUrlFor(PG_TEMPLATE), poolSize: 1 })
  await migrateToLatest(connection.db)
  await connection.close()
  project.provide('pgliteDump', '')
  project.provide('pgTemplate', PG_TEMPLATE)
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE}`)
    await admin.end()
  }
}
