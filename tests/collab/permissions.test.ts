import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCodes } from '../../shared/collab/close-codes'
import type { Role } from '../../shared/domain/roles'
import { countStoredUpdates } from '../../server/documents/state'
import { waitFor } from '../support/wait-for'
import { openSocket } from '../support/ws'
import {
  connectClient,
  setUpDocument,
  signIn,
  signInWithCsrf,
  startCollabServer,
  storedDoc,
  syncMessage,
  text,
} from './harness'

const server = await startCollabServer()
afterAll(() => server.close())

const READ_ONLY_ROLES: Role[] = ['stakeholder', 'facilitator', 'observer']

// y-websocket's auth message `[2, 0, "read-only"]`: the server's one-time notice that a change was refused.
const isPermissionDenied = (message: Uint8Array) => message[0] === 2 && message[1] === 0

async function refusedWrites(documentId: string, userId: string): Promise<number> {
  const row = await server.db
    .selectFrom('audit_log')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('action', '=', 'document.write_refused')
    .where('target_id', '=', documentId)
    .where('actor_id', '=', userId)
    .executeTakeFirstOrThrow()
  return row.n
}

describe('read-only roles', () => {
  it.each(READ_ONLY_ROLES)(
    '%s: reads live, and every change it sends (update or sync step 2) is ignored and recorded',
    async (role) => {
      const { documentId, people } = await setUpDocument(server, ['drafter', role])
      const drafter = people[1]!.user
      const reader = people[2]!.user
      const readerCookie = await signIn(server.app, reader)
      const writer = connectClient(server, documentId, {
        cookie: await signIn(server.app, drafter),
      })
      const viewer = connectClient(server, documentId, { cookie: readerCookie })
      await Promise.all([writer.synced(), viewer.synced()])
      writer.doc.getText('t').insert(0, 'Draft by the drafters.')
      await waitFor(() => text(viewer.doc) === 'Draft by the drafters.')
      const storedBefore = await countStoredUpdates(server.db, documentId)

      // 1. An unmodified provider edits locally: it sends an `update` message.
      viewer.doc.getText('t').insert(0, 'READER-UPDATE ')
      await waitFor(() => refusedWrites(documentId, reader.id).then((n) => n === 1))

      // 2. and 3. Raw frames: sync step 2 and update, each carrying a real change.
      for (const [step, marker] of [
        [1, 'READER-STEP2 '],
        [2, 'READER-RAW-UPDATE '],
      ] as const) {
        const raw = await openSocket(`${server.wsUrl}/${documentId}`, { cookie: readerCookie })
        const change = new Y.Doc()
        change.getText('t').insert(0, marker)
        raw.socket.send(syncMessage(step, Y.encodeStateAsUpdate(change)))
        await waitFor(() => raw.messages.some(isPermissionDenied), {
          message: 'no permission-denied notice',
        })
        raw.socket.close()
      }
      await waitFor(() => refusedWrites(documentId, reader.id).then((n) => n === 3))

      // The drafter's next edit reaches the reader, and nothing of the reader's reached anybody.
      writer.doc.getText('t').insert(text(writer.doc).length, ' More.')
      await waitFor(() => viewer.doc.getText('t').toString().endsWith(' More.'))
      expect(text(writer.doc)).toBe('Draft by the drafters. More.')
      expect(text(await storedDoc(server.db, documentId))).toBe('Draft by the drafters. More.')
      expect(await countStoredUpdates(server.db, documentId)).toBe(storedBefore + 1)
      writer.destroy()
      viewer.destroy()
    },
  )

  it('does not count a reader’s ordinary sync (which repeats the server’s own deletions) as an attempt', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter', 'observer'])
    const writer = connectClient(server, documentId, {
      cookie: await signIn(server.app, people[1]!.user),
    })
    await writer.synced()
    writer.doc.getText('t').insert(0, 'abcdef')
    writer.doc.getText('t').delete(1, 3)
    const observerCookie = await signIn(server.app, people[2]!.user)
    const first = connectClient(server, documentId, { cookie: observerCookie })
    await waitFor(() => text(first.doc) === 'aef')
    // Reconnecting sends sync step 2 with the whole delete set; it changes nothing.
    first.provider.disconnect()
    first.provider.connect()
    await first.synced()
    writer.doc.getText('t').insert(3, 'g')
    await waitFor(() => text(first.doc) === 'aefg')
    expect(await refusedWrites(documentId, people[2]!.user.id)).toBe(0)
    writer.destroy()
    first.destroy()
  })

  it('makes everyone read-only in an archived process', async () => {
    const { documentId, process, people } = await setUpDocument(server, ['drafter'])
    await server.db
      .updateTable('processes')
      .set({ archived_at: new Date() })
      .where('id', '=', process.id)
      .execute()
    const raw = await openSocket(`${server.wsUrl}/${documentId}`, {
      cookie: await signIn(server.app, people[0]!.user),
    })
    const change = new Y.Doc()
    change.getText('t').insert(0, 'edit in an archived process')
    raw.socket.send(syncMessage(2, Y.encodeStateAsUpdate(change)))
    await waitFor(() => raw.messages.some(isPermissionDenied))
    expect(text(await storedDoc(server.db, documentId))).toBe('')
    raw.socket.close()
  })
})

describe('life-cycle stages', () => {
  it('makes everyone read-only once the process is adopted (issue 14: no drafting edits)', async () => {
    const { documentId, process, people } = await setUpDocument(server, ['drafter'])
    await server.db
      .updateTable('processes')
      .set({ stage: 'adopted' })
      .where('id', '=', process.id)
      .execute()
    for (const person of people) {
      const raw = await openSocket(`${server.wsUrl}/${documentId}`, {
        cookie: await signIn(server.app, person.user),
      })
      const change = new Y.Doc()
      change.getText('t').insert(0, 'edit after adoption')
      raw.socket.send(syncMessage(2, Y.encodeStateAsUpdate(change)))
      await waitFor(() => raw.messages.some(isPermissionDenied))
      raw.socket.close()
    }
    expect(text(await storedDoc(server.db, documentId))).toBe('')
  })
})

describe('membership changes while connected', () => {
  it('takes write access away within two seconds when a drafter becomes an observer', async () => {
    const { documentId, process, people } = await setUpDocument(server, ['drafter'])
    const drafter = people[1]!.user
    const secretariat = await signInWithCsrf(server.app, people[0]!.user)
    const client = connectClient(server, documentId, { cookie: await signIn(server.app, drafter) })
    await client.synced()
    client.doc.getText('t').insert(0, 'before ')
    await waitFor(async () => text(await storedDoc(server.db, documentId)) === 'before ')

    const changedAt = Date.now()
    const response = await server.app.inject({
      method: 'PATCH',
      url: `/api/processes/${process.id}/members/${process.membershipIds.get(drafter.email)}`,
      headers: { cookie: secretariat.cookie, 'x-csrf-token': secretariat.csrfToken },
      payload: { role: 'observer' },
    })
    expect(response.statusCode).toBe(200)
    await waitFor(() => client.closes.some((c) => c.code === CloseCodes.PermissionsChanged), {
      timeoutMs: 2_000,
    })
    expect(Date.now() - changedAt).toBeLessThan(2_000)

    // The provider reconnects by itself, now as an observer: it still reads, but cannot write.
    await client.synced()
    client.doc.getText('t').insert(text(client.doc).length, 'after')
    await waitFor(() => refusedWrites(documentId, drafter.id).then((n) => n >= 1))
    expect(text(await storedDoc(server.db, documentId))).toBe('before ')
    client.destroy()
  })

  it('closes the connection of a removed member within two seconds, for good', async () => {
    const { documentId, process, people } = await setUpDocument(server, ['drafter'])
    const drafter = people[1]!.user
    const secretariat = await signInWithCsrf(server.app, people[0]!.user)
    const client = connectClient(server, documentId, { cookie: await signIn(server.app, drafter) })
    await client.synced()
    const removedAt = Date.now()
    const response = await server.app.inject({
      method: 'DELETE',
      url: `/api/processes/${process.id}/members/${process.membershipIds.get(drafter.email)}`,
      headers: { cookie: secretariat.cookie, 'x-csrf-token': secretariat.csrfToken },
    })
    expect(response.statusCode).toBe(200)
    await waitFor(() => client.closes.some((c) => c.code === CloseCodes.DocumentNotFound), {
      timeoutMs: 2_000,
    })
    expect(Date.now() - removedAt).toBeLessThan(2_000)
    expect(client.provider.shouldConnect).toBe(false)
    client.destroy()
  })

  it('lets go of a connection within two seconds once its session ends or its token is revoked', async () => {
    const { documentId, people } = await setUpDocument(server, ['drafter'])
    const drafter = people[1]!.user
    const session = await signInWithCsrf(server.app, drafter)
    const client = connectClient(server, documentId, { cookie: session.cookie })
    const other = await signInWithCsrf(server.app, drafter)
    const otherClient = connectClient(server, documentId, { cookie: other.cookie })
    await Promise.all([client.synced(), otherClient.synced()])

    // Signing out in one browser ends that connection: it is told to authenticate again, and
    // the ended session is refused at the door. The person's other session stays connected.
    const signedOutAt = Date.now()
    const signOut = await server.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      payload: {},
    })
    expect(signOut.statusCode).toBe(200)
    await waitFor(() => client.closes.some((c) => c.code === CloseCodes.PermissionsChanged), {
      timeoutMs: 2_000,
    })
    expect(Date.now() - signedOutAt).toBeLessThan(2_000)
    await waitFor(() => client.closes.some((c) => c.code === CloseCodes.Unauthenticated))
    expect(otherClient.closes).toEqual([])
    client.destroy()

    // A revoked API token: the same.
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/me/tokens',
      headers: { cookie: other.cookie, 'x-csrf-token': other.csrfToken },
      payload: { name: 'script' },
    })
    expect(created.statusCode).toBe(201)
    const { token: tokenInfo, secret } = created.json() as { token: { id: string }; secret: string }
    const scripted = connectClient(server, documentId, { token: secret })
    await scripted.synced()
    const revoke = await server.app.inject({
      method: 'DELETE',
      url: `/api/me/tokens/${tokenInfo.id}`,
      headers: { cookie: other.cookie, 'x-csrf-token': other.csrfToken },
    })
    expect(revoke.statusCode).toBe(200)
    await waitFor(() => scripted.closes.some((c) => c.code === CloseCodes.Unauthenticated), {
      timeoutMs: 4_000,
    })
    expect(otherClient.closes).toEqual([])
    scripted.destroy()
    otherClient.destroy()
  })

  it('keeps a writer connected when only their stakeholder group changes, and shows the new group', async () => {
    const { documentId, process, people } = await setUpDocument(server, ['drafter', 'observer'])
    const drafter = people[1]!.user
    const secretariat = await signInWithCsrf(server.app, people[0]!.user)
    const writer = connectClient(server, documentId, { cookie: await signIn(server.app, drafter) })
    const watcher = connectClient(server, documentId, {
      cookie: await signIn(server.app, people[2]!.user),
    })
    await Promise.all([writer.synced(), watcher.synced()])
    writer.provider.awareness.setLocalStateField('cursor', { at: 1 })
    const groupOf = () =>
      (
        watcher.provider.awareness.getStates().get(writer.doc.clientID)?.user as
          { stakeholderGroup?: string } | undefined
      )?.stakeholderGroup
    await waitFor(() => groupOf() === 'academia')
    const response = await server.app.inject({
      method: 'PATCH',
      url: `/api/processes/${process.id}/members/${process.membershipIds.get(drafter.email)}`,
      headers: { cookie: secretariat.cookie, 'x-csrf-token': secretariat.csrfToken },
      payload: { stakeholderGroup: 'government' },
    })
    expect(response.statusCode).toBe(200)
    await waitFor(() => groupOf() === 'government', { timeoutMs: 2_000 })
    writer.doc.getText('t').insert(0, 'still writing')
    await waitFor(() => text(watcher.doc) === 'still writing')
    expect(writer.closes).toEqual([])
    writer.destroy()
    watcher.destroy()
  })
})
