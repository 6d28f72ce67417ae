import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { DEFAULT_MIN_DAYS_PER_PAGE } from '../shared/api/consultations'

const EnvSchema = Type.Object({
  PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  SMTP_FROM: Type.Optional(Type.String({ minLength: 3 })),
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  LOG_LEVEL: Type.Optional(
    Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  ),
  DEMO: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])),
  STAFF_TWO_FACTOR: Type.Optional(Type.Union([Type.Literal('required'), Type.Literal('advised')])),
  CONSULTATION_MIN_DAYS_PER_PAGE: Type.Optional(
    Type.String({ pattern: '^(?:[0-9]{1,3})(?:\\.[0-9]{1,4})?$' }),
  ),
})

/** Everything the server reads from its environment, parsed and frozen once at start-up. */
export interface Config {
  readonly port: number
  readonly host: string
  /** A PostgreSQL URL, or undefined for the embedded database under `dataDir`. */
  readonly databaseUrl: string | undefined
  readonly dataDir: string
  readonly redisUrl: string | undefined
  /** The address people use to reach Concord, without a trailing slash; links in e-mails use it. */
  readonly publicUrl: string
  readonly smtpUrl: string | undefined
  readonly smtpFrom: string
  /** Key for the HMAC that turns session, token and link secrets into what is stored. */
  readonly sessionSecret: string
  readonly logLevel: string
  /** Whether the first start seeds the demo process (on by default; `DEMO=0` turns it off). */
  readonly demo: boolean
  /**
   * Whether secretariat members and administrators are refused everything but setting up a
   * second factor until they have one (`required`), or only told they should (`advised`).
   * Required unless the demo is on: the demo's accounts have a published password, so such an
   * instance is for exploring, and an authenticator app would only stand in the way.
   */
  readonly staffTwoFactor: 'required' | 'advised'
  /** The least days per page a consultation's window should give before the form warns. */
  readonly consultationMinDaysPerPage: number
}

export type Env = Static<typeof EnvSchema>

/**
 * Reads the environment into a `Config`, or throws an error listing every problem, one
 * per line. This is the only place that reads `process.env` (STYLE 2.11).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string> = {}
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') {
      picked[key] = value
    }
  }
  const errors = [...Value.Errors(EnvSchema, picked)]
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.instancePath.replace(/^\//, '') || 'environment'}: ${e.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const parsed = picked as Env
  const port = parsed.PORT === undefined ? 3000 : Number(parsed.PORT)
  const dataDir = resolve(parsed.DATA_DIR ?? './data')
  const publicUrl = (parsed.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '')
  return Object.freeze({
    port,
    host: parsed.HOST ?? '0.0.0.0',
    databaseUrl: parsed.DATABASE_URL,
    dataDir,
    redisUrl: parsed.REDIS_URL,
    publicUrl,
    smtpUrl: parsed.SMTP_URL,
    smtpFrom: parsed.SMTP_FROM ?? 'Concord <no-reply@localhost>',
    sessionSecret: parsed.SESSION_SECRET ?? persistedSecret(dataDir),
    logLevel: parsed.LOG_LEVEL ?? 'info',
    demo: parsed.DEMO !== '0',
    staffTwoFactor: parsed.STAFF_TWO_FACTOR ?? (parsed.DEMO === '0' ? 'required' : 'advised'),
    consultationMinDaysPerPage:
      parsed.CONSULTATION_MIN_DAYS_PER_PAGE === undefined
        ? DEFAULT_MIN_DAYS_PER_PAGE
        : Number(parsed.CONSULTATION_MIN_DAYS_PER_PAGE),
  })
}

/**
 * Without SESSION_SECRET, a random secret is made once and kept in the data folder, so
 * sessions and links survive restarts on a newcomer's machine without any setup.
 */
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret')
  if (existsSync(file)) {
    return readFileSync(file, 'utf8').trim()
  }
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  writeFileSync(file, secret, { mode: 0o600 })
  return secret
}
