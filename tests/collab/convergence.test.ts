import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { waitFor } from '../support/wait-for'
import {
  connectClient,
  setUpDocument,
  signIn,
  startCollabServer,
  storedDoc,
  type TestClient,
} from './harness'

const server = await startCollabServer({ collab: { options: { awarenessFlushMs: 5 } } })
afterAll(() => server.close())

type Operation =
  | { kind: 'insert'; client: number; at: number; text: string }
  | { kind: 'delete'; client: number; at: number; length: number }
  | { kind: 'set'; client: number; key: string; value: number }
  | { kind: 'paragraph'; client: number; at: number; text: string }
  | { kind: 'offline'; client: number }
  | { kind: 'online'; client: number }
  | { kind: 'pause'; ms: number }

const CLIENTS = 4

const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      client: fc.nat(CLIENTS - 1),
      at: fc.nat(),
      text: fc.string({ minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      client: fc.nat(CLIENTS - 1),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      client: fc.nat(CLIENTS - 1),
      key: fc.constantFrom('title', 'status', 'owner'),
      value: fc.integer(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('paragraph' as const),
      client: fc.nat(CLIENTS - 1),
      at: fc.nat(),
      text: fc.string({ maxLength: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('offline' as const), client: fc.nat(CLIENTS - 1) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('online' as const), client: fc.nat(CLIENTS - 1) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('pause' as const),
      ms: fc.integer({ min: 0, max: 15 }),
    }),
  },
)

function apply(client: TestClient, op: Operation): void {
  const t = client.doc.getText('t')
  switch (op.kind) {
    case 'insert':
      t.insert(op.at % (t.length + 1), op.text)
      break
    case 'delete': {
      if (t.length > 0) {
        const at = op.at % t.length
        t.delete(at, Math.min(op.length, t.length - at))
      }
      break
    }
    case 'set':
      client.doc.getMap('meta').set(op.key, op.value)
      break
    case 'paragraph': {
      // The shape y-prosemirror writes: elements holding text in the `prosemirror` fragment.
      const fragment = client.doc.getXmlFragment('prosemirror')
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(op.text)])
      fragment.insert(op.at % (fragment.length + 1), [paragraph])
      break
    }
    case 'offline':
      client.provider.disconnect()
      break
    case 'online':
      client.provider.connect()
      break
    case 'pause':
      break
  }
}

const snapshot = (doc: Y.Doc) =>
  JSON.stringify({
    t: doc.getText('t').toString(),
    // A map's key order is the order keys arrived in, which differs between replicas.
    meta: Object.entries(doc.getMap('meta').toJSON()).sort(([a], [b]) => a.localeCompare(b)),
    pm: doc.getXmlFragment('prosemirror').toString(),
    // Equal content is not enough: an insert deleted again is invisible but must arrive too.
    clocks: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b),
  })

describe('convergence', () => {
  it('brings random concurrent edits from several providers, online and offline, to one state that is stored whole', async () => {
    const { people, process } = await setUpDocument(server, ['drafter', 'drafter', 'drafter'])
    const cookies = await Promise.all(people.map((p) => signIn(server.app, p.user)))
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { minLength: 20, maxLength: 80 }),
        async (operations) => {
          const { id: documentId } = await server.factories.createDocument(
            process.id,
            process.secretariat,
          )
          const clients = cookies
            .slice(0, CLIENTS)
            .map((cookie) => connectClient(server, documentId, { cookie }))
          try {
            await Promise.all(clients.map((c) => c.synced()))
            for (const op of operations) {
              if (op.kind === 'pause') {
                await new Promise((resolve) => setTimeout(resolve, op.ms))
              } else {
                apply(clients[op.client]!, op)
              }
            }
            for (const client of clients) {
              client.provider.connect()
            }
            await waitFor(
              () =>
                clients.every(
                  (c) => c.provider.synced && snapshot(c.doc) === snapshot(clients[0]!.doc),
                ),
              {
                timeoutMs: 10_000,
                message: 'the clients did not converge',
              },
            )
            // Nothing anybody wrote is missing: each client's own clock is in the converged state,
            // and the stored document is that state.
            const converged = Y.decodeStateVector(Y.encodeStateVector(clients[0]!.doc))
            for (const client of clients) {
              expect(converged.get(client.doc.clientID) ?? 0).toBe(
                Y.getState(client.doc.store, client.doc.clientID),
              )
            }
            await waitFor(
              async () =>
                snapshot(await storedDoc(server.db, documentId)) === snapshot(clients[0]!.doc),
              {
                message: 'the stored document differs',
              },
            )
          } finally {
            for (const client of clients) {
              client.destroy()
            }
          }
        },
      ),
      { numRuns: 25, seed: 3_110_687 },
    )
  }, 120_000)
})
