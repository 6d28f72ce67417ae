import { PGlite } from '@electric-sql/pglite'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, inject, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCodes } from '../../shared/collab/close-codes'
import { createTokenForEmail } from '../../server/auth/service'
import type { Ctx } from '../../server/context'
import { connect } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'
import { countStoredUpdates } from '../../server/documents/state'
import { testConfig } from '../support/app'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { TEST_DB } from '../support/engine'
import { factories } from '../support/factories'
import { waitFor } from '../support/wait-for'
import { openSocket } from '../support/ws'
import {
  connectClient,
  setUpDocument,
  signIn,
  spawnServer,
  startCollabServer,
  storedDoc,
  syncMessage,
  text,
  type ServerProcess,
} from './harness'

// The promise of issue 3, item 5: every update that any other client had received survives a
// crash (kill -9) of the server process; a graceful shutdown stores everything first.

interface CrashSetup {
  env: Record<string, string>
  documentId: string
  tokens: string[]
  /** Reads the stored document directly (PGlite: only while no server runs). */
  stored(): Promise<Y.Doc>
  cleanup(): Promise<void>
}

async function prepare(): Promise<CrashSetup> {
  const seed = async (db: TestDatabase['db']) => {
    const make = factories(db)
    const a = await make.createUser()
    const b = await make.createUser()
    const process = await make.createProcess({
      members: [
        { user: a, role: 'drafter' },
        { user: b, role: 'drafter' },
      ],
    })
    const { id: documentId } = await make.createDocument(process.id, process.secretariat)
    const ctx = { db, config: testConfig() } as unknown as Ctx
    const tokens = [
      await createTokenForEmail(ctx, a.email, 't'),
      await createTokenForEmail(ctx, b.email, 't'),
      await createTokenForEmail(ctx, b.email, 't'),
    ]
    return { documentId, tokens }
  }
  if (TEST_DB === 'postgres') {
    const database = await createTestDatabase()
    const { documentId, tokens } = await seed(database.db)
    return {
      env: { DATABASE_URL: database.url! },
      documentId,
      tokens,
      stored: () => storedDoc(database.db, documentId),
      cleanup: () => database.close(),
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'concord-crash-'))
  // Start from the migrated dump the suite made once: initdb of a new data folder takes seconds.
  const initial = await PGlite.create(join(dataDir, 'pglite'), {
    loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]),
  })
  await initial.close()
  const open = async () => {
    const connection = await connect({ dataDir })
    await migrateToLatest(connection.db)
    return connection
  }
  const connection = await open()
  const { documentId, tokens } = await seed(connection.db)
  await connection.close()
  return {
    env: { DATA_DIR: dataDir },
    documentId,
    tokens,
    stored: async () => {
      const reader = await open()
      try {
        return await storedDoc(reader.db, documentId)
      } finally {
        await reader.close()
      }
    },
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  }
}

describe(`durability on ${TEST_DB}`, () => {
  it('keeps every update another client had received through kill -9, and flushes on SIGTERM', async () => {
    const setup = await prepare()
    let server: ServerProcess | undefined
    try {
      server = await spawnServer(setup.env)
      const writer = connectClient(server, setup.documentId, { token: setup.tokens[0] })
      const reader = connectClient(server, setup.documentId, { token: setup.tokens[1] })
      await Promise.all([writer.synced(), reader.synced()])
      // The writer types continuously; the server is killed while it does.
      let typed = 0
      const typing = setInterval(() => {
        const t = writer.doc.getText('t')
        t.insert(t.length, `w${++typed} `)
      }, 2)
      await waitFor(() => text(reader.doc).split(' ').length > 150, { timeoutMs: 10_000 })
      const received = text(reader.doc)
      // A burst in flight at the moment of the kill, so the crash always cuts into the stream.
      clearInterval(typing)
      for (let i = 0; i < 20; i++) {
        const t = writer.doc.getText('t')
        t.insert(t.length, `w${++typed} `)
      }
      server.child.kill('SIGKILL')
      // The providers must not resend their state to the restarted server: that would hide a loss.
      writer.destroy()
      reader.destroy()
      expect(await server.exited).toBe('SIGKILL')
      expect(typed).toBeGreaterThan(received.split(' ').length - 1)

      server = await spawnServer(setup.env)
      const fresh = connectClient(server, setup.documentId, { token: setup.tokens[2] })
      await fresh.synced()
      expect(
        text(fresh.doc).startsWith(received),
        `${received.length} characters were received before the crash`,
      ).toBe(true)

      // Graceful shutdown: the sockets close with ShuttingDown, the process exits cleanly and
      // what was stored stays stored.
      fresh.doc.getText('t').insert(0, 'Before SIGTERM. ')
      const watcher = connectClient(server, setup.documentId, { token: setup.tokens[1] })
      await waitFor(() => text(watcher.doc).startsWith('Before SIGTERM. '))
      const seen = text(watcher.doc)
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
      await waitFor(() => watcher.closes.some((c) => c.code === CloseCodes.ShuttingDown))
      fresh.destroy()
      watcher.destroy()
      server = undefined
      expect(text(await setup.stored())).toBe(seen)
    } finally {
      server?.child.kill('SIGKILL')
      await server?.exited
      await setup.cleanup()
    }
  }, 60_000)
})

describe('graceful shutdown and idle rooms', () => {
  const servers: { close(): Promise<void> }[] = []
  afterAll(async () => {
    for (const s of servers) {
      await s.close()
    }
  })

  it('stores every update already received before it closes the sockets on shutdown', async () => {
    const server = await startCollabServer()
    servers.push(server)
    const { documentId, people } = await setUpDocument(server, ['drafter'])
    const raw = await openSocket(`${server.wsUrl}/${documentId}`, {
      cookie: await signIn(server.app, people[1]!.user),
    })
    await waitFor(() => raw.messages.length > 0)
    const edits = new Y.Doc()
    const updates: Uint8Array[] = []
    edits.on('update', (update: Uint8Array) => updates.push(update))
    for (let i = 0; i < 50; i++) {
      edits.getText('t').insert(edits.getText('t').length, `${i},`)
    }
    let closing: Promise<void> | undefined
    // Hold the document row so that the updates pile up in the room's queue, then shut down.
    await server.db.transaction().execute(async (trx) => {
      await sql`SELECT update_seq FROM documents WHERE id = ${documentId} FOR UPDATE`.execute(trx)
      for (const update of updates) {
        raw.socket.send(syncMessage(2, update))
      }
      const room = server.app.collab.rooms.get(documentId)!
      const connection = [...room.connections][0]!
      await waitFor(() => connection.framesReceived === updates.length)
      closing = server.app.close()
    })
    await closing
    expect((await raw.closed).code).toBe(CloseCodes.ShuttingDown)
    const stored = await storedDoc(server.database.db, documentId)
    expect(text(stored)).toBe(text(edits))
  })

  it('unloads an idle room after storing everything, compacts its log, and loads it again intact', async () => {
    const server = await startCollabServer({
      collab: { options: { idleUnloadMs: 100, compactAfterUpdates: 20 } },
    })
    servers.push(server)
    const { documentId, people } = await setUpDocument(server, ['drafter'])
    const cookie = await signIn(server.app, people[1]!.user)
    const client = connectClient(server, documentId, { cookie })
    await client.synced()
    for (let i = 0; i < 60; i++) {
      client.doc.getText('t').insert(client.doc.getText('t').length, `${i} `)
      // One update per message, so the log really grows past the compaction threshold.
      await waitFor(
        () =>
          server.app.collab.rooms.get(documentId)?.doc.getText('t').length ===
          client.doc.getText('t').length,
      )
    }
    const expected = text(client.doc)
    client.destroy()
    await waitFor(() => !server.app.collab.rooms.has(documentId), {
      message: 'the idle room was not unloaded',
    })
    await waitFor(async () => (await countStoredUpdates(server.db, documentId)) === 0, {
      message: 'the log was not compacted',
    })
    const snapshot = await server.db
      .selectFrom('doc_snapshots')
      .select('seq')
      .where('document_id', '=', documentId)
      .executeTakeFirst()
    expect(Number(snapshot?.seq)).toBeGreaterThanOrEqual(60)
    expect(text(await storedDoc(server.db, documentId))).toBe(expected)

    const again = connectClient(server, documentId, { cookie })
    await again.synced()
    expect(text(again.doc)).toBe(expected)
    again.doc.getText('t').insert(0, '>')
    await waitFor(async () => text(await storedDoc(server.db, documentId)) === `>${expected}`)
    again.destroy()
  })
})
