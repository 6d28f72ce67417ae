/** Which database engine this test run uses (STYLE 2.12: one suite, two engines). */
export const TEST_DB = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres'
if (TEST_DB !== 'pglite' && TEST_DB !== 'postgres') {
  throw new Error(`TEST_DB must be pglite or postgres, not ${String(TEST_DB)}`)
}
/** The PostgreSQL server the postgres engine uses; each file gets its own database on it. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const PG_TEMPLATE = `concord_test_template_${process.env.TEST_RUN_ID ?? process.pid}`

export function pgUrlFor(database: string): string {
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${database}`
  return url.toString()
}
