import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Section } from '../../shared/api/documents'
import type { DocumentSummary } from '../../shared/api/processes'
import type { AlignedSection, Alignment, TranslationList } from '../../shared/api/translations'
import type { Version } from '../../shared/api/versions'
import { prepareServerEdit } from '../../server/documents/service'
import { PROSEMIRROR_FRAGMENT } from '../../server/render/to-prosemirror'
import { createTestApp, type Client } from '../support/app'
import { findText, sectionId } from '../support/threads'
import { makeWorld, type World } from '../support/world'

// One strategy in several languages (issue 16, items 1 and 3): a translation is a document of
// its own whose sections are aligned with the source's by section id; a section whose source
// changed since it was brought up to date is stale, with the source's redline, until a
// translator marks it up to date; sections added or removed on one side show on the other.
const t = await createTestApp()
const { db } = t

const countDocuments = async () =>
  (
    await db
      .selectFrom('documents')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
  ).n

async function translate(w: World, body: object = { language: 'es', title: 'Estrategia' }) {
  const response = await w.owner.post(`/api/documents/${w.documentId}/translations`, body)
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as DocumentSummary
}

async function alignment(client: Client, documentId: string) {
  const response = await client.get(`/api/documents/${documentId}/alignment`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as Alignment
}

async function sections(client: Client, documentId: string) {
  return (await client.get(`/api/documents/${documentId}/sections`)).json() as Section[]
}

/** Edits a document's stored state as a collaborator would, and commits it. */
async function edit(documentId: string, change: (doc: Y.Doc, fragment: Y.XmlFragment) => void) {
  const prepared = await prepareServerEdit(db, documentId, (doc) =>
    change(doc, doc.getXmlFragment(PROSEMIRROR_FRAGMENT)),
  )
  await db.transaction().execute((trx) => prepared.commit(trx))
}

/** A heading with its section id and a paragraph, as the editor writes them. */
function sectionBlocks(id: string, title: string, text: string): Y.XmlElement[] {
  const heading = new Y.XmlElement('heading')
  heading.setAttribute('level', 2 as unknown as string)
  heading.setAttribute('sectionId', id)
  heading.insert(0, [new Y.XmlText(title)])
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  return [heading, paragraph]
}

/** The index of the top-level block that is the heading of section `id`. */
function headingIndex(fragment: Y.XmlFragment, id: string): number {
  return fragment
    .toArray()
    .findIndex((b) => b instanceof Y.XmlElement && b.getAttribute('sectionId') === id)
}

const statusOf = (a: Alignment) =>
  Object.fromEntries(a.sections.map((s) => [s.sourceTitle ?? s.title, s.status]))

describe('making a translation', () => {
  it('copies the source with its section ids, into a language of the process, every section up to date', async () => {
    const w = await makeWorld(t)
    const es = await translate(w)
    expect(es).toMatchObject({
      title: 'Estrategia',
      language: 'es',
      translationOf: w.documentId,
      processId: w.process.id,
    })
    const source = await sections(w.owner, w.documentId)
    expect((await sections(w.owner, es.id)).map((s) => [s.id, s.title])).toEqual(
      source.map((s) => [s.id, s.title]),
    )
    const aligned = await alignment(w.people.observer, es.id)
    expect(aligned).toMatchObject({
      documentId: es.id,
      language: 'es',
      sourceDocumentId: w.documentId,
      sourceLanguage: 'en',
      counts: { aligned: 3, stale: 0, missing: 0, removed: 0 },
    })
    expect(aligned.sections.map((s) => s.sectionId)).toEqual(source.map((s) => s.id))
    const list = (
      await w.people.stakeholder.get(`/api/documents/${es.id}/translations`)
    ).json() as TranslationList
    expect(list).toEqual({
      sourceDocumentId: w.documentId,
      languages: [
        {
          documentId: w.documentId,
          title: 'Strategy',
          language: 'en',
          isSource: true,
          staleCount: 0,
          missingCount: 0,
          removedCount: 0,
        },
        {
          documentId: es.id,
          title: 'Estrategia',
          language: 'es',
          isSource: false,
          staleCount: 0,
          missingCount: 0,
          removedCount: 0,
        },
      ],
    })
    const listed = (
      await w.owner.get(`/api/processes/${w.process.id}/documents`)
    ).json() as DocumentSummary[]
    expect(listed.find((d) => d.id === es.id)).toMatchObject({
      language: 'es',
      translationOf: w.documentId,
    })
    const audit = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'document.translation_created')
      .where('target_id', '=', es.id)
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('refuses other languages, a second translation, a translation of a translation and the wrong roles, changing nothing', async () => {
    const w = await makeWorld(t)
    const es = await translate(w)
    const before = await countDocuments()
    const refusals: [Client, object, number, string][] = [
      [w.owner, { language: 'en' }, 400, 'validation_failed'],
      [w.owner, { language: 'fr' }, 400, 'validation_failed'],
      [w.owner, { language: 'xx' }, 400, 'validation_failed'],
      [w.owner, { language: 'es', extra: 1 }, 400, 'validation_failed'],
      [w.owner, { language: 'es', title: '   ' }, 400, 'validation_failed'],
      [w.owner, { language: 'es' }, 409, 'conflict'],
      [w.people.drafter, { language: 'es' }, 403, 'forbidden'],
      [w.people.observer, { language: 'es' }, 403, 'forbidden'],
    ]
    for (const [client, body, status, code] of refusals) {
      const response = await client.post(`/api/documents/${w.documentId}/translations`, body)
      expect(response.statusCode, JSON.stringify(body)).toBe(status)
      expect(response.json().code).toBe(code)
    }
    const again = await w.owner.post(`/api/documents/${es.id}/translations`, { language: 'en' })
    expect(again.statusCode).toBe(409)
    expect((await w.owner.get(`/api/documents/${w.documentId}/alignment`)).statusCode).toBe(409)
    const outsider = await t.as(await t.factories.createUser())
    expect((await outsider.get(`/api/documents/${es.id}/alignment`)).statusCode).toBe(404)
    expect((await t.anonymous.get(`/api/documents/${es.id}/alignment`)).statusCode).toBe(401)
    expect(await countDocuments()).toBe(before)
  })

  it('makes exactly one translation per language under parallel requests', async () => {
    const w = await makeWorld(t)
    const before = await countDocuments()
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        w.owner.post(`/api/documents/${w.documentId}/translations`, { language: 'es' }),
      ),
    )
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409])
    expect(await countDocuments()).toBe(before + 1)
  })
})

describe('stale sections', () => {
  it('a source change makes just that section stale, with the source’s redline, until a translator marks it up to date', async () => {
    const w = await makeWorld(t)
    const es = await translate(w)
    const governance = sectionId(await sections(w.owner, w.documentId), 'Governance')
    // The translator's own edits never make anything stale.
    await edit(es.id, (doc) => {
      const found = findText(doc, 'The national cybersecurity council')
      found.text.delete(found.index, 'The national cybersecurity council'.length)
      found.text.insert(found.index, 'El consejo nacional de ciberseguridad')
    })
    expect((await alignment(w.owner, es.id)).counts).toMatchObject({ aligned: 3, stale: 0 })

    await edit(w.documentId, (doc) => {
      const found = findText(doc, 'every ministry')
      found.text.insert(found.index + 'every '.length, 'single ')
    })
    const stale = await alignment(w.owner, es.id)
    expect(statusOf(stale)).toEqual({
      Vision: 'aligned',
      Governance: 'stale',
      'Critical infrastructure': 'aligned',
    })
    const section = stale.sections.find((s) => s.sectionId === governance)!
    expect(
      section.sourceRedline.filter((p) => p.op === 'insert').map((p) => p.text.trim()),
    ).toEqual(['single'])
    expect(section.sourceRedline.filter((p) => p.op === 'delete')).toEqual([])
    const list = (
      await w.owner.get(`/api/documents/${w.documentId}/translations`)
    ).json() as TranslationList
    expect(list.languages[1]).toMatchObject({ staleCount: 1 })

    // Observers read but do not mark; a drafter does.
    expect(
      (await w.people.observer.post(`/api/documents/${es.id}/sections/${governance}/up-to-date`))
        .statusCode,
    ).toBe(403)
    const marked = await w.people.drafter.post(
      `/api/documents/${es.id}/sections/${governance}/up-to-date`,
    )
    expect(marked.statusCode, marked.body).toBe(200)
    expect(marked.json() as AlignedSection).toMatchObject({
      sectionId: governance,
      status: 'aligned',
      sourceRedline: [],
    })
    expect((marked.json() as AlignedSection).upToDateBy).toBeTruthy()
    expect((await alignment(w.owner, es.id)).counts).toMatchObject({ aligned: 3, stale: 0 })

    // A rename of the source heading alone is a change too.
    await edit(w.documentId, (doc) => {
      const found = findText(doc, 'Governance')
      found.text.insert(found.index + 'Governance'.length, ' and oversight')
    })
    expect(statusOf(await alignment(w.owner, es.id))['Governance and oversight']).toBe('stale')
  })

  it('refuses to mark a section that one side does not have, and malformed section ids', async () => {
    const w = await makeWorld(t)
    const es = await translate(w)
    expect(
      (await w.owner.post(`/api/documents/${es.id}/sections/nosuchsect/up-to-date`)).statusCode,
    ).toBe(409)
    expect(
      (
        await w.owner.post(
          `/api/documents/${es.id}/sections/${encodeURIComponent('<b>')}/up-to-date`,
        )
      ).statusCode,
    ).toBe(400)
    expect(
      (await w.owner.post(`/api/documents/${w.documentId}/sections/nosuchsect/up-to-date`))
        .statusCode,
    ).toBe(409)
  })
})

describe('structure on both sides', () => {
  it('sections added, removed and moved on either side, at once, show as missing here or removed there, and a missing one is brought over in place', async () => {
    const w = await makeWorld(t)
    const es = await translate(w)
    const ids = await sections(w.owner, w.documentId)
    const vision = sectionId(ids, 'Vision')
    const governance = sectionId(ids, 'Governance')
    const infrastructure = sectionId(ids, 'Critical infrastructure')

    // At the same time: the source gains a section after Governance and moves Vision to the end;
    // the translation loses Critical infrastructure and gains a section of its own.
    await Promise.all([
      edit(w.documentId, (_doc, fragment) => {
        fragment.insert(
          headingIndex(fragment, infrastructure),
          sectionBlocks('skillsXXXX', 'Skills', 'Train ten thousand people.'),
        )
        const start = headingIndex(fragment, vision)
        const end = headingIndex(fragment, governance)
        const moved = fragment.slice(start, end).map((b) => (b as Y.XmlElement).clone())
        fragment.delete(start, end - start)
        fragment.push(moved)
      }),
      edit(es.id, (_doc, fragment) => {
        const start = headingIndex(fragment, infrastructure)
        fragment.delete(start, fragment.length - start)
        fragment.push(sectionBlocks('glossaryXX', 'Glosario', 'Términos.'))
      }),
    ])
    const a = await alignment(w.owner, es.id)
    expect(a.sections.map((s) => [s.sectionId, s.status])).toEqual([
      [governance, 'aligned'],
      ['skillsXXXX', 'missing'],
      [infrastructure, 'missing'],
      [vision, 'aligned'],
      ['glossaryXX', 'removed'],
    ])
    expect(a.counts).toEqual({ aligned: 2, stale: 0, missing: 2, removed: 1 })

    const brought = await w.people.drafter.post(`/api/documents/${es.id}/sections/skillsXXXX/bring`)
    expect(brought.statusCode, brought.body).toBe(200)
    expect(brought.json()).toMatchObject({
      sectionId: 'skillsXXXX',
      status: 'aligned',
      title: 'Skills',
    })
    // In place: after Governance, the nearest section before it that both have.
    const after = (await sections(w.owner, es.id)).map((s) => s.id)
    expect(after.indexOf('skillsXXXX')).toBe(after.indexOf(governance) + 1)
    expect(
      (await w.owner.post(`/api/documents/${es.id}/sections/skillsXXXX/bring`)).statusCode,
    ).toBe(409)
    expect(
      (await w.owner.post(`/api/documents/${es.id}/sections/nosuchsect/bring`)).statusCode,
    ).toBe(409)
    expect(
      (await w.people.stakeholder.post(`/api/documents/${es.id}/sections/${infrastructure}/bring`))
        .statusCode,
    ).toBe(403)
    const md = (await w.owner.get(`/api/documents/${es.id}/export?format=md`)).body
    expect(md).toContain('Train ten thousand people.')
    expect((await alignment(w.owner, es.id)).counts).toEqual({
      aligned: 3,
      stale: 0,
      missing: 1,
      removed: 1,
    })
  })
})

describe('versions in every language (item 5)', () => {
  it('naming a version of the source freezes each translation with it, under the same name', async () => {
    const w = await makeWorld(t)
    const es = await translate(w)
    await edit(es.id, (doc) => {
      const found = findText(doc, 'Operators report incidents within 24 hours.')
      found.text.delete(found.index, 'Operators report incidents within 24 hours.'.length)
      found.text.insert(found.index, 'Los operadores notifican los incidentes en 24 horas.')
    })
    const named = await w.owner.post(`/api/documents/${w.documentId}/versions`, {
      name: 'Draft for consultation',
    })
    expect(named.statusCode, named.body).toBe(201)
    const source = named.json() as Version
    expect(source.sourceVersionId).toBeNull()
    const versions = (await w.owner.get(`/api/documents/${es.id}/versions`)).json() as Version[]
    expect(versions).toHaveLength(1)
    expect(versions[0]).toMatchObject({
      name: 'Draft for consultation',
      number: 1,
      documentId: es.id,
      sourceVersionId: source.id,
    })
    const frozen = (await w.owner.get(`/api/versions/${versions[0]!.id}/export?format=md`)).body
    expect(frozen).toContain('Los operadores notifican los incidentes en 24 horas.')

    // A version of the translation alone is its own.
    const alone = await w.owner.post(`/api/documents/${es.id}/versions`, { name: 'Revisión' })
    expect(alone.statusCode).toBe(201)
    expect(alone.json()).toMatchObject({ number: 2, sourceVersionId: null })
    expect(
      ((await w.owner.get(`/api/documents/${w.documentId}/versions`)).json() as Version[]).length,
    ).toBe(1)
  })
})

describe('threads in every language (item 4)', () => {
  it('a thread on either language shows on the aligned section of both, labelled with its language, and counts once', async () => {
    const w = await makeWorld(t)
    const es = await translate(w)
    const governance = sectionId(await sections(w.owner, w.documentId), 'Governance')
    const post = async (documentId: string, body: string) => {
      const response = await w.people.stakeholder.post(`/api/documents/${documentId}/threads`, {
        sectionId: governance,
        kind: 'comment',
        body,
      })
      expect(response.statusCode, response.body).toBe(201)
      return (response.json() as { id: string }).id
    }
    const inSpanish = await post(es.id, 'El consejo debe incluir a la sociedad civil.')
    const inEnglish = await post(w.documentId, 'The council should include civil society.')
    type Page = {
      items: {
        id: string
        documentId: string
        documentLanguage: string | null
        sectionId: string
      }[]
      total: number
    }
    const listed = async (documentId: string) =>
      (
        await w.owner.get(
          `/api/processes/${w.process.id}/threads?document=${documentId}&section=${governance}`,
        )
      ).json() as Page
    for (const documentId of [w.documentId, es.id]) {
      const page = await listed(documentId)
      expect(page.total).toBe(2)
      expect(Object.fromEntries(page.items.map((i) => [i.id, i.documentLanguage]))).toEqual({
        [inSpanish]: 'es',
        [inEnglish]: null,
      })
    }
    // The process's list and the section counts treat each thread once.
    const all = (await w.owner.get(`/api/processes/${w.process.id}/threads`)).json() as Page
    expect(all.items.filter((i) => i.id === inSpanish || i.id === inEnglish)).toHaveLength(2)
    for (const documentId of [w.documentId, es.id]) {
      const counts = (await w.owner.get(`/api/documents/${documentId}/thread-counts`)).json() as {
        sectionId: string
        open: number
      }[]
      expect(counts.find((c) => c.sectionId === governance)?.open).toBe(2)
    }
  })
})
