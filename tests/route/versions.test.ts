import JSZip from 'jszip'
import mammoth from 'mammoth'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Section } from '../../shared/api/documents'
import type { Comparison } from '../../shared/api/comparison'
import type { Version } from '../../shared/api/versions'
import { prepareServerEdit } from '../../server/documents/service'
import { updateToProseMirror } from '../../server/render/to-prosemirror'
import { createTestApp, type Client } from '../support/app'
import { makeWorld } from '../support/world'
import { findText } from '../support/threads'

const t = await createTestApp()
const { db, factories } = t

const count = async (table: 'document_versions' | 'audit_log') =>
  (
    await db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
  ).n

// THREAD_DRAFT's words: 1 + 8 + 1 + 7 + 2 + 6.
const THREAD_DRAFT_WORDS = 25

const world = (markdown?: string) => makeWorld(t, markdown)

async function freeze(client: Client, documentId: string, name = 'Consultation draft') {
  const response = await client.post(`/api/documents/${documentId}/versions`, { name })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as Version
}

describe('access', () => {
  it('answers 401 without credentials and changes nothing', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    const before = await count('document_versions')
    const urls = [
      `/api/documents/${w.documentId}/versions`,
      `/api/versions/${version.id}`,
      `/api/versions/${version.id}/export?format=md`,
    ]
    for (const url of urls) {
      expect((await t.anonymous.get(url)).statusCode, url).toBe(401)
    }
    const post = await t.anonymous.post(`/api/documents/${w.documentId}/versions`, { name: 'X' })
    expect(post.statusCode).toBe(401)
    expect(await count('document_versions')).toBe(before)
  })

  it('answers 404 to outsiders and for unknown ids, the same as for a missing version', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    const outsider = await t.as(await factories.createUser({ isAdmin: true }))
    const before = { versions: await count('document_versions'), audit: await count('audit_log') }
    const missing = '00000000-0000-4000-8000-000000000000'
    for (const url of [
      `/api/documents/${w.documentId}/versions`,
      `/api/versions/${version.id}`,
      `/api/versions/${version.id}/export?format=html`,
    ]) {
      const response = await outsider.get(url)
      expect(response.statusCode, url).toBe(404)
      expect(response.json().code).toBe('not_found')
    }
    expect(
      (await outsider.post(`/api/documents/${w.documentId}/versions`, { name: 'Mine' })).statusCode,
    ).toBe(404)
    expect((await w.owner.get(`/api/versions/${missing}`)).json()).toMatchObject({
      statusCode: 404,
      code: 'not_found',
      message: 'Version not found',
    })
    expect((await outsider.get(`/api/versions/${missing}`)).json().message).toBe(
      'Version not found',
    )
    expect((await w.owner.get(`/api/versions/${missing}/export?format=md`)).statusCode).toBe(404)
    expect(
      (await w.owner.post(`/api/documents/${missing}/versions`, { name: 'Nothing' })).statusCode,
    ).toBe(404)
    expect(await count('document_versions')).toBe(before.versions)
    expect(await count('audit_log')).toBe(before.audit)
  })

  it('lets only the secretariat freeze a version, and every member read them', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    const before = await count('document_versions')
    for (const [role, client] of Object.entries(w.people)) {
      const refused = await client.post(`/api/documents/${w.documentId}/versions`, { name: 'Mine' })
      expect(refused.statusCode, role).toBe(403)
      expect(refused.json().code).toBe('forbidden')
      expect((await client.get(`/api/versions/${version.id}`)).json(), role).toEqual(version)
      expect((await client.get(`/api/documents/${w.documentId}/versions`)).json()).toEqual([
        version,
      ])
      expect((await client.get(`/api/versions/${version.id}/export?format=md`)).statusCode).toBe(
        200,
      )
    }
    expect(await count('document_versions')).toBe(before)
  })

  it('refuses a bad name, unknown fields, a malformed id and an unknown format with 400, changing nothing', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    const before = { versions: await count('document_versions'), audit: await count('audit_log') }
    const url = `/api/documents/${w.documentId}/versions`
    for (const body of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(201) },
      { name: 42 },
      { name: 'Fine', number: 7 },
    ]) {
      const response = await w.owner.post(url, body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
      expect(response.json().code).toBe('validation_failed')
    }
    expect((await w.owner.get('/api/versions/not-a-uuid')).statusCode).toBe(400)
    expect((await w.owner.get(`/api/versions/${version.id}/export`)).statusCode).toBe(400)
    expect((await w.owner.get(`/api/versions/${version.id}/export?format=pdf`)).statusCode).toBe(
      400,
    )
    expect(await count('document_versions')).toBe(before.versions)
    expect(await count('audit_log')).toBe(before.audit)
  })

  it('refuses a new version in an archived process and still shows the old ones', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    const archived = await w.owner.post(`/api/processes/${w.process.id}/archive`, {
      archived: true,
    })
    expect(archived.statusCode, archived.body).toBe(200)
    const refused = await w.owner.post(`/api/documents/${w.documentId}/versions`, { name: 'Late' })
    expect(refused.statusCode).toBe(409)
    expect((await w.people.observer.get(`/api/versions/${version.id}`)).statusCode).toBe(200)
  })

  it('hides the versions of a deleted document', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    expect((await w.owner.delete(`/api/documents/${w.documentId}`)).statusCode).toBe(200)
    expect((await w.owner.get(`/api/versions/${version.id}`)).statusCode).toBe(404)
    expect((await w.owner.get(`/api/versions/${version.id}/export?format=md`)).statusCode).toBe(404)
  })
})

describe('freezing', () => {
  it('freezes the stored content with its sections, words and author, and records it', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId, '  Draft for consultation  ')
    const sections = (await w.owner.get(`/api/documents/${w.documentId}/sections`)).json()
    expect(version).toEqual({
      id: expect.any(String),
      number: 1,
      documentId: w.documentId,
      name: 'Draft for consultation',
      createdAt: expect.any(String),
      createdBy: w.process.secretariat.name,
      words: THREAD_DRAFT_WORDS,
      estimatedPages: 1,
      sections,
      sourceVersionId: null,
    })
    expect((sections as Section[]).map((s) => s.title)).toEqual([
      'Vision',
      'Governance',
      'Critical infrastructure',
    ])
    // Read back through another route, and the frozen content is the document's.
    expect((await w.owner.get(`/api/versions/${version.id}`)).json()).toEqual(version)
    const live = await w.owner.get(`/api/documents/${w.documentId}/export?format=md`)
    const frozen = await w.owner.get(`/api/versions/${version.id}/export?format=md`)
    expect(frozen.statusCode).toBe(200)
    expect(frozen.headers['content-type']).toMatch(/^text\/markdown/)
    expect(frozen.headers['content-disposition']).toBe('inline; filename="Strategy-v1.md"')
    expect(frozen.body).toBe(live.body)
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', version.id)
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      process_id: w.process.id,
      actor_id: w.process.secretariat.id,
      action: 'version.created',
      target_type: 'version',
      details: { documentId: w.documentId, number: 1, name: 'Draft for consultation' },
    })
  })

  it('stays exactly as frozen while the live document changes and is renamed', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    const before = {
      md: (await w.owner.get(`/api/versions/${version.id}/export?format=md`)).body,
      json: (await w.owner.get(`/api/versions/${version.id}/export?format=json`)).json(),
      html: (await w.owner.get(`/api/versions/${version.id}/export?format=html`)).body,
    }
    const edit = await prepareServerEdit(db, w.documentId, (doc) => {
      const passage = findText(doc, 'every ministry')
      passage.text.insert(passage.index + 'every '.length, 'single ')
      const heading = findText(doc, 'Governance')
      heading.text.insert(heading.index + 'Governance'.length, ' and oversight')
    })
    await db.transaction().execute((trx) => edit.commit(trx))
    const renamed = await w.owner.patch(`/api/documents/${w.documentId}`, { title: 'Renamed' })
    expect(renamed.statusCode).toBe(200)

    const live = (await w.owner.get(`/api/documents/${w.documentId}/export?format=md`)).body
    expect(live).toContain('coordinates every single ministry.')
    expect(live).toContain('## Governance and oversight')
    const liveSections = (await w.owner.get(`/api/documents/${w.documentId}/sections`)).json()
    expect((liveSections as Section[])[1]!.title).toBe('Governance and oversight')

    expect((await w.owner.get(`/api/versions/${version.id}`)).json()).toEqual(version)
    const md = await w.owner.get(`/api/versions/${version.id}/export?format=md`)
    expect(md.body).toBe(before.md)
    expect(md.body).toContain('coordinates every ministry.')
    expect(md.body).not.toContain('oversight')
    expect((await w.owner.get(`/api/versions/${version.id}/export?format=json`)).json()).toEqual(
      before.json,
    )
    const html = await w.owner.get(`/api/versions/${version.id}/export?format=html`)
    expect(html.body).toBe(before.html)
    expect(html.body).toContain('Strategy — Consultation draft')
    expect(html.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/)
    expect(html.headers['content-disposition']).toBe('inline; filename="Strategy-v1.html"')

    // The stored Yjs state stands alone and holds the frozen content, not the live one.
    const row = await db
      .selectFrom('document_versions')
      .select(['state', 'content'])
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow()
    const fromState = updateToProseMirror(new Uint8Array(row.state))
    expect(fromState.toJSON()).toEqual(row.content)
    expect(row.content).toEqual(before.json)
    const scratch = new Y.Doc()
    Y.applyUpdate(scratch, new Uint8Array(row.state))
    expect(scratch.getXmlFragment('prosemirror').toString()).not.toContain('oversight')
    scratch.destroy()

    // A new version freezes the changed text.
    const second = await freeze(w.owner, w.documentId, 'After the edit')
    expect(second.sections[1]!.title).toBe('Governance and oversight')
    expect(second.words).toBe(THREAD_DRAFT_WORDS + 3)
    expect((await w.owner.get(`/api/versions/${second.id}/export?format=md`)).body).toContain(
      'every single ministry',
    )
  })

  it('counts words and estimates pages at 300 words a page, rounded up', async () => {
    const cases: { markdown: string; words: number; pages: number }[] = [
      // A dash, a percent sign and a bullet alone are not words; a number is.
      { markdown: '# Plan\n\nGoals — 24 % of operators • by 2030.\n', words: 7, pages: 1 },
      { markdown: `# Plan\n\n${'word '.repeat(299)}\n`, words: 300, pages: 1 },
      { markdown: `# Plan\n\n${'word '.repeat(300)}\n`, words: 301, pages: 2 },
      {
        markdown: `# Plan\n\n| A | B |\n| --- | --- |\n| one | two |\n\n- three\n- four\n`,
        words: 7,
        pages: 1,
      },
    ]
    for (const c of cases) {
      const w = await world(c.markdown)
      const version = await freeze(w.owner, w.documentId)
      expect({ words: version.words, pages: version.estimatedPages }, c.markdown).toEqual({
        words: c.words,
        pages: c.pages,
      })
    }
    const process = await factories.createProcess()
    const empty = await factories.createDocument(process.id, process.secretariat, 'Empty')
    const version = await freeze(await t.as(process.secretariat), empty.id)
    expect(version).toMatchObject({ words: 0, estimatedPages: 0, sections: [] })
  })

  it('numbers the versions of each document 1, 2, 3, also when they are made at once', async () => {
    const w = await world()
    const first = await freeze(w.owner, w.documentId, 'One')
    const second = await freeze(w.owner, w.documentId, 'Two')
    const parallel = await Promise.all(
      ['Three', 'Four', 'Five'].map((name) =>
        w.owner.post(`/api/documents/${w.documentId}/versions`, { name }),
      ),
    )
    expect(parallel.map((r) => r.statusCode)).toEqual([201, 201, 201])
    expect([first.number, second.number]).toEqual([1, 2])
    expect(parallel.map((r) => (r.json() as Version).number).sort()).toEqual([3, 4, 5])
    const listed = (
      await w.owner.get(`/api/documents/${w.documentId}/versions`)
    ).json() as Version[]
    expect(listed.map((v) => v.number)).toEqual([1, 2, 3, 4, 5])
    expect(listed[0]).toEqual(first)

    const other = await factories.createDocument(w.process.id, w.process.secretariat, 'Annex')
    expect((await freeze(w.owner, other.id)).number).toBe(1)
    expect((await w.owner.get(`/api/documents/${other.id}/versions`)).json()).toHaveLength(1)
  })

  it('is append-only in the database: UPDATE and DELETE are refused', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    const rowBefore = await db
      .selectFrom('document_versions')
      .selectAll()
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow()
    await expect(
      db
        .updateTable('document_versions')
        .set({ name: 'Rewritten' })
        .where('id', '=', version.id)
        .execute(),
    ).rejects.toThrow(/append-only/)
    await expect(
      db
        .updateTable('document_versions')
        .set({ created_by: null })
        .where('id', '=', version.id)
        .execute(),
    ).rejects.toThrow(/append-only/)
    await expect(
      db.deleteFrom('document_versions').where('id', '=', version.id).execute(),
    ).rejects.toThrow(/append-only/)
    const rowAfter = await db
      .selectFrom('document_versions')
      .selectAll()
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow()
    expect(rowAfter).toEqual(rowBefore)
    expect((await w.owner.get(`/api/versions/${version.id}`)).json()).toEqual(version)
  })

  it('lets a cascade through: hard-deleting the document removes its versions', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    const other = await factories.createDocument(w.process.id, w.process.secretariat, 'Annex')
    const kept = await freeze(w.owner, other.id)
    await db.deleteFrom('documents').where('id', '=', w.documentId).execute()
    const left = await db
      .selectFrom('document_versions')
      .select('id')
      .where('id', 'in', [version.id, kept.id])
      .execute()
    expect(left).toEqual([{ id: kept.id }])
  })
})

describe('comparison', () => {
  const edit = async (documentId: string) => {
    const change = await prepareServerEdit(db, documentId, (doc) => {
      const passage = findText(doc, 'every ministry')
      passage.text.insert(passage.index + 'every '.length, 'single ')
      const heading = findText(doc, 'Critical infrastructure')
      heading.text.insert(0, 'Essential and ')
    })
    await db.transaction().execute((trx) => change.commit(trx))
  }

  it('compares a version with a later one and with the live draft, section by section', async () => {
    const w = await world()
    const first = await freeze(w.owner, w.documentId, 'First')
    await edit(w.documentId)
    const second = await freeze(w.owner, w.documentId, 'Second')

    const response = await w.people.observer.get(
      `/api/versions/${first.id}/compare?to=${second.id}`,
    )
    expect(response.statusCode, response.body).toBe(200)
    const comparison = response.json() as Comparison
    expect(comparison.documentId).toBe(w.documentId)
    expect(comparison.from).toMatchObject({
      versionId: first.id,
      number: 1,
      name: 'First',
      isLive: false,
    })
    expect(comparison.to).toMatchObject({
      versionId: second.id,
      number: 2,
      name: 'Second',
      isLive: false,
    })
    expect(comparison.summary).toEqual({
      changed: 1,
      added: 0,
      removed: 0,
      moved: 0,
      renamed: 1,
      unchanged: 1,
    })
    expect(comparison.sections.map((s) => [s.id, s.status])).toEqual(
      first.sections.map((s, i) => [s.id, ['unchanged', 'changed', 'renamed'][i]]),
    )
    const governance = comparison.sections[1]!
    expect(governance.redline.filter((p) => p.op === 'insert').map((p) => p.text)).toEqual([
      'single ',
    ])
    expect(comparison.sections[2]).toMatchObject({
      fromTitle: 'Critical infrastructure',
      toTitle: 'Essential and Critical infrastructure',
    })

    // The live draft now holds what the second version froze.
    const live = (
      await w.owner.get(`/api/versions/${first.id}/compare?to=live`)
    ).json() as Comparison
    expect(live.to).toEqual({
      versionId: null,
      number: null,
      name: null,
      createdAt: null,
      isLive: true,
    })
    expect(live.sections).toEqual(comparison.sections)
    const same = (
      await w.owner.get(`/api/versions/${second.id}/compare?to=live`)
    ).json() as Comparison
    expect(same.summary).toMatchObject({ changed: 0, renamed: 0, unchanged: 3 })
  })

  it('answers 401, 404 and 400 as the other version routes do, and writes nothing', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    const other = await world()
    const foreign = await freeze(other.owner, other.documentId)
    const annex = await factories.createDocument(w.process.id, w.process.secretariat, 'Annex')
    const annexVersion = await freeze(w.owner, annex.id)
    const outsider = await t.as(await factories.createUser({ isAdmin: true }))
    const before = { versions: await count('document_versions'), audit: await count('audit_log') }
    const url = (to: string, id = version.id) => `/api/versions/${id}/compare?to=${to}`

    expect((await t.anonymous.get(url('live'))).statusCode).toBe(401)
    expect((await outsider.get(url('live'))).statusCode).toBe(404)
    // A version of a process the caller is not in is the same 404 as a missing one.
    const hidden = await w.owner.get(url(foreign.id))
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json().message).toBe('Version not found')
    expect((await w.owner.get(url('00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404)
    const mixed = await w.owner.get(url(annexVersion.id))
    expect(mixed.statusCode).toBe(400)
    expect(mixed.json().code).toBe('validation_failed')
    for (const bad of [
      `/api/versions/${version.id}/compare`,
      url('latest'),
      url('live') + '&extra=1',
      url('live', 'not-a-uuid'),
    ]) {
      const response = await w.owner.get(bad)
      expect(response.statusCode, bad).toBe(400)
      expect(response.json().code).toBe('validation_failed')
    }
    expect(await count('document_versions')).toBe(before.versions)
    expect(await count('audit_log')).toBe(before.audit)
  })

  it('hides the comparison of a deleted document', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    expect((await w.owner.delete(`/api/documents/${w.documentId}`)).statusCode).toBe(200)
    expect((await w.owner.get(`/api/versions/${version.id}/compare?to=live`)).statusCode).toBe(404)
  })
})

const RICH_DRAFT = `# Vision

A **secure** and *resilient* nation, as the [plan](https://www.example.org/plan) says.

## Lines of action

- Train specialists
- Protect hospitals

1. First year
2. Second year

| Year | Budget |
| --- | --- |
| 2027 | 10 million |
`

const asHtml = async (payload: Buffer) => {
  const { value } = await mammoth.convertToHtml({ buffer: payload })
  return value
}
const bodyXml = async (payload: Buffer) =>
  (await JSZip.loadAsync(payload)).file('word/document.xml')!.async('string')

describe('downloads', () => {
  it('downloads a version and the live draft as .docx with headings, lists, tables, emphasis and links', async () => {
    const w = await world(RICH_DRAFT)
    const version = await freeze(w.owner, w.documentId, 'For review')
    const urls = {
      version: `/api/versions/${version.id}/export?format=docx`,
      live: `/api/documents/${w.documentId}/export?format=docx`,
    }
    for (const [which, url] of Object.entries(urls)) {
      const response = await w.people.observer.get(url)
      expect(response.statusCode, which).toBe(200)
      expect(response.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      )
      expect(response.headers['content-disposition']).toBe(
        which === 'version'
          ? 'attachment; filename="Strategy-v1.docx"'
          : 'attachment; filename="Strategy.docx"',
      )
      const html = await asHtml(response.rawPayload)
      expect(html).toContain('<h1>Vision</h1>')
      expect(html).toContain('<h2>Lines of action</h2>')
      expect(html).toContain(
        '<p>A <strong>secure</strong> and <em>resilient</em> nation, as the <a href="https://www.example.org/plan">plan</a> says.</p>',
      )
      expect(html).toContain('<ul><li>Train specialists</li><li>Protect hospitals</li></ul>')
      expect(html).toContain('<ol><li>First year</li><li>Second year</li></ol>')
      expect(html).toContain(
        '<table><thead><tr><th><p>Year</p></th><th><p>Budget</p></th></tr></thead><tbody><tr><td><p>2027</p></td><td><p>10 million</p></td></tr></tbody></table>',
      )
      // The text read back is the draft's, word for word.
      const { value: text } = await mammoth.extractRawText({ buffer: response.rawPayload })
      const words = (s: string) => s.split(/\s+/).filter((x) => x !== '')
      expect(words(text)).toEqual([
        ...words(which === 'version' ? 'Strategy — For review' : 'Strategy'),
        ...words(
          'Vision A secure and resilient nation, as the plan says. Lines of action Train specialists Protect hospitals First year Second year Year Budget 2027 10 million',
        ),
      ])
    }
  })

  it('downloads a comparison as .docx, insertions and deletions as tracked changes', async () => {
    const w = await world()
    const first = await freeze(w.owner, w.documentId, 'First')
    const change = await prepareServerEdit(db, w.documentId, (doc) => {
      const passage = findText(doc, 'every ministry')
      passage.text.delete(passage.index + 'every '.length, 'ministry'.length)
      passage.text.insert(passage.index + 'every '.length, 'public body')
    })
    await db.transaction().execute((trx) => change.commit(trx))
    const before = await count('audit_log')

    const response = await w.people.stakeholder.get(
      `/api/versions/${first.id}/compare/export?to=live&format=docx`,
    )
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="Strategy-v1-live-comparison.docx"',
    )
    const xml = await bodyXml(response.rawPayload)
    expect(xml).toMatch(
      /<w:del [^>]*w:author="Concord comparison"[^>]*>.*?<w:delText[^>]*>ministry<\/w:delText>/,
    )
    expect(xml).toMatch(/<w:ins [^>]*>.*?<w:t[^>]*>public body<\/w:t>/)
    const html = await asHtml(response.rawPayload)
    expect(html).toContain('Comparison: version 1 (First) → the live draft')
    expect(html).toContain('Sections changed: 1 · added: 0 · removed: 0')
    expect(html).toContain('<h2>Governance</h2>')
    // mammoth reads a document with its tracked changes accepted: the new words, not the old.
    expect(html).toContain('The national cybersecurity council coordinates every public body.')
    expect(html).not.toContain('every ministry')

    expect(await count('audit_log')).toBe(before)

    // In the reader's language.
    const reader = await factories.createUser()
    await db.updateTable('users').set({ locale: 'es' }).where('id', '=', reader.id).execute()
    await db
      .insertInto('memberships')
      .values({
        process_id: w.process.id,
        user_id: reader.id,
        role: 'observer',
        stakeholder_group: 'academia',
      })
      .execute()
    const spanish = await (
      await t.as(reader)
    ).get(`/api/versions/${first.id}/compare/export?to=live&format=docx`)
    const spanishHtml = await asHtml(spanish.rawPayload)
    expect(spanishHtml).toContain('Comparación: versión 1 (First) → el borrador en curso')
    expect(spanishHtml).toContain('Secciones modificadas: 1')
  })

  it('refuses a comparison download in another format, of another document or for outsiders', async () => {
    const w = await world()
    const version = await freeze(w.owner, w.documentId)
    const annex = await factories.createDocument(w.process.id, w.process.secretariat, 'Annex')
    const annexVersion = await freeze(w.owner, annex.id)
    const url = `/api/versions/${version.id}/compare/export`
    expect((await w.owner.get(`${url}?to=live&format=html`)).statusCode).toBe(400)
    expect((await w.owner.get(`${url}?to=live`)).statusCode).toBe(400)
    expect((await w.owner.get(`${url}?to=${annexVersion.id}&format=docx`)).statusCode).toBe(400)
    expect((await t.anonymous.get(`${url}?to=live&format=docx`)).statusCode).toBe(401)
    const outsider = await t.as(await factories.createUser())
    expect((await outsider.get(`${url}?to=live&format=docx`)).statusCode).toBe(404)
  })
})
