import * as encoding from 'lib0/encoding'
import { afterAll, describe, expect, it } from 'vitest'
import { presenceColor } from '../../shared/collab/presence'
import { waitFor } from '../support/wait-for'
import { openSocket } from '../support/ws'
import {
  awarenessMessage,
  connectClient,
  setUpDocument,
  signIn,
  startCollabServer,
} from './harness'

const server = await startCollabServer({ collab: { options: { awarenessFlushMs: 5 } } })
afterAll(() => server.close())

function awarenessUpdate(
  entries: { clientId: number; clock: number; state: unknown }[],
): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(encoder)
}

describe('presence identity', () => {
  it('stamps name, colour and stakeholder group from the session over whatever the client claims', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter', 'observer'])
    const drafter = people[1]!.user
    const a = connectClient(server, documentId, { cookie: await signIn(server.app, drafter) })
    const b = connectClient(server, documentId, {
      cookie: await signIn(server.app, people[2]!.user),
    })
    await Promise.all([a.synced(), b.synced()])
    a.provider.awareness.setLocalState({
      user: { name: 'The Minister', color: '#000000', stakeholderGroup: 'government' },
      cursor: { anchor: 3 },
    })
    const seen = await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID))
    expect(seen.user).toEqual({
      name: drafter.name,
      color: presenceColor(drafter.id),
      stakeholderGroup: 'academia',
    })
    expect(seen.cursor).toEqual({ anchor: 3 })
    a.destroy()
    b.destroy()
  })

  it('lets a connection neither set nor remove the presence of a client id it does not own', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter', 'drafter', 'observer'])
    const victim = connectClient(server, documentId, {
      cookie: await signIn(server.app, people[1]!.user),
    })
    const watcher = connectClient(server, documentId, {
      cookie: await signIn(server.app, people[3]!.user),
    })
    await Promise.all([victim.synced(), watcher.synced()])
    victim.provider.awareness.setLocalStateField('cursor', { anchor: 1 })
    const victimState = () => watcher.provider.awareness.getStates().get(victim.doc.clientID)
    await waitFor(() => victimState()?.cursor?.anchor === 1)
    const victimClock = () => watcher.provider.awareness.meta.get(victim.doc.clientID)?.clock ?? 0

    const attacker = await openSocket(`${server.wsUrl}/${documentId}`, {
      cookie: await signIn(server.app, people[2]!.user),
    })
    const attackerId = 424242
    const clock = victimClock() + 10
    attacker.socket.send(
      awarenessMessage(
        awarenessUpdate([
          {
            clientId: victim.doc.clientID,
            clock,
            state: { cursor: { anchor: 99 }, user: { name: 'x' } },
          },
        ]),
      ),
    )
    attacker.socket.send(
      awarenessMessage(
        awarenessUpdate([{ clientId: victim.doc.clientID, clock: clock + 1, state: null }]),
      ),
    )
    // Its own presence goes through (stamped), which also shows the two messages before it were handled.
    attacker.socket.send(
      awarenessMessage(
        awarenessUpdate([{ clientId: attackerId, clock: 1, state: { cursor: { anchor: 5 } } }]),
      ),
    )
    const attackerState = await waitFor(() =>
      watcher.provider.awareness.getStates().get(attackerId),
    )
    expect(attackerState.user.name).toBe(people[2]!.user.name)
    expect(victimState()).toMatchObject({
      cursor: { anchor: 1 },
      user: { name: people[1]!.user.name },
    })

    // Removing an id it owns works.
    attacker.socket.send(
      awarenessMessage(awarenessUpdate([{ clientId: attackerId, clock: 2, state: null }])),
    )
    await waitFor(() => !watcher.provider.awareness.getStates().has(attackerId))
    expect(victimState()?.cursor).toEqual({ anchor: 1 })
    attacker.socket.close()
    victim.destroy()
    watcher.destroy()
  })

  it('removes a client’s presence for everyone when its connection closes', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter', 'observer'])
    const leaving = connectClient(server, documentId, {
      cookie: await signIn(server.app, people[1]!.user),
    })
    const staying = connectClient(server, documentId, {
      cookie: await signIn(server.app, people[2]!.user),
    })
    await Promise.all([leaving.synced(), staying.synced()])
    leaving.provider.awareness.setLocalStateField('cursor', { anchor: 0 })
    await waitFor(() => staying.provider.awareness.getStates().has(leaving.doc.clientID))
    // Close the socket without the provider's goodbye message, as a dropped network would.
    leaving.provider.ws?.close()
    leaving.provider.shouldConnect = false
    await waitFor(() => !staying.provider.awareness.getStates().has(leaving.doc.clientID))
    leaving.destroy()
    staying.destroy()
  })
})
