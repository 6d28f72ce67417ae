import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Comparison } from '../../shared/api/comparison'
import type { Consultation } from '../../shared/api/consultations'
import type { StageTimeline } from '../../shared/api/stages'
import type { Version } from '../../shared/api/versions'
import { STAGES } from '../../shared/domain/lifecycle'
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from '../../server/demo/seed'
import { replaceIn } from '../../server/demo/lifecycle'
import { editDocumentIn } from '../../server/documents/service'
import { createTestApp } from '../support/app'
import { openConsultation } from '../support/consultations'
import { makeWorld } from '../support/world'

// The public record of a process at /p/:slug (issue 14, item 7) over the demo, with things
// added that must never be public: a draft consultation, an attendee who withdrew consent,
// minutes published to members only.

const t = await createTestApp()
const { db } = t
await seedDemo(db)

const process = await db
  .selectFrom('processes')
  .select(['id', 'title'])
  .where('public_slug', '=', 'demo')
  .executeTakeFirstOrThrow()

const DRAFT_TITLE = 'Unpublished consultation DRAFTMARKER'
// A draft consultation: a copy of the demo's, never published.
await sql`
  insert into consultations (process_id, document_id, version_id, slug, title, introduction,
    opens_at, closes_at, time_zone, access, moderation, visibility, created_by_name)
  select process_id, document_id, version_id, 'secret-draft',
    ${JSON.stringify({ en: DRAFT_TITLE })}::jsonb, ${JSON.stringify({ en: 'DRAFTINTRO' })}::jsonb,
    opens_at, closes_at, time_zone, access, moderation, visibility, created_by_name
  from consultations where slug = 'demo'`.execute(db)
const published = await db
  .selectFrom('workshops')
  .selectAll()
  .where('process_id', '=', process.id)
  .where('state', '=', 'published')
  .executeTakeFirstOrThrow()
// An attendee who did not agree to be named, with a decision of theirs in the minutes (and,
// as if a bug had put them there, among the named).
const SHY = 'Shy Attendee NAMEMARKER'
const shy = await db
  .insertInto('workshop_attendees')
  .values({
    workshop_id: published.id,
    name: SHY,
    organisation: 'Shy Org ORGMARKER',
    stakeholder_group: 'civil-society',
    consent_public: false,
    mode: 'in-person',
  })
  .returning('id')
  .executeTakeFirstOrThrow()
const decision = await db
  .insertInto('workshop_contributions')
  .values({
    workshop_id: published.id,
    kind: 'decision',
    body: 'A decision taken by the shy attendee',
    attendee_id: shy.id,
    author_name: SHY,
    author_group: 'civil-society',
    author_organisation: 'Shy Org ORGMARKER',
  })
  .returningAll()
  .executeTakeFirstOrThrow()
const stored = published.minutes as unknown as {
  decisions: Record<string, unknown>[]
  attendance: { named: Record<string, unknown>[]; byOrganisation: Record<string, unknown>[] }
}
stored.decisions.push({
  id: decision.id,
  workshopId: published.id,
  agendaItemId: null,
  kind: 'decision',
  threadId: null,
  sectionId: null,
  body: decision.body,
  authorName: SHY,
  authorGroup: 'civil-society',
  authorOrganisation: 'Shy Org ORGMARKER',
  recordedBy: null,
  owner: null,
  dueDate: null,
  status: null,
  createdAt: new Date().toISOString(),
})
stored.attendance.named.push({
  name: SHY,
  organisation: 'Shy Org ORGMARKER',
  group: 'civil-society',
})
stored.attendance.byOrganisation.push({ organisation: 'Shy Org ORGMARKER', count: 1 })
await db
  .updateTable('workshops')
  .set({ minutes: JSON.stringify(stored) })
  .where('id', '=', published.id)
  .execute()
const scheduled = await db
  .selectFrom('workshops')
  .selectAll()
  .where('process_id', '=', process.id)
  .where('state', '=', 'scheduled')
  .executeTakeFirstOrThrow()

/** Every public page reachable from the process's public home, in each language. */
async function crawl(): Promise<Map<string, string>> {
  const pages = new Map<string, string>()
  const queue = ['/p/demo', '/p/demo?lang=es']
  while (queue.length > 0 && pages.size < 80) {
    const url = queue.shift()!
    if (pages.has(url)) {
      continue
    }
    const response = await t.anonymous.get(url)
    expect(response.statusCode, url).toBe(200)
    pages.set(url, response.body)
    for (const [, href] of response.body.matchAll(/href="([^"#]+)/g)) {
      const link = href!.replace(/&amp;/g, '&')
      // Downloads (?format=) are files, not pages; the test below opens them.
      if (
        /^\/(p|c)\//.test(link) &&
        !link.startsWith('/c/_assets') &&
        !link.includes('format=') &&
        !pages.has(link)
      ) {
        queue.push(link)
      }
    }
  }
  return pages
}

describe('the public home of a process (/p/:slug)', () => {
  it('shows the timeline of stages, the consultations with their report and the workshops with public minutes', async () => {
    const response = await t.anonymous.get('/p/demo')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('text/html')
    const html = response.body
    expect(html).toContain(`<h1>${process.title}</h1>`)
    expect(html).toContain('Current stage: Public consultation')
    expect(html).toContain('Moved to the stage “Stakeholder review”')
    expect(html).toContain('href="/c/demo?lang=en"')
    expect(html).toContain(`href="/p/demo/workshops/${published.id}?lang=en"`)
    expect(html).not.toContain(scheduled.title)
    expect(html).not.toContain('<script')
  })

  it('reads in Spanish with ?lang=es, with the same structure', async () => {
    const html = (await t.anonymous.get('/p/demo?lang=es')).body
    expect(html).toContain('<html lang="es">')
    expect(html).toContain('Etapa actual: Consulta pública')
    expect(html).toContain('href="/c/demo?lang=es"')
  })

  it('renders the published minutes, naming only attendees who consent now', async () => {
    const response = await t.anonymous.get(`/p/demo/workshops/${published.id}`)
    expect(response.statusCode).toBe(200)
    const html = response.body
    expect(html).toContain(`Minutes: ${published.title}`)
    expect(html).toMatch(/people attended/)
    expect(html).toContain('Decisions')
    expect(html).toContain('A decision taken by the shy attendee')
    expect(html).not.toContain('NAMEMARKER')
    expect(html).not.toContain('ORGMARKER')
    const named = await db
      .selectFrom('workshop_attendees')
      .select('name')
      .where('workshop_id', '=', published.id)
      .where('consent_public', '=', true)
      .executeTakeFirstOrThrow()
    expect(html).toContain(named.name)
  })

  it('answers one and the same 404 for an unknown slug, a home turned off, unpublished minutes and bad ids', async () => {
    const unknown = await t.anonymous.get('/p/no-such-process')
    expect(unknown.statusCode).toBe(404)
    for (const url of [
      `/p/demo/workshops/${scheduled.id}`,
      '/p/demo/workshops/00000000-0000-4000-8000-000000000000',
      '/p/demo/workshops/not-an-id',
      `/p/no-such-process/workshops/${published.id}`,
    ]) {
      const response = await t.anonymous.get(url)
      expect(response.statusCode, url).toBe(404)
      expect(response.body, url).toBe(unknown.body)
    }
    // Minutes published to the members only.
    await db
      .updateTable('workshops')
      .set({ minutes_public: false })
      .where('id', '=', published.id)
      .execute()
    try {
      const members = await t.anonymous.get(`/p/demo/workshops/${published.id}`)
      expect(members.statusCode).toBe(404)
      expect(members.body).toBe(unknown.body)
      expect((await t.anonymous.get('/p/demo')).body).not.toContain(published.title)
    } finally {
      await db
        .updateTable('workshops')
        .set({ minutes_public: true })
        .where('id', '=', published.id)
        .execute()
    }
    // The home turned off.
    await db
      .updateTable('processes')
      .set({ public_home: false })
      .where('id', '=', process.id)
      .execute()
    try {
      const off = await t.anonymous.get('/p/demo')
      expect(off.statusCode).toBe(404)
      expect(off.body).toBe(unknown.body)
      expect((await t.anonymous.get(`/p/demo/workshops/${published.id}`)).statusCode).toBe(404)
    } finally {
      await db
        .updateTable('processes')
        .set({ public_home: true })
        .where('id', '=', process.id)
        .execute()
    }
  })

  it('never shows anything unpublished on any public page reachable from it', async () => {
    const pages = await crawl()
    expect([...pages.keys()]).toEqual(
      expect.arrayContaining([
        '/p/demo',
        `/p/demo/workshops/${published.id}?lang=en`,
        '/c/demo?lang=en',
        '/p/demo/participation?lang=en',
        '/p/demo/participation?lang=es',
        '/p/demo/changes?lang=en',
        '/p/demo/changes?lang=es',
        '/c/demo-2022?lang=en',
        '/c/demo-2022/report?lang=en',
      ]),
    )
    const hidden = await db
      .selectFrom('comments')
      .innerJoin('threads', 'threads.id', 'comments.thread_id')
      .select('comments.body')
      .where('threads.process_id', '=', process.id)
      .where('comments.hidden_at', 'is not', null)
      .execute()
    const emails = await db.selectFrom('users').select('email').execute()
    const registrations = await db
      .selectFrom('workshop_registrations')
      .select(['code', 'email'])
      .execute()
    const forbidden = [
      DRAFT_TITLE,
      'DRAFTINTRO',
      'secret-draft',
      'NAMEMARKER',
      'ORGMARKER',
      scheduled.title,
      ...(scheduled.meeting_url ? [scheduled.meeting_url] : []),
      ...hidden.map((c) => c.body.slice(0, 40)),
      ...emails.map((u) => u.email),
      ...registrations.map((r) => `>${r.code}<`),
      ...registrations.flatMap((r) => (r.email ? [r.email] : [])),
    ]
    expect(hidden.length).toBeGreaterThan(0)
    for (const [url, html] of pages) {
      for (const text of forbidden) {
        expect(html.includes(text), `${url} shows ${text}`).toBe(false)
      }
    }
  })

  it('keeps every page of the record and of the consultation within 60 KB of HTML and CSS', async () => {
    const pages = await crawl()
    const css = await t.anonymous.get(
      pages.get('/p/demo')!.match(/href="(\/c\/_assets\/[^"]+)"/)![1]!,
    )
    expect(css.statusCode).toBe(200)
    for (const [url, html] of pages) {
      const bytes = Buffer.byteLength(html) + Buffer.byteLength(css.body)
      expect(bytes, url).toBeLessThan(60 * 1024)
    }
  })
})

describe('the strategy in force on the public record (with cycle14)', () => {
  it('lists the adopted strategy with its downloads and the commitments with their indicators', async () => {
    const html = (await t.anonymous.get('/p/demo')).body
    expect(html).toContain('The strategy in force')
    expect(html).toContain('Implementation')
    const commitments = await db
      .selectFrom('commitments')
      .select(['title', 'status'])
      .where('process_id', '=', process.id)
      .execute()
    expect(commitments.length).toBeGreaterThan(0)
    for (const c of commitments) {
      expect(html).toContain(c.title.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
    }
    const link = /href="(\/p\/demo\/strategy\/[0-9a-f-]{36})\?lang=en"/.exec(html)
    expect(link).not.toBeNull()
    const page = await t.anonymous.get(`${link![1]}?lang=en`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<article class="document">')
    const md = await t.anonymous.get(`${link![1]}?format=md`)
    expect(md.statusCode).toBe(200)
    expect(md.headers['content-type']).toContain('text/markdown')
    expect(md.body.length).toBeGreaterThan(100)
    const docx = await t.anonymous.get(`${link![1]}?format=docx`)
    expect(docx.statusCode).toBe(200)
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK')
    expect((await t.anonymous.get(`${link![1]}?format=exe`)).statusCode).toBe(400)
  })

  it('answers 404 for a version that is not part of the strategy in force', async () => {
    const consulted = await db
      .selectFrom('consultations')
      .select('version_id')
      .where('slug', '=', 'demo')
      .executeTakeFirstOrThrow()
    const unknown = await t.anonymous.get('/p/no-such-process')
    for (const format of ['', '?format=md', '?format=docx']) {
      const response = await t.anonymous.get(`/p/demo/strategy/${consulted.version_id}${format}`)
      expect(response.statusCode, format).toBe(404)
      expect(response.body).toBe(unknown.body)
    }
  })
})

describe('what changed after the consultation (/p/:slug/changes)', () => {
  const secretariat = () =>
    t.as({ id: '', email: DEMO_PEOPLE[0]!.email, password: DEMO_PASSWORD, name: '', isAdmin: true })

  it('is linked from the public home and shows the comparison of the consulted text and the adopted one', async () => {
    const home = (await t.anonymous.get('/p/demo')).body
    expect(home).toContain('href="/p/demo/changes?lang=en"')
    const response = await t.anonymous.get('/p/demo/changes')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('text/html')
    const html = response.body
    expect(html).not.toContain('<script')
    expect(html).toContain('<h1>What changed after the consultation</h1>')
    expect(html).toContain('href="/c/demo-2022?lang=en"')
    expect(html).toContain('Draft for public consultation 2022')
    expect(html).toContain('Adopted text 2022')
    // The same comparison as the API's, section by section.
    const consulted = await db
      .selectFrom('consultations')
      .select('version_id')
      .where('slug', '=', 'demo-2022')
      .executeTakeFirstOrThrow()
    const adopted = /href="\/p\/demo\/strategy\/([0-9a-f-]{36})\?lang=en"/.exec(html)![1]!
    const api = await (
      await secretariat()
    ).get(`/api/versions/${consulted.version_id}/compare?to=${adopted}`)
    expect(api.statusCode, api.body).toBe(200)
    const comparison = api.json() as Comparison
    const { changed, added, removed, moved, renamed, unchanged } = comparison.summary
    expect(html).toContain(
      `${changed} changed, ${added} added, ${removed} removed, ${moved} moved, ${renamed} renamed, ${unchanged} unchanged`,
    )
    expect(changed).toBeGreaterThanOrEqual(3)
    expect(added).toBe(1)
    expect(renamed).toBeGreaterThanOrEqual(1)
    for (const section of comparison.sections.filter((s) => s.isChanged || s.status === 'added')) {
      expect(html).toContain(`<h3>${section.toTitle ?? section.fromTitle}`)
    }
    expect(html).toContain('Renamed from “2.3 Awareness”')
    expect(html).toContain(
      '<h3>3. Follow-up and review <span class="compare-status">added</span></h3>',
    )
    // Word-level: only the words that changed are marked.
    expect(html).toMatch(/<ins title="Inserted">[^<]*rights are protected online[^<]*<\/ins>/)
    expect(html).toContain('<del title="Deleted">put</del><ins title="Inserted">adopted</ins>')
    expect(html).toContain('within 24 hours<ins title="Inserted">,</ins>')
    expect(html).not.toMatch(/<(ins|del)[^>]*>[^<]*A country whose people/)
    // A section whose text did not change is named, without its text.
    expect(html).toContain('2.1 A national CERT for every sector (unchanged)')
    expect(html).not.toContain('answers incidents around the clock')
  })

  it('reads in Spanish with ?lang=es', async () => {
    const html = (await t.anonymous.get('/p/demo/changes?lang=es')).body
    expect(html).toContain('<html lang="es">')
    expect(html).toContain('<h1>Qué cambió después de la consulta</h1>')
    expect(html).toContain('href="/c/demo-2022?lang=es"')
    expect(html).toContain('<ins title="Añadido">')
  })

  it('is the same 404 as an unknown address when the consultation is unpublished', async () => {
    const unknown = await t.anonymous.get('/p/no-such-process')
    await db
      .updateTable('consultations')
      .set({ published_at: null })
      .where('slug', '=', 'demo-2022')
      .execute()
    try {
      const response = await t.anonymous.get('/p/demo/changes')
      expect(response.statusCode).toBe(404)
      expect(response.body).toBe(unknown.body)
      expect((await t.anonymous.get('/p/demo')).body).not.toContain('/p/demo/changes')
    } finally {
      await db
        .updateTable('consultations')
        .set({ published_at: sql<Date>`opens_at` })
        .where('slug', '=', 'demo-2022')
        .execute()
    }
    expect((await t.anonymous.get('/p/demo/changes')).statusCode).toBe(200)
    expect((await t.anonymous.get('/p/no-such-process/changes')).body).toBe(unknown.body)
  })

  it('appears only once a strategy is adopted and its consultation published', async () => {
    const unknown = await t.anonymous.get('/p/no-such-process')
    const w = await makeWorld(t)
    const slug = `changes-${Date.now().toString(36)}`
    const on = await w.owner.put(`/api/processes/${w.process.id}/public-home`, {
      enabled: true,
      slug,
    })
    expect(on.statusCode, on.body).toBe(200)
    const expectNone = async () => {
      const response = await t.anonymous.get(`/p/${slug}/changes`)
      expect(response.statusCode).toBe(404)
      expect(response.body).toBe(unknown.body)
      expect((await t.anonymous.get(`/p/${slug}`)).body).not.toContain(`/p/${slug}/changes`)
    }
    // A consultation, still a draft; no strategy.
    const draft: Consultation = await openConsultation(w.owner, w.process.id, w.documentId, {
      publish: false,
    })
    await expectNone()
    await editDocumentIn(db, w.documentId, (_doc, fragment) => {
      replaceIn(fragment, 'Operators report incidents within 24 hours.', '24', '72')
      return { result: undefined, keep: true }
    })
    const frozen = await w.owner.post(`/api/documents/${w.documentId}/versions`, {
      name: 'Final text',
    })
    expect(frozen.statusCode, frozen.body).toBe(201)
    let timeline = (
      await w.owner.get(`/api/processes/${w.process.id}/stages`)
    ).json() as StageTimeline
    while (timeline.stage !== 'response') {
      const moved = await w.owner.post(`/api/processes/${w.process.id}/stage`, {
        stage: STAGES[STAGES.indexOf(timeline.stage) + 1]!,
      })
      expect(moved.statusCode, moved.body).toBe(200)
      timeline = moved.json() as StageTimeline
    }
    const adopted = await w.owner.post(`/api/processes/${w.process.id}/strategy/adoptions`, {
      versionId: (frozen.json() as Version).id,
      adoptedOn: new Date().toISOString().slice(0, 10),
      instrument: 'Decree 1/2026',
    })
    expect(adopted.statusCode, adopted.body).toBe(201)
    // Adopted, but the consultation is still a draft.
    await expectNone()
    const publish = await w.owner.post(`/api/consultations/${draft.id}/publish`, {})
    expect(publish.statusCode, publish.body).toBe(200)
    expect((await t.anonymous.get(`/p/${slug}`)).body).toContain(
      `href="/p/${slug}/changes?lang=en"`,
    )
    const page = await t.anonymous.get(`/p/${slug}/changes`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('1 changed, 0 added, 0 removed, 0 moved, 0 renamed, 2 unchanged')
    expect(page.body).toMatch(/<del title="Deleted">24<\/del>/)
    expect(page.body).toMatch(/<ins title="Inserted">72<\/ins>/)
    expect(page.body).not.toContain('DRAFTMARKER')
    expect(Buffer.byteLength(page.body)).toBeLessThan(20 * 1024)
  })
})

describe('the public home setting', () => {
  it('is off by default, turned on and off by the secretariat only, with a valid slug', async () => {
    const drafter = await t.factories.createUser()
    const created = await t.factories.createProcess({
      members: [{ user: drafter, role: 'drafter' }],
    })
    const secretariat = await t.as(created.secretariat)
    const other = await t.as(drafter)
    expect((await other.get(`/api/processes/${created.id}/public-home`)).statusCode).toBe(200)
    expect(
      (
        await other.put(`/api/processes/${created.id}/public-home`, {
          enabled: true,
          slug: 'by-drafter',
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await t.anonymous.put(`/api/processes/${created.id}/public-home`, {
          enabled: true,
          slug: 'anon',
        })
      ).statusCode,
    ).toBe(401)
    const before = await secretariat.get(`/api/processes/${created.id}/public-home`)
    expect(before.json()).toEqual({ enabled: false, slug: null, path: null })
    expect(
      (
        await secretariat.put(`/api/processes/${created.id}/public-home`, {
          enabled: true,
          slug: 'Bad Slug',
        })
      ).statusCode,
    ).toBe(400)
    expect(
      (
        await secretariat.put(`/api/processes/${created.id}/public-home`, {
          enabled: true,
          slug: 'demo',
        })
      ).statusCode,
    ).toBe(409)
    const on = await secretariat.put(`/api/processes/${created.id}/public-home`, {
      enabled: true,
      slug: 'my-strategy',
    })
    expect(on.statusCode).toBe(200)
    expect(on.json()).toEqual({ enabled: true, slug: 'my-strategy', path: '/p/my-strategy' })
    expect((await t.anonymous.get('/p/my-strategy')).statusCode).toBe(200)
    const off = await secretariat.put(`/api/processes/${created.id}/public-home`, {
      enabled: false,
      slug: 'my-strategy',
    })
    expect(off.json()).toEqual({ enabled: false, slug: 'my-strategy', path: null })
    expect((await t.anonymous.get('/p/my-strategy')).statusCode).toBe(404)
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('process_id', '=', created.id)
      .where('action', 'like', 'process.public_home%')
      .execute()
    expect(audit.map((a) => a.action).sort()).toEqual([
      'process.public_home_off',
      'process.public_home_on',
    ])
  })
})
