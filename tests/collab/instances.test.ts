import pino from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { CloseCodes } from '../../shared/collab/close-codes'
import { connectRedisPubSub, type PubSubClient } from '../../server/collab/fanout'
import { waitFor } from '../support/wait-for'
import {
  connectClient,
  setUpDocument,
  signIn,
  signInWithCsrf,
  startCollabServer,
  storedDoc,
  text,
  listenToEvents,
  type CollabTestServer,
} from './harness'
import type { Section } from '../../shared/api/documents'
import { sectionId, THREAD_DRAFT } from '../support/threads'

// Issue 3, item 7: several instances over one PostgreSQL. PostgreSQL is the source of truth;
// pub/sub only makes things fast, so an instance that misses a message reads it from the log.

const servers: CollabTestServer[] = []
afterAll(async () => {
  for (const server of servers.reverse()) {
    await server.close()
  }
})

describe('two instances over one database', () => {
  it('converge through the stored log even when every pub/sub message is lost', async () => {
    const first = await startCollabServer({ collab: { options: { headPollMs: 50 } } })
    servers.push(first)
    const second = await startCollabServer({
      database: first.database,
      collab: { options: { headPollMs: 50 } },
    })
    servers.push(second)
    const { documentId, people } = await setUpDocument(first, ['drafter', 'drafter'])
    const a = connectClient(first, documentId, { cookie: await signIn(first.app, people[1]!.user) })
    const b = connectClient(second, documentId, {
      cookie: await signIn(second.app, people[2]!.user),
    })
    await Promise.all([a.synced(), b.synced()])
    a.doc.getText('t').insert(0, 'Written on instance one. ')
    await waitFor(() => text(b.doc) === 'Written on instance one. ')
    b.doc.getText('t').insert(text(b.doc).length, 'Written on instance two.')
    for (let i = 0; i < 20; i++) {
      a.doc.getText('t').insert(0, `${i}`)
      b.doc.getText('t').insert(text(b.doc).length, `${i}`)
    }
    await waitFor(() => text(a.doc) === text(b.doc) && text(a.doc).includes('instance two.'), {
      message: 'the instances diverged',
    })
    await waitFor(async () => text(await storedDoc(first.db, documentId)) === text(a.doc))
    a.destroy()
    b.destroy()
  })
})

/** A transport that loses the messages `drop` picks, as Redis pub/sub may. */
function lossy(
  client: PubSubClient,
  drop: (channel: string, message: Uint8Array) => boolean,
): PubSubClient {
  return {
    ...client,
    onMessage: (handler) =>
      client.onMessage((channel, message) =>
        drop(channel, message) ? undefined : handler(channel, message),
      ),
  }
}

describe('two instances over Redis', () => {
  const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

  it('fan out updates, presence and membership changes, and fill a lost update from the log', async () => {
    // The log poll is off (one minute): only pub/sub and gap detection can carry changes.
    const options = { headPollMs: 60_000, accessRecheckMs: 60_000, awarenessFlushMs: 5 }
    const first = await startCollabServer({ config: { REDIS_URL }, collab: { options } })
    servers.push(first)
    let dropNextUpdate = false
    let dropped = 0
    // A message's first byte is its kind; 1 is a document update.
    const transport = lossy(
      await connectRedisPubSub(REDIS_URL, pino({ level: 'silent' })),
      (channel, message) => {
        if (dropNextUpdate && channel.startsWith('concord:doc:') && message[0] === 1) {
          dropNextUpdate = false
          dropped++
          return true
        }
        return false
      },
    )
    const second = await startCollabServer({
      database: first.database,
      collab: { options, pubsub: transport },
    })
    servers.push(second)

    const { documentId, process, people } = await setUpDocument(first, ['drafter', 'drafter'])
    const a = connectClient(first, documentId, { cookie: await signIn(first.app, people[1]!.user) })
    const b = connectClient(second, documentId, {
      cookie: await signIn(second.app, people[2]!.user),
    })
    await Promise.all([a.synced(), b.synced()])

    a.doc.getText('t').insert(0, 'one ')
    await waitFor(() => text(b.doc) === 'one ', { message: 'the update did not fan out' })
    b.doc.getText('t').insert(4, 'two ')
    await waitFor(() => text(a.doc) === 'one two ')

    dropNextUpdate = true
    a.doc.getText('t').insert(8, 'three ')
    await waitFor(() => dropped === 1)
    a.doc.getText('t').insert(14, 'four')
    await waitFor(() => text(b.doc) === 'one two three four', {
      message: 'the lost update was not read from the log',
    })

    a.provider.awareness.setLocalStateField('cursor', { anchor: 2 })
    const seen = await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID))
    expect(seen).toMatchObject({
      cursor: { anchor: 2 },
      user: { name: people[1]!.user.name, stakeholderGroup: 'academia' },
    })

    // A role change made through the first instance reaches a socket on the second.
    const secretariat = await signInWithCsrf(first.app, people[0]!.user)
    const response = await first.app.inject({
      method: 'PATCH',
      url: `/api/processes/${process.id}/members/${process.membershipIds.get(people[2]!.user.email)}`,
      headers: { cookie: secretariat.cookie, 'x-csrf-token': secretariat.csrfToken },
      payload: { role: 'observer' },
    })
    expect(response.statusCode).toBe(200)
    await waitFor(() => b.closes.some((c) => c.code === CloseCodes.PermissionsChanged), {
      timeoutMs: 2_000,
    })
    expect(text(await storedDoc(first.db, documentId))).toBe('one two three four')
    a.destroy()
    b.destroy()
  })

  it('shows someone who joins on one instance the people already on the other, at once', async () => {
    const options = { headPollMs: 60_000, accessRecheckMs: 60_000, awarenessFlushMs: 5 }
    const first = await startCollabServer({ config: { REDIS_URL }, collab: { options } })
    servers.push(first)
    const second = await startCollabServer({
      database: first.database,
      config: { REDIS_URL },
      collab: { options },
    })
    servers.push(second)
    const { documentId, people } = await setUpDocument(first, ['drafter', 'drafter'])
    const a = connectClient(first, documentId, { cookie: await signIn(first.app, people[1]!.user) })
    await a.synced()
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1 })
    // Long enough for the first instance to hold the presence, far less than a renewal (15 s).
    await new Promise((resolve) => setTimeout(resolve, 200))

    // The second instance loads the document only now: it asks the first for its people.
    const b = connectClient(second, documentId, {
      cookie: await signIn(second.app, people[2]!.user),
    })
    await b.synced()
    const seen = await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID), {
      timeoutMs: 3_000,
      message: 'the presence on the other instance did not arrive',
    })
    expect(seen).toMatchObject({ cursor: { anchor: 1 }, user: { name: people[1]!.user.name } })
    a.destroy()
    b.destroy()
  })
})

describe('thread events over Redis', () => {
  const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

  it('reach pages on the other instance, and an applied proposal reaches its editors', async () => {
    // The log poll is off (one minute): only the fan-out can carry the applied change in time.
    const options = { headPollMs: 60_000, accessRecheckMs: 60_000 }
    const first = await startCollabServer({ config: { REDIS_URL }, collab: { options } })
    servers.push(first)
    const second = await startCollabServer({
      database: first.database,
      config: { REDIS_URL },
      collab: { options },
    })
    servers.push(second)
    const drafter = await first.factories.createUser()
    const process = await first.factories.createProcess({
      members: [{ user: drafter, role: 'drafter' }],
    })
    const { id: documentId } = await first.factories.createDocument(
      process.id,
      process.secretariat,
      'Strategy',
      THREAD_DRAFT,
    )
    const onSecond = await signInWithCsrf(second.app, drafter)
    const stream = listenToEvents(second, onSecond.cookie, `?process=${process.id}`)
    await stream.opened
    const editor = connectClient(second, documentId, { cookie: onSecond.cookie })
    await editor.synced()

    const owner = await signInWithCsrf(first.app, process.secretariat)
    const asOwner = (method: 'GET' | 'POST', url: string, payload?: object) =>
      first.app.inject({
        method,
        url,
        headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrfToken },
        ...(payload ? { payload } : {}),
      })
    const sections = (
      await asOwner('GET', `/api/documents/${documentId}/sections`)
    ).json() as Section[]
    const created = await asOwner('POST', `/api/documents/${documentId}/threads`, {
      sectionId: sectionId(sections, 'Vision'),
      kind: 'proposal',
      body: 'Shorter',
      proposal: { scope: 'section', text: 'A secure digital nation.' },
    })
    expect(created.statusCode, created.body).toBe(201)
    const threadId = (created.json() as { id: string }).id
    await waitFor(
      () => stream.events.some((e) => e.event === 'thread' && e.data.threadId === threadId),
      {
        timeoutMs: 1_000,
        message: 'the thread event did not cross instances',
      },
    )
    expect((await asOwner('POST', `/api/threads/${threadId}/apply`, {})).statusCode).toBe(200)
    await waitFor(
      () =>
        JSON.stringify(editor.doc.getXmlFragment('prosemirror').toJSON()).includes(
          'A secure digital nation.',
        ),
      {
        timeoutMs: 2_000,
        message: 'the applied change did not reach the other instance’s editor',
      },
    )
    editor.destroy()
    await stream.close()
  })
})
