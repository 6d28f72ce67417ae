import { afterAll, describe, expect, it } from 'vitest'
import type { Section } from '../../shared/api/documents'
import type { LiveState, Workshop } from '../../shared/api/workshops'
import type { TestUser } from '../support/factories'
import { sectionId, THREAD_DRAFT } from '../support/threads'
import { waitFor } from '../support/wait-for'
import { listenToEvents, signInWithCsrf, startCollabServer, type CollabTestServer } from './harness'

// Live delivery of workshops (issue 13, item 4): every change reaches every open page of the
// process within a second, also on another server instance, and the live state is PostgreSQL's.

const servers: CollabTestServer[] = []
afterAll(async () => {
  for (const server of servers.reverse()) {
    await server.close()
  }
})

async function as(server: CollabTestServer, user: TestUser) {
  const { cookie, csrfToken } = await signInWithCsrf(server.app, user)
  const send = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await server.app.inject({
      method,
      url,
      headers: { cookie, 'x-csrf-token': csrfToken },
      ...(payload ? { payload } : {}),
    })
    return response
  }
  return { cookie, send }
}

async function setUp(server: CollabTestServer) {
  const people = await Promise.all([1, 2, 3].map(() => server.factories.createUser()))
  const process = await server.factories.createProcess({
    members: people.map((user) => ({ user, role: 'stakeholder' as const })),
  })
  const { id: documentId } = await server.factories.createDocument(
    process.id,
    process.secretariat,
    'Strategy',
    THREAD_DRAFT,
  )
  const owner = await as(server, process.secretariat)
  const sections = (await owner.send('GET', `/api/documents/${documentId}/sections`)).json() as Section[]
  const created = await owner.send('POST', `/api/processes/${process.id}/workshops`, {
    title: 'Live session',
    startsAt: '2027-03-01T14:00:00Z',
    endsAt: '2027-03-01T16:00:00Z',
    timeZone: 'America/Mexico_City',
    format: 'online',
    languages: ['es'],
    documentId,
    agenda: [
      { sectionId: sectionId(sections, 'Governance'), minutes: 10 },
      { sectionId: sectionId(sections, 'Critical infrastructure'), minutes: 10 },
    ],
  })
  expect(created.statusCode, created.body).toBe(201)
  const workshop = created.json() as Workshop
  await owner.send('POST', `/api/workshops/${workshop.id}/schedule`, {})
  return { process, people, owner, workshop }
}

describe('live workshop events', () => {
  it('reach several open pages within a second, and each page reads the state from the API', async () => {
    const server = await startCollabServer()
    servers.push(server)
    const { process, people, owner, workshop } = await setUp(server)
    const pages = await Promise.all(
      people.map(async (user) => {
        const { cookie } = await as(server, user)
        return listenToEvents(server, cookie, `?process=${process.id}`)
      }),
    )
    await Promise.all(pages.map((page) => page.opened))
    const revision = (await owner.send('GET', `/api/workshops/${workshop.id}/live`)).json().revision as number
    const started = Date.now()
    const live = (
      await owner.send('POST', `/api/workshops/${workshop.id}/control`, { revision, action: 'start' })
    ).json() as LiveState
    await waitFor(
      () => pages.every((page) => page.events.some((e) => e.event === 'workshop' && e.data.workshopId === workshop.id)),
      { timeoutMs: 1_000, message: 'a page missed the workshop event' },
    )
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(pages[0]!.events.find((e) => e.event === 'workshop')!.data).toEqual({
      type: 'workshop',
      processId: process.id,
      workshopId: workshop.id,
    })
    const participant = await as(server, people[0]!)
    const seen = (await participant.send('GET', `/api/workshops/${workshop.id}/live`)).json() as LiveState
    expect(seen.currentItem?.title).toBe('Governance')
    expect(seen.revision).toBe(live.revision)
    for (const page of pages) {
      await page.close()
    }
  })

  it('cross instances over Redis, and the other instance serves the same live state', async () => {
    const REDIS_URL = globalThis.process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
    const first = await startCollabServer({ config: { REDIS_URL } })
    servers.push(first)
    const second = await startCollabServer({ database: first.database, config: { REDIS_URL } })
    servers.push(second)
    const { process, people, owner, workshop } = await setUp(first)
    const onSecond = await as(second, people[1]!)
    const stream = listenToEvents(second, onSecond.cookie, `?process=${process.id}`)
    await stream.opened
    const revision = (await owner.send('GET', `/api/workshops/${workshop.id}/live`)).json().revision as number
    await owner.send('POST', `/api/workshops/${workshop.id}/control`, { revision, action: 'start' })
    await waitFor(() => stream.events.some((e) => e.event === 'workshop'), {
      timeoutMs: 1_000,
      message: 'the workshop event did not cross instances',
    })
    const next = await owner.send('POST', `/api/workshops/${workshop.id}/control`, {
      revision: revision + 1,
      action: 'next',
    })
    expect(next.statusCode, next.body).toBe(200)
    await waitFor(() => stream.events.filter((e) => e.event === 'workshop').length >= 2, { timeoutMs: 1_000 })
    const seen = (await onSecond.send('GET', `/api/workshops/${workshop.id}/live`)).json() as LiveState
    expect(seen.currentItem?.title).toBe('Critical infrastructure')
    await stream.close()
  })
})
