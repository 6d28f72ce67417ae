import type { Db } from '../db/database'

/** Whether the instance has no accounts yet: a first start, when the demo is seeded. */
export async function isEmptyInstance(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst()
  return row === undefined
}
