import { sql } from 'kysely'
import * as decoding from 'lib0/decoding'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCodes } from '../../shared/collab/close-codes'
import { decodeSaveCheckpoint, encodeSaveCheckpoint } from '../../shared/collab/messages'
import { SCHEMA_VERSION } from '../../shared/schema/version'
import { countStoredUpdates } from '../../server/documents/state'
import { staysTrueFor, waitFor } from '../support/wait-for'
import { openSocket } from '../support/ws'
import {
  connectClient,
  setUpDocument,
  signIn,
  startCollabServer,
  storedDoc,
  syncMessage,
  text,
  tokenFor,
} from './harness'

const server = await startCollabServer()
afterAll(() => server.close())

describe('the collaboration socket speaks y-websocket', () => {
  it('lets two unmodified WebsocketProviders (cookie and ?token=) edit one document live', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter'])
    const [secretariat, drafter] = people
    const a = connectClient(
      server,
      documentId,
      { cookie: await signIn(server.app, secretariat!.user) },
      { params: { schemaVersion: SCHEMA_VERSION } },
    )
    const b = connectClient(server, documentId, {
      token: await tokenFor(server.app, drafter!.user),
    })
    await Promise.all([a.synced(), b.synced()])

    a.doc.getText('t').insert(0, 'Pillar 1: resilient infrastructure. ')
    await waitFor(() => text(b.doc) === 'Pillar 1: resilient infrastructure. ')
    b.doc.getText('t').insert(text(b.doc).length, 'Pillar 2: skills.')
    await waitFor(() => text(a.doc) === 'Pillar 1: resilient infrastructure. Pillar 2: skills.')

    // A third client, arriving later, gets everything through sync step 1/2.
    const c = connectClient(server, documentId, {
      token: await tokenFor(server.app, drafter!.user),
    })
    await c.synced()
    expect(text(c.doc)).toBe(text(a.doc))
    // And all of it is in PostgreSQL.
    expect(text(await storedDoc(server.db, documentId))).toBe(text(a.doc))
    for (const client of [a, b, c]) {
      client.destroy()
    }
  })

  it('relays a change and answers a save checkpoint only after the change is committed', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter'])
    const writer = await openSocket(`${server.wsUrl}/${documentId}`, {
      cookie: await signIn(server.app, people[1]!.user),
    })
    const peer = connectClient(server, documentId, {
      cookie: await signIn(server.app, people[0]!.user),
    })
    await peer.synced()
    await waitFor(() => writer.messages.length > 0) // the server's sync step 1

    const edit = new Y.Doc()
    edit.getText('t').insert(0, 'Saved for real')
    const before = await countStoredUpdates(server.db, documentId)
    // Hold the document row, so the server's commit has to wait for this transaction.
    await server.db.transaction().execute(async (trx) => {
      await sql`SELECT update_seq FROM documents WHERE id = ${documentId} FOR UPDATE`.execute(trx)
      writer.socket.send(syncMessage(2, Y.encodeStateAsUpdate(edit)))
      writer.socket.send(encodeSaveCheckpoint(7))
      await staysTrueFor(
        () => !writer.messages.some((m) => decodeSaveCheckpoint(m) === 7) && text(peer.doc) === '',
        300,
      )
    })
    expect(
      await waitFor(() => writer.messages.map(decodeSaveCheckpoint).find((id) => id === 7)),
    ).toBe(7)
    // When the acknowledgement arrives, the update is committed.
    expect(await countStoredUpdates(server.db, documentId)).toBe(before + 1)
    expect(text(await storedDoc(server.db, documentId))).toBe('Saved for real')
    await waitFor(() => text(peer.doc) === 'Saved for real')
    writer.socket.close()
    peer.destroy()
  })

  it('answers a sync step 1 only from committed state while a change waits for its commit', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter'])
    const writer = await openSocket(`${server.wsUrl}/${documentId}`, {
      cookie: await signIn(server.app, people[1]!.user),
    })
    const reader = await openSocket(`${server.wsUrl}/${documentId}`, {
      cookie: await signIn(server.app, people[0]!.user),
    })
    await waitFor(() => writer.messages.length > 0 && reader.messages.length > 0)

    const edit = new Y.Doc()
    edit.getText('t').insert(0, 'Not committed yet')
    // Whether any sync answer or relay the reader got so far carries the edit.
    const readerHasEdit = () =>
      reader.messages.some((message) => {
        const decoder = decoding.createDecoder(message)
        if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) === 0) {
          return false
        }
        const doc = new Y.Doc()
        Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
        return text(doc).includes('Not committed yet')
      })
    // Hold the document row: the server applies the edit ahead but cannot commit it.
    await server.db.transaction().execute(async (trx) => {
      await sql`SELECT update_seq FROM documents WHERE id = ${documentId} FOR UPDATE`.execute(trx)
      writer.socket.send(syncMessage(2, Y.encodeStateAsUpdate(edit)))
      await staysTrueFor(() => !readerHasEdit(), 100)
      reader.socket.send(syncMessage(0, Y.encodeStateVector(new Y.Doc())))
      await staysTrueFor(() => !readerHasEdit(), 300)
    })
    await waitFor(readerHasEdit)
    expect(text(await storedDoc(server.db, documentId))).toBe('Not committed yet')
    writer.socket.close()
    reader.socket.close()
  })

  it('refuses a socket without credentials with 4401 and reads none of its messages', async () => {
    const { documentId } = await setUpDocument(server)
    const before = await countStoredUpdates(server.db, documentId)
    const attempts: { url: string; headers: Record<string, string> }[] = [
      { url: `${server.wsUrl}/${documentId}`, headers: {} },
      { url: `${server.wsUrl}/${documentId}?token=cct_not-a-real-token-at-all`, headers: {} },
      {
        url: `${server.wsUrl}/${documentId}`,
        headers: { cookie: 'concord_session=forged-session-value' },
      },
      { url: `${server.wsUrl}/${documentId}`, headers: { authorization: 'Bearer nope' } },
    ]
    for (const attempt of attempts) {
      const client = await openSocket(attempt.url, attempt.headers)
      const edit = new Y.Doc()
      edit.getText('t').insert(0, 'sneaked in')
      client.socket.send(syncMessage(2, Y.encodeStateAsUpdate(edit)))
      expect((await client.closed).code, attempt.url).toBe(CloseCodes.Unauthenticated)
      expect(client.messages).toEqual([])
    }
    expect(await countStoredUpdates(server.db, documentId)).toBe(before)
  })

  it('refuses a session cookie sent by a page of another origin', async () => {
    const { documentId, people } = await setUpDocument(server)
    const cookie = await signIn(server.app, people[0]!.user)
    const foreign = await openSocket(`${server.wsUrl}/${documentId}`, {
      cookie,
      origin: 'https://evil.example',
    })
    expect((await foreign.closed).code).toBe(CloseCodes.Unauthenticated)
    const own = connectClient(server, documentId, { cookie }, { headers: { origin: server.url } })
    await own.synced()
    own.destroy()
  })

  it('answers an unknown document and another process’s document with the same 4404', async () => {
    const mine = await setUpDocument(server)
    const theirs = await setUpDocument(server)
    const cookie = await signIn(server.app, mine.people[0]!.user)
    const results = []
    for (const id of [theirs.documentId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const client = await openSocket(`${server.wsUrl}/${id}`, { cookie })
      results.push(await client.closed)
    }
    expect(results.map((r) => r.code)).toEqual([
      CloseCodes.DocumentNotFound,
      CloseCodes.DocumentNotFound,
      CloseCodes.DocumentNotFound,
    ])
    // Nothing in the answer tells the three apart.
    expect(new Set(results.map((r) => r.reason)).size).toBe(1)
    // The provider takes 44xx as final and stops reconnecting.
    const client = connectClient(server, theirs.documentId, { cookie })
    await waitFor(() => client.closes.length > 0)
    expect(client.provider.shouldConnect).toBe(false)
    client.destroy()
  })

  it('refuses a client on another major schema version with 4426', async () => {
    const { documentId, people } = await setUpDocument(server)
    const cookie = await signIn(server.app, people[0]!.user)
    const major = Number(SCHEMA_VERSION.split('.')[0])
    for (const version of [`${major + 1}.0`, 'garbage']) {
      const client = await openSocket(
        `${server.wsUrl}/${documentId}?schemaVersion=${encodeURIComponent(version)}`,
        { cookie },
      )
      expect((await client.closed).code, version).toBe(CloseCodes.SchemaOutdated)
    }
    const sameMajor = connectClient(
      server,
      documentId,
      { cookie },
      { params: { schemaVersion: `${major}.99` } },
    )
    await sameMajor.synced()
    sameMajor.destroy()
  })

  it('closes the sockets of a deleted document with 4404', async () => {
    const { documentId, process, people } = await setUpDocument(server)
    const client = connectClient(server, documentId, {
      cookie: await signIn(server.app, people[0]!.user),
    })
    await client.synced()
    server.app.ctx.events.emit('document.deleted', { processId: process.id, documentId })
    await waitFor(() => client.closes.some((c) => c.code === CloseCodes.DocumentNotFound))
    client.destroy()
  })
})
