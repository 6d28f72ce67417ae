import closeWithGrace from 'close-with-grace'
import { buildApp } from './app'
import { loadConfig, type Config } from './config'
import { DataDirLockedError } from './db/embedded-lock'
import { openDatabase } from './start'
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from './demo/seed'
import { isEmptyInstance } from './demo/first-start'
import { pruneExpired } from './auth/service'
import { pruneUnconfirmedSubmissions } from './consultation/public-service'

/** Process entry: config → database → migrations → demo on first start → app → listen. */
async function main() {
  let config: Config
  try {
    config = loadConfig()
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`)
    process.exit(1)
  }
  let connection
  // The app (and its logger) comes after the database; until then nothing is logged.
  const late: { log?: { info(details: object, message: string): void; warn(details: object, message: string): void } } = {}
  try {
    connection = await openDatabase(config, {
      info: (details, message) => late.log?.info(details, message),
      warn: (details, message) => late.log?.warn(details, message),
    })
  } catch (error) {
    process.stderr.write(`Cannot open the database: ${(error as Error).message}\n`)
    process.exit(error instanceof DataDirLockedError ? 2 : 1)
  }
  const app = await buildApp({ config, db: connection.db })
  late.log = app.log
  app.log.info(
    { engine: connection.engine, ...(connection.engine === 'pglite' ? { dataDir: config.dataDir } : {}) },
    'database ready',
  )
  const demoCreated = config.demo && (await isEmptyInstance(connection.db)) && (await seedDemo(connection.db))
  if (demoCreated) {
    app.log.info('demo process created')
  }

  const prune = () =>
    pruneExpired(connection.db)
      .then(() => pruneUnconfirmedSubmissions(connection.db))
      .catch((err: unknown) => app.log.error({ err }, 'pruning failed'))
  const pruning = setInterval(() => void prune(), 60 * 60 * 1000)
  pruning.unref()
  void prune()

  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    clearInterval(pruning)
    if (err) {
      app.log.error({ err }, 'shutting down after an error')
    } else {
      app.log.info({ signal }, 'shutting down')
    }
    await app.close()
    await connection.close()
  })

  await app.listen({ port: config.port, host: config.host })
  // Last, after Fastify's own "listening" lines, so the newcomer's next step is the last
  // thing on the screen (issue 15, item 10).
  announce(
    [
      `Concord is listening on ${config.publicUrl}`,
      ...(demoCreated
        ? [
            '',
            'The demo process "National Cybersecurity Strategy — demo" is ready.',
            `Open ${config.publicUrl} and sign in as ${DEMO_PEOPLE[0]!.email} (secretariat, administrator)`,
            `or as any of: ${DEMO_PEOPLE.slice(1).map((p) => `${p.email} (${p.role})`).join(', ')}.`,
            `Every demo account's password is: ${DEMO_PASSWORD}`,
          ]
        : []),
    ].join('\n'),
  )
}

// The only place besides cli.ts that writes to the terminal directly: the newcomer needs to
// see how to sign in even when the log is JSON.
function announce(text: string) {
  process.stdout.write(`\n${text}\n\n`)
}

void main()
