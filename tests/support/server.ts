import pino from 'pino'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { buildApp, type App } from '../../server/app'
import { createCapturingMailer } from '../../server/mail/mailer'
import { testConfig } from './app'
import { createTestDatabase, type TestDatabase } from './db'
import { factories, type Factories } from './factories'

export interface TestServer {
  url: string
  app: App
  db: TestDatabase['db']
  factories: Factories
  mail: ReturnType<typeof createCapturingMailer>
  close(): Promise<void>
}

/**
 * The real server listening on 127.0.0.1 on a free port, over a fresh database, serving the built
 * client from dist/client (build it first: `npm run build`). For browser and socket tests.
 */
export async function startTestServer(
  options: { clientDir?: string; config?: Record<string, string> } = {},
): Promise<TestServer> {
  const database = await createTestDatabase()
  const mail = createCapturingMailer()
  // Links in e-mails must point at this server, so its port is chosen before the config is made.
  const port = await freePort()
  const app = await buildApp({
    config: testConfig({ PUBLIC_URL: `http://127.0.0.1:${port}`, ...options.config }),
    db: database.db,
    mailer: mail,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    rateLimitPerMinute: 100_000,
    accountRateLimitPerMinute: 100_000,
    clientDir: options.clientDir ?? resolve(import.meta.dirname, '../../dist/client'),
  })
  const address = await app.listen({ port, host: '127.0.0.1' })
  return {
    url: address,
    app,
    db: database.db,
    factories: factories(database.db),
    mail,
    close: async () => {
      await app.close()
      await database.close()
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))))
    })
  })
}
