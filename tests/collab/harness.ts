import pino from 'pino'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { MessageType } from '../../shared/collab/messages'
import { WebsocketProvider } from 'y-websocket'
import { buildApp, type App } from '../../server/app'
import type { CollabPluginOptions } from '../../server/collab/websocket'
import { createTokenForEmail } from '../../server/auth/service'
import { loadState } from '../../server/documents/state'
import type { Role } from '../../shared/domain/roles'
import { sessionCookieFrom, TEST_SECRET, testConfig } from '../support/app'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { factories, type Factories, type TestProcess, type TestUser } from '../support/factories'
import { waitFor } from '../support/wait-for'
import { webSocketWithHeaders, type CloseInfo } from '../support/ws'

// Shared set-up of the collaboration suites: a real server on port 0 over a fresh database,
// people with roles in a process, and y-websocket providers that connect as them.

export interface CollabTestServer {
  app: App
  /** `http://127.0.0.1:<port>` */
  url: string
  /** `ws://127.0.0.1:<port>/collab`, the provider's server URL (the document id is the room name). */
  wsUrl: string
  database: TestDatabase
  db: TestDatabase['db']
  factories: Factories
  close(): Promise<void>
}

/**
 * Starts the real app on 127.0.0.1 port 0. Pass `database` to put a second instance over the
 * same database; the database is then closed by its owner, not here.
 */
export async function startCollabServer(
  options: {
    collab?: Omit<CollabPluginOptions, 'ctx'>
    database?: TestDatabase
    config?: Record<string, string>
  } = {},
): Promise<CollabTestServer> {
  const ownsDatabase = options.database === undefined
  const database = options.database ?? (await createTestDatabase())
  const app = await buildApp({
    config: testConfig(options.config),
    db: database.db,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    rateLimitPerMinute: 100_000,
    clientDir: '/nonexistent',
    ...(options.collab ? { collab: options.collab } : {}),
  })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  let closed = false
  return {
    app,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/collab`,
    database,
    db: database.db,
    factories: factories(database.db),
    close: async () => {
      if (closed) {
        return
      }
      closed = true
      await app.close()
      if (ownsDatabase) {
        await database.close()
      }
    },
  }
}

/** A session cookie header value (`concord_session=…`) for a user, through the real sign-in route. */
export async function signIn(app: App, user: TestUser): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email: user.email, password: user.password },
  })
  if (response.statusCode !== 200) {
    throw new Error(`Sign-in failed: ${response.statusCode} ${response.body}`)
  }
  return `concord_session=${sessionCookieFrom(response)}`
}

/** Signs in and returns a cookie and the CSRF token, for REST calls as that user. */
export async function signInWithCsrf(
  app: App,
  user: TestUser,
): Promise<{ cookie: string; csrfToken: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email: user.email, password: user.password },
  })
  return {
    cookie: `concord_session=${sessionCookieFrom(response)}`,
    csrfToken: (response.json() as { csrfToken: string }).csrfToken,
  }
}

/** A personal API token for a user, as `npm run cli -- token:create` makes one. */
export function tokenFor(app: App, user: TestUser): Promise<string> {
  return createTokenForEmail(app.ctx, user.email, 'collab test')
}

/** A process with one member per given role (besides its secretariat) and one document. */
export interface DraftingSetup {
  process: TestProcess
  documentId: string
  /** The secretariat first, then one user per requested role, in order. */
  people: { user: TestUser; role: Role }[]
}

export async function setUpDocument(
  server: CollabTestServer,
  roles: Role[] = ['drafter'],
): Promise<DraftingSetup> {
  const members = await Promise.all(
    roles.map(async (role) => ({ user: await server.factories.createUser(), role })),
  )
  const process = await server.factories.createProcess({
    members: members.map((m) => ({ user: m.user, role: m.role, group: 'academia' })),
  })
  const { id: documentId } = await server.factories.createDocument(process.id, process.secretariat)
  return {
    process,
    documentId,
    people: [{ user: process.secretariat, role: 'secretariat' }, ...members],
  }
}

/** A provider connected as somebody, with the close events it saw. */
export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  closes: CloseInfo[]
  /** Resolves once the provider has synced with the server. */
  synced(timeoutMs?: number): Promise<void>
  destroy(): void
}

/**
 * Connects an unmodified y-websocket `WebsocketProvider` to a document, authenticated by
 * a session cookie or a `?token=`, with `ws` as its WebSocket (STYLE 2.12) and without
 * BroadcastChannel, so providers in one process talk only through the server.
 */
export function connectClient(
  server: { wsUrl: string },
  documentId: string,
  auth: { cookie?: string; token?: string },
  options: {
    doc?: Y.Doc
    params?: Record<string, string>
    headers?: Record<string, string>
    connect?: boolean
  } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc()
  const headers: Record<string, string> = {
    ...options.headers,
    ...(auth.cookie ? { cookie: auth.cookie } : {}),
  }
  const provider = new WebsocketProvider(server.wsUrl, documentId, doc, {
    WebSocketPolyfill: webSocketWithHeaders(headers) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { ...options.params, ...(auth.token ? { token: auth.token } : {}) },
    maxBackoffTime: 300,
    connect: options.connect ?? true,
  })
  const closes: CloseInfo[] = []
  provider.on('connection-close', (event) => {
    if (event) {
      closes.push({ code: event.code, reason: event.reason })
    }
  })
  return {
    doc,
    provider,
    closes,
    synced: (timeoutMs = 5_000) =>
      waitFor(() => provider.synced, { timeoutMs, message: 'provider did not sync' }).then(
        () => undefined,
      ),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** The text of a client's (or a stored) document's shared text `t`. */
export function text(doc: Y.Doc): string {
  return doc.getText('t').toString()
}

/** The document as stored in the database (snapshot + log), as a fresh Y.Doc. */
export async function storedDoc(db: TestDatabase['db'], documentId: string): Promise<Y.Doc> {
  const state = await loadState(db, documentId)
  const doc = new Y.Doc()
  if (state.update) {
    Y.applyUpdate(doc, state.update)
  }
  return doc
}

/** A raw y-websocket sync message: step 0 (state vector), 1 (sync step 2) or 2 (update). */
export function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, step)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** A raw y-websocket awareness message. */
export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A free TCP port on 127.0.0.1, for a server started as a child process. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

/** The real server (`server/main.ts`) running as a child process. */
export interface ServerProcess {
  url: string
  wsUrl: string
  child: ChildProcess
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>
  /** Output so far, for failure messages. */
  output(): string
}

/**
 * Starts `server/main.ts` in a child process — one Node process, so that `kill -9` hits the
 * server itself — and waits until `/api/health` answers. `env` picks the database
 * (`DATABASE_URL`, or `DATA_DIR` for PGlite).
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      SESSION_SECRET: TEST_SECRET,
      DEMO: '0',
      // Tests sign in staff without an authenticator app; the enforcement has tests of its own.
      STAFF_TWO_FACTOR: 'advised',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | string>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown')),
  )
  let ended = false
  void exited.then(() => (ended = true))
  await waitFor(
    async () => {
      if (ended) {
        throw new Error(`the server exited:\n${output}`)
      }
      const response = await fetch(`${url}/api/health`).catch(() => undefined)
      return response?.status === 200
    },
    { timeoutMs: 30_000, intervalMs: 50, message: 'the server did not start' },
  )
  return { url, wsUrl: `ws://127.0.0.1:${port}/collab`, child, exited, output: () => output }
}

/** Reads a server-sent event stream into a list of `{ event, data }`, until `close`. */
export function listenToEvents(server: { url: string }, cookie: string, query = '') {
  const events: { event: string; data: Record<string, unknown> }[] = []
  const controller = new AbortController()
  let ended = false
  let markOpen: () => void = () => undefined
  // The server subscribes in the same tick as it sends the headers: once they are here, nothing is missed.
  const opened = new Promise<void>((resolve) => {
    markOpen = resolve
  })
  const done = (async () => {
    const response = await fetch(`${server.url}/api/events${query}`, {
      headers: { cookie },
      signal: controller.signal,
    })
    markOpen()
    if (
      response.status !== 200 ||
      !response.headers.get('content-type')?.includes('text/event-stream')
    ) {
      throw new Error(`the event stream answered ${response.status}`)
    }
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    for (;;) {
      const { value, done: finished } = await reader.read()
      if (finished) {
        break
      }
      buffer += decoder.decode(value, { stream: true })
      let cut: number
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut)
        buffer = buffer.slice(cut + 2)
        const event = /^event: (.*)$/m.exec(block)?.[1]
        const data = /^data: (.*)$/m.exec(block)?.[1]
        if (event && data) {
          events.push({ event, data: JSON.parse(data) as Record<string, unknown> })
        }
      }
    }
  })()
    .catch(() => undefined)
    .finally(() => {
      ended = true
    })
  return {
    events,
    opened,
    get ended() {
      return ended
    },
    close: async () => {
      controller.abort()
      await done
    },
  }
}
