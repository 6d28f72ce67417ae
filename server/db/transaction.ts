import type { Db, Trx } from './database'

/** Runs `work` in one transaction: all of it commits, or none of it does. */
export function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work)
}
