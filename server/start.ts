import type { Config } from './config'
import { connect, type Connection } from './db/connect'
import { migrateToLatest } from './db/migrate'

/** Opens the configured database and migrates it to the latest version. */
export async function openDatabase(
  config: Config,
  log?: { info(details: object, message: string): void; warn(details: object, message: string): void },
): Promise<Connection> {
  const connection = await connect({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (error) => log?.warn({ err: error }, 'an idle database connection failed; the pool replaces it'),
  })
  try {
    const applied = await migrateToLatest(connection.db)
    if (applied.length > 0) {
      log?.info({ migrations: applied }, 'database migrated')
    }
    return connection
  } catch (error) {
    await connection.close()
    throw error
  }
}
