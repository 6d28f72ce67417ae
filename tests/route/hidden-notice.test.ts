import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Section } from '../../shared/api/documents'
import type { NotificationList, Thread, ThreadPage } from '../../shared/api/threads'
import { createTestApp, type Client } from '../support/app'
import { sectionId } from '../support/threads'
import { waitFor } from '../support/wait-for'
import { makeWorld } from '../support/world'

// Issue 15, item 2: hidden comments no longer vanish silently. Their author is told in the
// inbox with the reason (and by an e-mail that holds neither the text nor the reason when SMTP
// is set), still reads their own item, marked hidden; moderators list hidden threads in the
// Threads list with a filter; everyone else still never sees them.

const t = await createTestApp({ config: { SMTP_URL: 'smtp://mail.test:25' } })
const { db } = t

async function postThread(client: Client, documentId: string, body: string): Promise<Thread> {
  const sections = (await client.get(`/api/documents/${documentId}/sections`)).json() as Section[]
  const response = await client.post(`/api/documents/${documentId}/threads`, {
    sectionId: sectionId(sections, 'Governance'),
    kind: 'comment',
    body,
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as Thread
}

const inbox = async (client: Client) =>
  ((await client.get('/api/notifications')).json() as NotificationList).items

const notificationCount = async () =>
  Number(
    (
      await db
        .selectFrom('notifications')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('hiding a comment', () => {
  it('tells its author in the inbox with the reason, and by an e-mail without text or reason', async () => {
    const w = await makeWorld(t)
    const author = w.people.stakeholder
    const text = `Secret words ${Date.now()}`
    const thread = await postThread(author, w.documentId, text)
    const hidden = await w.people.facilitator.post(`/api/comments/${thread.root.id}/hide`, {
      reason: 'Off topic here',
    })
    expect(hidden.statusCode, hidden.body).toBe(200)

    const items = await inbox(author)
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      kind: 'hidden',
      reason: 'Off topic here',
      threadId: thread.id,
      threadNumber: thread.number,
      sectionTitle: 'Governance',
      read: false,
    })
    const me = (await author.get('/api/auth/session')).json() as { user: { email: string } }
    const mail = await waitFor(() =>
      t.mail.messages.find((m) => m.to === me.user.email && m.subject.includes('hid')),
    )
    expect(mail.text).toContain(`/documents/${w.documentId}?thread=${thread.id}`)
    expect(mail.text).toContain(`#${thread.number} · Governance`)
    expect(mail.text).not.toContain('Secret words')
    expect(mail.text).not.toContain('Off topic here')
    // Nobody else hears of it.
    expect(await inbox(w.people.drafter)).toEqual([])
  })

  it('lets the author read their own hidden thread, marked, in the thread and the lists; nobody else but moderators', async () => {
    const w = await makeWorld(t)
    const author = w.people.stakeholder
    const thread = await postThread(author, w.documentId, 'Mine, now hidden')
    const other = await postThread(w.people.drafter, w.documentId, 'Still shown')
    await w.owner.post(`/api/comments/${thread.root.id}/hide`, { reason: 'Duplicate' })

    const own = await author.get(`/api/threads/${thread.id}`)
    expect(own.statusCode, own.body).toBe(200)
    expect((own.json() as Thread).root).toMatchObject({
      body: 'Mine, now hidden',
      hidden: { reason: 'Duplicate', by: null },
    })
    expect((await w.people.drafter.get(`/api/threads/${thread.id}`)).statusCode).toBe(404)
    expect((await w.people.observer.get(`/api/threads/${thread.id}`)).statusCode).toBe(404)
    // Reading is all: the author may not reply to their hidden thread.
    const reply = await author.post(`/api/threads/${thread.id}/replies`, { body: 'But why?' })
    expect(reply.statusCode).toBe(404)

    const list = (client: Client, query = '') =>
      client
        .get(`/api/processes/${w.process.id}/threads${query}`)
        .then((r) => (r.json() as ThreadPage).items.map((x) => x.id))
    expect(await list(author)).toEqual(expect.arrayContaining([thread.id, other.id]))
    expect(await list(w.people.drafter)).not.toContain(thread.id)
    expect(await list(w.people.drafter)).toContain(other.id)

    // Moderators list hidden threads where they list the others, with a filter.
    expect(await list(w.owner)).not.toContain(thread.id)
    expect(await list(w.owner, '?hidden=only')).toEqual([thread.id])
    expect(await list(w.people.facilitator, '?hidden=include')).toEqual(
      expect.arrayContaining([thread.id, other.id]),
    )
    expect(
      (await author.get(`/api/processes/${w.process.id}/threads?hidden=only`)).statusCode,
    ).toBe(403)
  })

  it('sends no notice when a moderator hides their own comment, or when the hide is refused', async () => {
    const w = await makeWorld(t)
    const mine = await postThread(w.people.facilitator, w.documentId, 'My own slip')
    const before = await notificationCount()
    const mails = t.mail.messages.length
    expect(
      (await w.people.facilitator.post(`/api/comments/${mine.root.id}/hide`, { reason: 'Oops' }))
        .statusCode,
    ).toBe(200)
    const theirs = await postThread(w.people.stakeholder, w.documentId, 'A fair point')
    const bad = await w.owner.post(`/api/comments/${theirs.root.id}/hide`, {
      reason: 'x'.repeat(5_000),
    })
    expect(bad.statusCode).toBe(400)
    const wrongRole = await w.people.drafter.post(`/api/comments/${theirs.root.id}/hide`, {
      reason: 'Not mine to hide',
    })
    expect(wrongRole.statusCode).toBe(403)
    expect(await notificationCount()).toBe(before)
    expect(await inbox(w.people.stakeholder)).toEqual([])
    expect(t.mail.messages.length).toBe(mails)
  })
})
