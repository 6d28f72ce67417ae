import { parseArgs } from 'node:util'
import { loadConfig } from './config'
import { DataDirLockedError } from './db/embedded-lock'
import { openDatabase } from './start'
import { createAccount, createTokenForEmail } from './auth/service'
import { joinInvitedProcesses } from './processes/service'
import { createMailer } from './mail/mailer'
import { inTransaction } from './db/transaction'
import { seedDemo } from './demo/seed'
import { EventBus } from './events'
import { LIMITS } from '../shared/limits'
import pino from 'pino'

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  user:create --email E --password P [--name N] [--admin]   create an account (joins any open invitations)
  token:create --email E [--name N]                          create a personal API token and print it
  migrate                                                    bring the database to the latest migration
  demo:seed                                                  create the demo process, if it is missing

The CLI uses DATABASE_URL, or the embedded database in DATA_DIR (default ./data) when the
server is not running.`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (!command || values.help || command === 'help') {
    console.log(USAGE)
    return command ? 0 : 1
  }
  if (!['user:create', 'token:create', 'migrate', 'demo:seed'].includes(command)) {
    console.error(`Unknown command: ${command}\n\n${USAGE}`)
    return 1
  }
  // Arguments are checked before the database opens, so a typo answers at once.
  const account = command === 'user:create' ? accountFrom(values) : undefined
  const tokenEmail = command === 'token:create' ? requireOption(values.email, '--email') : undefined
  const config = loadConfig()
  const connection = await openDatabase(config)
  const log = pino({ level: 'warn' })
  const ctx = { db: connection.db, config, mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.smtpFrom, log }), log, events: new EventBus() }
  try {
    switch (command) {
      case 'migrate':
        console.log('The database is migrated to the latest version.')
        return 0
      case 'demo:seed':
        console.log((await seedDemo(connection.db)) ? 'Demo process created.' : 'The demo exists already.')
        return 0
      case 'user:create': {
        const input = account!
        const user = await inTransaction(connection.db, async (trx) => {
          const created = await createAccount(trx, input, null)
          await joinInvitedProcesses(trx, created, { userId: created.id, name: created.name, ip: 'cli' })
          return created
        })
        console.log(`Created ${user.is_admin ? 'administrator' : 'account'} ${user.email} (${user.id}).`)
        return 0
      }
      case 'token:create': {
        const token = await createTokenForEmail(ctx, tokenEmail!, values.name ?? 'Command line')
        // Only the token on stdout, so scripts can capture it: TOKEN=$(npm run -s cli -- token:create …)
        console.log(token)
        return 0
      }
      default:
        return 1
    }
  } finally {
    await connection.close()
  }
}

class UsageError extends Error {}

function accountFrom(values: { email?: string; password?: string; name?: string; admin?: boolean }) {
  const email = requireOption(values.email, '--email')
  const password = requireOption(values.password, '--password')
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > LIMITS.emailMax) {
    throw new UsageError('--email must be an e-mail address')
  }
  if (password.length < LIMITS.passwordMin || password.length > LIMITS.passwordMax) {
    throw new UsageError(`--password must have ${LIMITS.passwordMin} to ${LIMITS.passwordMax} characters`)
  }
  const name = (values.name ?? email.split('@')[0] ?? email).slice(0, LIMITS.nameMax)
  return { email, password, name, isAdmin: values.admin ?? false }
}

function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '') {
    throw new UsageError(`${name} is required`)
  }
  return value
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DataDirLockedError || error instanceof UsageError) {
      console.error(error.message)
      process.exit(2)
    }
    const message = error instanceof Error ? error.message : String(error)
    console.error(`Error: ${message}`)
    process.exit(1)
  },
)
