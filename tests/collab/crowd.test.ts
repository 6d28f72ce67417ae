import { afterAll, describe, expect, it } from 'vitest'
import type { TestUser } from '../support/factories'
import { waitFor } from '../support/wait-for'
import {
  connectClient,
  startCollabServer,
  storedDoc,
  text,
  tokenFor,
  type TestClient,
} from './harness'

// Issue 12, item 1: an unmodified y-websocket `WebsocketProvider` re-sends every presence
// change it receives, other people's included, so in a room of 17 or more its awareness
// messages carry more than 16 entries. The server used to refuse those as malformed and close
// the connection, and every stock client of a workshop-sized room was dropped in a loop.

const PEOPLE = 50

const server = await startCollabServer({ collab: { options: { awarenessFlushMs: 10 } } })
afterAll(() => server.close())

describe('a crowd of stock y-websocket providers in one document', () => {
  it(`keeps ${PEOPLE} unmodified providers connected; all see each other and converge`, async () => {
    const users: TestUser[] = await Promise.all(
      Array.from({ length: PEOPLE }, () => server.factories.createUser()),
    )
    const process = await server.factories.createProcess({
      members: users.map((user, i) => ({
        user,
        role: i % 5 === 0 ? ('observer' as const) : ('drafter' as const),
        group: 'civil-society',
      })),
    })
    const { id: documentId } = await server.factories.createDocument(
      process.id,
      process.secretariat,
    )
    const tokens = await Promise.all(users.map((user) => tokenFor(server.app, user)))
    const clients: TestClient[] = tokens.map((token) =>
      connectClient(server, documentId, { token }),
    )
    try {
      await Promise.all(clients.map((client) => client.synced(15_000)))
      clients.forEach((client, i) =>
        client.provider.awareness.setLocalStateField('cursor', { anchor: i }),
      )
      // Everyone sees everyone's cursor, stamped with the right name.
      await waitFor(
        () =>
          clients.every((client) => {
            const states = client.provider.awareness.getStates()
            return clients.every((other, j) => {
              const state = states.get(other.doc.clientID)
              // One's own state is local: the server's stamp is for the others.
              return (
                state?.cursor?.anchor === j &&
                (other === client || state.user?.name === users[j]!.name)
              )
            })
          }),
        { timeoutMs: 15_000, message: 'not everyone saw everyone’s presence' },
      )

      // Every writer types; everyone ends up with the same text, and so does the database.
      const writers = clients.filter((_, i) => i % 5 !== 0)
      writers.forEach((client, i) => client.doc.getText('t').insert(0, `[${i}]`))
      const expectedLength = writers.reduce((sum, _, i) => sum + `[${i}]`.length, 0)
      await waitFor(() => clients.every((client) => text(client.doc).length === expectedLength), {
        timeoutMs: 15_000,
        message: 'the edits did not reach everyone',
      })
      const final = text(clients[0]!.doc)
      expect(clients.every((client) => text(client.doc) === final)).toBe(true)
      for (let i = 0; i < writers.length; i++) {
        expect(final).toContain(`[${i}]`)
      }
      await waitFor(async () => text(await storedDoc(server.db, documentId)) === final)

      // A cursor move after all that still reaches everyone, and nobody was ever disconnected.
      clients[7]!.provider.awareness.setLocalStateField('cursor', { anchor: 1_000 })
      await waitFor(() =>
        clients.every(
          (client) =>
            client.provider.awareness.getStates().get(clients[7]!.doc.clientID)?.cursor?.anchor ===
            1_000,
        ),
      )
      expect(clients.flatMap((client) => client.closes)).toEqual([])
      expect(server.app.collab.rooms.get(documentId)?.size).toBe(PEOPLE)
    } finally {
      for (const client of clients) {
        client.destroy()
      }
    }
  }, 60_000)
})
