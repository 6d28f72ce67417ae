import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCodes } from '../../shared/collab/close-codes'
import { countStoredUpdates } from '../../server/documents/state'
import { waitFor } from '../support/wait-for'
import { openSocket, type RawClient } from '../support/ws'
import {
  awarenessMessage,
  connectClient,
  setUpDocument,
  signIn,
  startCollabServer,
  storedDoc,
  syncMessage,
  text,
  tokenFor,
} from './harness'

const server = await startCollabServer({
  collab: {
    options: {
      limits: {
        maxStructsPerUpdate: 5_000,
        maxConnectionsPerUser: 40,
        maxConnectionsPerAddress: 1_000,
        maxConnectionsPerDocument: 1_000,
        maxBufferedBytes: 4 * 1024 * 1024,
        // These tests send thousands of frames and many MiB as one user on purpose; the
        // budgets of frames and bytes a second have their own tests (attacks.test.ts).
        maxFramesPerSecondPerUser: 100_000,
        maxBytesPerSecondPerConnection: 256 * 1024 * 1024,
        maxBytesPerSecondPerUser: 256 * 1024 * 1024,
      },
    },
  },
})
afterAll(() => server.close())

const MiB = 1024 * 1024

/** A Yjs v1 update header claiming `structs` structs for one client, followed by `tail`. */
function structCountBomb(structs: number, tail: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1) // one client
  encoding.writeVarUint(encoder, structs)
  encoding.writeVarUint(encoder, 0x1234) // client id
  encoding.writeVarUint(encoder, 0) // first clock
  for (const byte of tail) {
    encoding.writeUint8(encoder, byte)
  }
  return encoding.toUint8Array(encoder)
}

describe('limits on what a client may send', () => {
  it('closes a frame over the size limit with 1009 and nothing else changes', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter'])
    const token = await tokenFor(server.app, people[1]!.user)
    const peer = connectClient(server, documentId, { token })
    await peer.synced()
    const before = await countStoredUpdates(server.db, documentId)
    const raw = await openSocket(`${server.wsUrl}/${documentId}?token=${token}`)
    const huge = new Y.Doc()
    huge.getText('t').insert(0, 'x'.repeat(2 * MiB))
    raw.socket.send(syncMessage(2, Y.encodeStateAsUpdate(huge)))
    expect((await raw.closed).code).toBe(CloseCodes.TooLarge)
    peer.doc.getText('t').insert(0, 'still fine')
    await waitFor(async () => text(await storedDoc(server.db, documentId)) === 'still fine')
    expect(await countStoredUpdates(server.db, documentId)).toBe(before + 1)
    peer.destroy()
  })

  it('refuses an update with more structs than allowed, and text frames', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter'])
    const token = await tokenFor(server.app, people[1]!.user)
    const many = new Y.Doc()
    for (let i = 0; i < 6_000; i++) {
      many.getText('t').insert(0, 'ab'[i % 2]!) // inserts at the start never merge into one struct
    }
    const tooMany = await openSocket(`${server.wsUrl}/${documentId}?token=${token}`)
    tooMany.socket.send(syncMessage(2, Y.encodeStateAsUpdate(many)))
    expect((await tooMany.closed).code).toBe(CloseCodes.TooLarge)
    const textFrame = await openSocket(`${server.wsUrl}/${documentId}?token=${token}`)
    textFrame.socket.send('hello')
    expect((await textFrame.closed).code).toBe(CloseCodes.BadMessage)
    expect(await countStoredUpdates(server.db, documentId)).toBe(0)
  })

  it('survives thousands of random, truncated and struct-count-bomb frames while serving others', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter', 'drafter'])
    // Cookies rather than tokens: the fuzz opens a socket per frame and a token's use is a write.
    const cookie = await signIn(server.app, people[1]!.user)
    const writer = connectClient(server, documentId, { cookie })
    const reader = connectClient(server, documentId, {
      cookie: await signIn(server.app, people[2]!.user),
    })
    await Promise.all([writer.synced(), reader.synced()])

    // Real messages to truncate and corrupt: updates, sync steps, awareness.
    const sample = new Y.Doc()
    sample.getText('t').insert(0, 'Cyber resilience of critical infrastructure')
    sample.getMap('m').set('k', [1, 'two', { three: 3 }])
    sample.getXmlFragment('prosemirror').insert(0, [new Y.XmlElement('paragraph')])
    const realUpdate = Y.encodeStateAsUpdate(sample)
    const realFrames = [
      syncMessage(2, realUpdate),
      syncMessage(1, realUpdate),
      syncMessage(0, Y.encodeStateVector(sample)),
      awarenessMessage(new Uint8Array([1, 5, 1, 2, 123, 125])),
    ]
    const frame = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 64 }),
      fc
        .tuple(fc.constantFrom(...realFrames), fc.nat())
        .map(([f, cut]) => f.slice(0, cut % f.length)),
      fc
        .tuple(fc.constantFrom(...realFrames), fc.nat(), fc.integer({ min: 0, max: 255 }))
        .map(([f, at, byte]) => {
          const copy = f.slice()
          copy[at % copy.length] = byte
          return copy
        }),
      fc
        .tuple(
          fc.constantFrom(2 ** 20, 2 ** 31, 2 ** 40, 2 ** 52),
          fc.uint8Array({ maxLength: 8 }),
          fc.constantFrom(0, 1),
        )
        .map(([structs, tail, step]) => syncMessage(step + 1, structCountBomb(structs, [...tail]))),
      fc
        .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 16 }))
        .map(([type, rest]) => new Uint8Array([type, ...rest])),
    )
    const frames = fc.sample(frame, { numRuns: 2_000, seed: 20_240_687 })

    let next = 0
    const codes = new Map<number, number>()
    const worker = async () => {
      for (let i = next++; i < frames.length; i = next++) {
        let client: RawClient
        try {
          client = await openSocket(`${server.wsUrl}/${documentId}`, { cookie })
        } catch {
          continue
        }
        client.socket.send(frames[i]!)
        // A frame that is valid after all gets no close from the server: end it ourselves.
        client.socket.send(new Uint8Array([0xff]))
        const { code } = await client.closed
        codes.set(code, (codes.get(code) ?? 0) + 1)
      }
    }
    const typing = setInterval(
      () => writer.doc.getText('t').insert(writer.doc.getText('t').length, '.'),
      20,
    )
    await Promise.all(Array.from({ length: 16 }, worker))
    clearInterval(typing)

    // Every fuzzing socket was closed by the server as a bad or oversized message.
    expect(
      [...codes.keys()].every(
        (code) => code === CloseCodes.BadMessage || code === CloseCodes.TooLarge,
      ),
      JSON.stringify([...codes]),
    ).toBe(true)
    expect([...codes.values()].reduce((a, b) => a + b, 0)).toBe(frames.length)
    // The others were served throughout, and the stored document is theirs.
    writer.doc.getText('t').insert(0, 'end')
    await waitFor(() => text(reader.doc) === text(writer.doc))
    await waitFor(async () => text(await storedDoc(server.db, documentId)) === text(writer.doc))
    expect(writer.closes).toEqual([])
    expect(reader.closes).toEqual([])
    writer.destroy()
    reader.destroy()
  }, 60_000)

  it('disconnects a client that does not read while the server would buffer more than the limit for it', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter', 'observer'])
    const writer = connectClient(server, documentId, {
      token: await tokenFor(server.app, people[1]!.user),
    })
    await writer.synced()
    writer.doc.getText('t').insert(0, 'y'.repeat(MiB))
    await waitFor(async () => (await countStoredUpdates(server.db, documentId)) === 1)
    const slow = await openSocket(
      `${server.wsUrl}/${documentId}?token=${await tokenFor(server.app, people[2]!.user)}`,
    )
    await waitFor(() => server.app.collab.rooms.get(documentId)?.size === 2)
    // Stop reading while the others' changes keep coming. (Asking for the whole document again
    // and again no longer buffers anything: one sync answer per connection is in flight at a
    // time, issue 12, item 2.)
    ;(slow.socket as unknown as { _socket: { pause(): void } })._socket.pause()
    for (let i = 0; i < 40; i++) {
      slow.socket.send(syncMessage(0, Y.encodeStateVector(new Y.Doc())))
    }
    for (let i = 0; i < 8; i++) {
      writer.doc.getText('t').insert(0, 'w'.repeat(MiB))
    }
    await waitFor(() => server.app.collab.rooms.get(documentId)?.size === 1, {
      message: 'the slow client was not disconnected',
    })
    writer.doc.getText('t').insert(0, 'go on ')
    await waitFor(async () => text(await storedDoc(server.db, documentId)).startsWith('go on '))
    expect(writer.closes).toEqual([])
    writer.destroy()
    slow.socket.terminate()
  })

  it('limits connections per user, and a client sending faster than it can be stored', async () => {
    const limited = await startCollabServer({
      database: server.database,
      collab: {
        options: {
          limits: {
            maxConnectionsPerUser: 2,
            maxConnectionsPerDocument: 3,
            maxQueuedBytesPerConnection: 16 * 1024,
          },
        },
      },
    })
    try {
      const { documentId, people } = await setUpDocument(limited, ['drafter', 'drafter'])
      const [a, b] = [
        await tokenFor(limited.app, people[1]!.user),
        await tokenFor(limited.app, people[2]!.user),
      ]
      const url = (token: string) => `${limited.wsUrl}/${documentId}?token=${token}`
      const open = [await openSocket(url(a)), await openSocket(url(a))]
      const third = await openSocket(url(a))
      expect((await third.closed).code).toBe(CloseCodes.TooManyConnections)
      open.push(await openSocket(url(b)))
      const fourthOnDocument = await openSocket(url(b))
      expect((await fourthOnDocument.closed).code).toBe(CloseCodes.TooManyConnections)

      // Hold the document row: updates queue up until the per-connection queue limit closes the sender.
      const flooder = open[2]!
      await limited.db.transaction().execute(async (trx) => {
        await sql`SELECT update_seq FROM documents WHERE id = ${documentId} FOR UPDATE`.execute(trx)
        const source = new Y.Doc()
        source.on('update', (update: Uint8Array) => flooder.socket.send(syncMessage(2, update)))
        for (let i = 0; i < 40; i++) {
          source.getText('t').insert(0, 'z'.repeat(1024))
        }
        await waitFor(() => flooder.socket.readyState !== flooder.socket.OPEN)
      })
      expect((await flooder.closed).code).toBe(CloseCodes.TooManyConnections)
      for (const client of open) {
        client.socket.close()
      }
    } finally {
      await limited.close()
    }
  })
})
