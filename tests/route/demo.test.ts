import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from '../../server/demo/seed'
import { createTestApp } from '../support/app'
import { publicCommitments, publicStrategy } from '../../server/adoption/public'
import { EARLIER_TITLE } from '../../server/demo/earlier-cycle'
import { DRAFT_EN_TITLE, DRAFT_ES_TITLE } from '../../server/demo/strategy-drafts'
import type { Alignment } from '../../shared/api/translations'
import type { Comparison } from '../../shared/api/comparison'
import type { Version } from '../../shared/api/versions'

const t = await createTestApp()
const { db } = t

/** Columns that say when something is due or ends, which may rightly lie ahead. */
const FUTURE_MEANT = new Set([
  'closes_at',
  'closes_after',
  'expires_at',
  'verify_expires_at',
  'opens_at',
])
// The demo's scheduled workshop is meant to lie ahead; only its times may.
const FUTURE_EVENTS = new Set(['workshops.starts_at', 'workshops.ends_at'])

describe('the demo on first start (issue 15)', () => {
  it('seeds once', async () => {
    expect(await seedDemo(db)).toBe(true)
  })

  it('gives the secretariat an English account, so the interface does not switch language after sign-in', async () => {
    const secretariat = DEMO_PEOPLE[0]!
    const client = await t.as({
      id: '',
      email: secretariat.email,
      password: DEMO_PASSWORD,
      name: '',
      isAdmin: true,
    })
    const session = (await client.get('/api/auth/session')).json()
    expect(session.user.locale).toBe('en')
  })

  it('dates nothing in the future: no comment reads "in 8 minutes"', async () => {
    const columns = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type = 'timestamp with time zone'
      order by table_name, column_name`.execute(db)
    const checked: string[] = []
    const future: string[] = []
    for (const { table_name: table, column_name: column } of columns.rows) {
      if (FUTURE_MEANT.has(column) || FUTURE_EVENTS.has(`${table}.${column}`)) {
        continue
      }
      const row = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)} > now()`.execute(
        db,
      )
      checked.push(`${table}.${column}`)
      if (row.rows[0]!.n > 0) {
        future.push(`${table}.${column}: ${row.rows[0]!.n}`)
      }
    }
    expect(checked).toContain('consultation_submissions.created_at')
    expect(future).toEqual([])
  })
  it('has the earlier cycle’s strategy in force, with commitments in each status and indicators, and keeps its consultation open', async () => {
    const process = await db
      .selectFrom('processes')
      .select(['id', 'stage'])
      .where('title', 'like', '%demo%')
      .executeTakeFirstOrThrow()
    expect(process.stage).toBe('public-consultation')
    const strategy = await publicStrategy(db, process.id)
    expect(strategy).toMatchObject({
      instrument: 'Decree 417 of 2022',
      versionName: 'Adopted text 2022',
    })
    expect(strategy!.texts[0]!.title).toBe(EARLIER_TITLE)
    const commitments = await publicCommitments(db, process.id)
    expect(new Set(commitments.map((c) => c.status))).toEqual(
      new Set(['planned', 'in-progress', 'done', 'dropped']),
    )
    expect(commitments.find((c) => c.status === 'dropped')!.droppedReason).not.toBe('')
    const measured = commitments.flatMap((c) => c.indicators).filter((i) => i.latest !== null)
    expect(measured.length).toBeGreaterThanOrEqual(2)
    expect(commitments.every((c) => c.organisation !== '' && c.updates.length > 0)).toBe(true)
    const stages = await db
      .selectFrom('process_stage_changes')
      .select(['from_stage', 'to_stage'])
      .where('process_id', '=', process.id)
      .orderBy('created_at')
      .execute()
    expect(stages.map((s) => s.to_stage)).toEqual([
      'stakeholder-review',
      'public-consultation',
      'response',
      'adopted',
      'implementation-review',
      'drafting',
      'stakeholder-review',
      'public-consultation',
    ])
  })

  const secretariat = () =>
    t.as({ id: '', email: DEMO_PEOPLE[0]!.email, password: DEMO_PASSWORD, name: '', isAdmin: true })
  const documentOf = async (title: string) =>
    (
      await db
        .selectFrom('documents')
        .select('id')
        .where('title', '=', title)
        .executeTakeFirstOrThrow()
    ).id

  it('has several named versions of the draft, and a comparison of two of them worth reading (issue 14, item 9)', async () => {
    const client = await secretariat()
    const response = await client.get(`/api/documents/${await documentOf(DRAFT_EN_TITLE)}/versions`)
    expect(response.statusCode, response.body).toBe(200)
    const versions = response.json() as Version[]
    expect(versions.map((v) => v.name)).toEqual(
      expect.arrayContaining([
        'Zero draft',
        'Draft for stakeholder review',
        'Draft for public consultation',
      ]),
    )
    const zero = versions.find((v) => v.name === 'Zero draft')!
    const review = versions.find((v) => v.name === 'Draft for stakeholder review')!
    const compared = await client.get(`/api/versions/${zero.id}/compare?to=${review.id}`)
    expect(compared.statusCode, compared.body).toBe(200)
    const comparison = compared.json() as Comparison
    expect(comparison.summary.changed).toBeGreaterThanOrEqual(2)
    expect(comparison.summary.added).toBeGreaterThanOrEqual(1)
    expect(comparison.summary.renamed).toBeGreaterThanOrEqual(1)
    const parts = comparison.sections.flatMap((s) => s.redline)
    expect(parts.some((p) => p.op === 'insert' && p.text.includes('three'))).toBe(true)
    expect(parts.some((p) => p.op === 'delete' && p.text.includes('two'))).toBe(true)
    expect(comparison.sections.find((s) => s.isRenamed)!.toTitle).toBe(
      '5. Governance, implementation and review',
    )
  })

  it('has a past consultation of the earlier cycle at its own slug, closed, with every comment answered', async () => {
    const past = await db
      .selectFrom('consultations')
      .selectAll()
      .where('slug', '=', 'demo-2022')
      .executeTakeFirstOrThrow()
    expect(new Date(past.closes_at).getTime()).toBeLessThan(Date.now())
    expect(past.published_at).not.toBeNull()
    const threads = await db
      .selectFrom('consultation_submissions')
      .innerJoin('threads', 'threads.id', 'consultation_submissions.thread_id')
      .select([
        'threads.disposition',
        'threads.answer',
        'consultation_submissions.stakeholder_group',
      ])
      .where('consultation_submissions.consultation_id', '=', past.id)
      .execute()
    expect(threads.length).toBeGreaterThanOrEqual(5)
    expect(new Set(threads.map((r) => r.stakeholder_group)).size).toBeGreaterThanOrEqual(3)
    expect(threads.every((r) => r.disposition !== null && (r.answer ?? '') !== '')).toBe(true)
    expect(new Set(threads.map((r) => r.disposition)).size).toBeGreaterThanOrEqual(4)
    const page = await t.anonymous.get('/c/demo-2022')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Closed')
    const report = await t.anonymous.get('/c/demo-2022/report')
    expect(report.statusCode).toBe(200)
    for (const row of threads) {
      expect(report.body).toContain(row.answer!.replace(/&/g, '&amp;').slice(0, 60))
    }
    // Its version is not the adopted one, and the public record shows what changed between them.
    const strategy = await publicStrategy(db, past.process_id)
    expect(strategy!.versionId).not.toBe(past.version_id)
    const changes = await t.anonymous.get('/p/demo/changes')
    expect(changes.statusCode).toBe(200)
    expect(changes.body).toContain('<ins')
    expect(changes.body).toContain('<del')
    const home = await t.anonymous.get('/p/demo')
    expect(home.body).toContain('href="/c/demo-2022?lang=en"')
    expect(home.body).toContain('href="/c/demo-2022/report?lang=en"')
  })
})

describe('the demo in two languages (issue 16, item 7)', () => {
  it('has the Spanish draft as the English one’s translation, aligned section by section, behind the review draft where it changed', async () => {
    const secretariat = DEMO_PEOPLE[0]!
    const client = await t.as({ id: '', email: secretariat.email, password: DEMO_PASSWORD, name: '', isAdmin: true })
    const spanish = await db
      .selectFrom('documents')
      .select(['id', 'language', 'source_document_id'])
      .where('title', '=', DRAFT_ES_TITLE)
      .executeTakeFirstOrThrow()
    expect(spanish.language).toBe('es')
    const english = await db.selectFrom('documents').select('id').where('title', '=', DRAFT_EN_TITLE).executeTakeFirstOrThrow()
    expect(spanish.source_document_id).toBe(english.id)
    const alignment = (await client.get(`/api/documents/${spanish.id}/alignment`)).json() as Alignment
    // Translated from the zero draft: the review draft's changes show where they were made.
    const changed = alignment.sections
      .filter((s) => s.status !== 'aligned')
      .map((s) => ({
        title: s.sourceTitle,
        status: s.status,
        then: s.sourceTitleThen,
        changes: s.sourceRedline.filter((p) => p.op !== 'equal').map((p) => `${p.op}:${p.text.trim()}`),
      }))
    expect(changed).toEqual([
      { title: 'Introduction', status: 'stale', then: 'Introduction', changes: ['delete:two', 'insert:three'] },
      { title: '1. Vision', status: 'stale', then: '1. Vision', changes: ['insert:,', 'insert:and every community,'] },
      { title: '4.7 Protecting children and young people online', status: 'missing', then: null, changes: [] },
      { title: '5. Governance, implementation and review', status: 'stale', then: '5. Governance and implementation', changes: [] },
    ])
    expect(alignment.counts).toEqual({ aligned: 11, stale: 3, missing: 1, removed: 0 })
    expect(alignment.sections.find((s) => s.sourceTitle === '4.3 Incident response and the National CERT')!.title).toBe(
      '4.3 Respuesta a incidentes y CERT Nacional',
    )
  })
})
