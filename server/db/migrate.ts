import { Migrator } from 'kysely'
import { migrationProvider } from '../../migrations/index'
import type { Db } from './database'

/**
 * Brings the database up to the latest migration. Migrations are forward-only; a failure
 * throws with the name of the migration that failed, and that migration is rolled back.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error !== undefined) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
