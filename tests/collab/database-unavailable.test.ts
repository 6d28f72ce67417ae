import { createServer, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CollabSession } from '../../client/collab/provider'
import { CloseCodes } from '../../shared/collab/close-codes'
import { connect } from '../../server/db/connect'
import { isDatabaseUnavailable } from '../../server/db/unavailable'
import type { TestDatabase } from '../support/db'
import { waitFor } from '../support/wait-for'
import { openSocket, webSocketWithCookie } from '../support/ws'
import { freePort, startCollabServer, type CollabTestServer } from './harness'

// Issue 12, item 4, without a PostgreSQL to stop: the server runs over a database URL where
// nothing listens, as it sees one while PostgreSQL is down. A failed session read must never
// be answered "sign in first" (4401, final), health must say so, and the editor must show
// "reconnecting, your edits are kept" rather than send the person to the sign-in page. The
// whole restart, with a cluster of its own, is in database-restart.test.ts.

const DOCUMENT_ID = '00000000-0000-4000-8000-000000000001'

describe('while the database cannot be reached', () => {
  let server: CollabTestServer

  beforeAll(async () => {
    const port = await freePort()
    const url = `postgres://postgres@127.0.0.1:${port}/concord`
    const connection = await connect({ databaseUrl: url, poolSize: 2 })
    const database: TestDatabase = { ...connection, url }
    server = await startCollabServer({ database })
    afterAll(async () => {
      await server.close()
      await connection.close()
    })
  })

  it('tells the errors of an unreachable server from the errors of a statement', async () => {
    const failed = await server.db
      .selectFrom('users')
      .selectAll()
      .execute()
      .catch((error: unknown) => error)
    expect(isDatabaseUnavailable(failed)).toBe(true)
    expect(isDatabaseUnavailable(Object.assign(new Error('boom'), { code: '57P01' }))).toBe(true)
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '57P03' }))).toBe(true)
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true)
    // A statement that is wrong, or a constraint, is no outage.
    expect(isDatabaseUnavailable(Object.assign(new Error('dup'), { code: '23505' }))).toBe(false)
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax'), { code: '42601' }))).toBe(false)
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false)
  })

  it('answers /api/health with 503 "degraded"', async () => {
    const response = await fetch(`${server.url}/api/health`)
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ status: 'degraded', database: 'unavailable' })
  })

  it('answers REST requests that need the database 503 "database_unavailable" with Retry-After, not 500', async () => {
    const cookie = 'concord_session=an-existing-session-we-cannot-check'
    const requests: [string, RequestInit][] = [
      // The session is read in the authentication hook, before any route.
      ['/api/auth/session', { headers: { cookie } }],
      ['/api/processes', { headers: { authorization: 'Bearer concord_pat_abcdefghijklmnop' } }],
      // A public route whose handler reads the database.
      [
        '/api/auth/sign-in',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'ana@example.org', password: 'correct horse battery' }),
        },
      ],
    ]
    for (const [path, init] of requests) {
      const response = await fetch(`${server.url}${path}`, init)
      expect(response.status, path).toBe(503)
      expect(response.headers.get('retry-after'), path).toBe('5')
      expect(await response.json(), path).toEqual({
        statusCode: 503,
        code: 'database_unavailable',
        message: expect.any(String),
      })
    }
    // Bad input is still refused as bad input, before the database is needed.
    const bad = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": 3}',
    })
    expect(bad.status).toBe(400)
  })

  it('answers a socket with a session cookie or a token 1013 (try again later), never 4401', async () => {
    const withCookie = await openSocket(`${server.wsUrl}/${DOCUMENT_ID}`, {
      cookie: 'concord_session=an-existing-session-we-cannot-check',
    })
    expect(await withCookie.closed).toMatchObject({ code: CloseCodes.TryAgainLater })
    const withToken = await openSocket(
      `${server.wsUrl}/${DOCUMENT_ID}?token=concord_pat_abcdefghijklmnop`,
    )
    expect(await withToken.closed).toMatchObject({ code: CloseCodes.TryAgainLater })
    // Without any credential there is nothing to read: that is still "sign in first".
    const anonymous = await openSocket(`${server.wsUrl}/${DOCUMENT_ID}`)
    expect(await anonymous.closed).toMatchObject({ code: CloseCodes.Unauthenticated })
  })

  it('shows "reconnecting, your edits are kept" in the editor, keeps retrying and keeps the edits', async () => {
    // The browser's globals, as far as the session uses them: a window and its WebSocket.
    const globals = globalThis as unknown as Record<string, unknown>
    const saved = { window: globals.window, WebSocket: globals.WebSocket }
    globals.window = {
      location: { protocol: 'http:', host: new URL(server.url).host },
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    }
    globals.WebSocket = webSocketWithCookie('concord_session=an-existing-session-we-cannot-check')
    let signedOut = 0
    const session = new CollabSession(DOCUMENT_ID, {
      readOnly: false,
      serverUrl: server.wsUrl,
      onSignedOut: () => signedOut++,
    })
    try {
      const closes: number[] = []
      session.provider.on('connection-close', (event: { code: number } | null) => {
        if (event) {
          closes.push(event.code)
        }
      })
      session.doc.getText('t').insert(0, 'typed while the server was away')
      await waitFor(() => closes.length >= 2, {
        timeoutMs: 5_000,
        message: 'the session did not retry',
      })
      expect(closes.every((code) => code === CloseCodes.TryAgainLater)).toBe(true)
      expect(session.status.value).toBe('server-unavailable')
      expect(session.stop.value).toBeNull()
      expect(signedOut).toBe(0)
      expect(session.save.value).toBe('unsaved')
      expect(session.doc.getText('t').toString()).toBe('typed while the server was away')
    } finally {
      session.destroy()
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) {
          delete globals[name]
        } else {
          globals[name] = value
        }
      }
    }
  })
})

describe('while the database accepts connections and never answers', () => {
  let server: CollabTestServer
  const held: Socket[] = []

  beforeAll(async () => {
    // A host that swallows everything, as a broken network or a stuck proxy does.
    const blackHole = createServer((socket) => {
      held.push(socket)
      socket.on('error', () => undefined)
    })
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve))
    const address = blackHole.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const url = `postgres://postgres@127.0.0.1:${port}/concord`
    const connection = await connect({ databaseUrl: url, poolSize: 2, connectTimeoutMs: 300 })
    server = await startCollabServer({ database: { ...connection, url } })
    afterAll(async () => {
      await server.close()
      await connection.close()
      for (const socket of held) {
        socket.destroy()
      }
      blackHole.close()
    })
  })

  it('gives up connecting after the connect timeout and answers 503, instead of hanging', async () => {
    const started = performance.now()
    const response = await fetch(`${server.url}/api/auth/session`, {
      headers: { cookie: 'concord_session=an-existing-session-we-cannot-check' },
    })
    const elapsed = performance.now() - started
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('5')
    expect(((await response.json()) as { code: string }).code).toBe('database_unavailable')
    // The pool waited 300 ms for the connection, not for the operating system's minutes.
    expect(elapsed).toBeGreaterThanOrEqual(250)
    expect(elapsed).toBeLessThan(2_500)
    expect(held.length).toBeGreaterThan(0)
  })
})
