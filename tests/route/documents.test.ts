import JSZip from 'jszip'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { IMPORT_LIMITS } from '../../shared/api/documents'
import { can, type Action } from '../../shared/domain/permissions'
import { ROLES, type Role } from '../../shared/domain/roles'
import { parseHTML } from 'linkedom'
import { Node } from 'prosemirror-model'
import { schema } from '../../shared/schema'
import { seedDemo } from '../../server/demo/seed'
import { createTestApp, type Client } from '../support/app'
import { buildDocx } from '../support/docx'
import type { TestUser } from '../support/factories'

const t = await createTestApp()
const { db, factories } = t

const count = async (table: 'documents' | 'doc_updates' | 'audit_log') =>
  (
    await db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
  ).n

const liveDocuments = async () =>
  (
    await db
      .selectFrom('documents')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow()
  ).n

const auditActions = async (documentId: string) =>
  (
    await db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', documentId)
      .orderBy('id')
      .execute()
  ).map((r) => r.action)

const MARKDOWN = `# Estrategia Nacional de Ciberseguridad

Introducción con un [enlace](https://www.example.org/) y **negrita**.

## 1. Visión

Un país seguro.

## 2. Líneas de acción

### 2.1 Gobernanza

- Crear el Consejo
- Publicar el plan

| Indicador | Meta |
| --- | --- |
| Incidentes | 30 % |
`

async function importMarkdown(
  client: Client,
  processId: string,
  content = MARKDOWN,
  title = 'Borrador',
) {
  return client.post(`/api/processes/${processId}/documents/import`, {
    title,
    format: 'markdown',
    content,
  })
}

async function processWithDocument(members: { user: TestUser; role: Role }[] = []) {
  const process = await factories.createProcess({ members })
  const owner = await t.as(process.secretariat)
  const imported = await importMarkdown(owner, process.id)
  expect(imported.statusCode, imported.body).toBe(201)
  return { process, owner, documentId: imported.json().id as string }
}

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  url: (documentId: string) => string
  body?: object
  action: Action
}

// Every document-id route with the action its guard checks; DELETE goes last because it ends the document.
const ROUTES: RouteCase[] = [
  { method: 'GET', url: (id) => `/api/documents/${id}`, action: 'documents.read' },
  { method: 'GET', url: (id) => `/api/documents/${id}/sections`, action: 'documents.read' },
  {
    method: 'GET',
    url: (id) => `/api/documents/${id}/export?format=html`,
    action: 'documents.read',
  },
  { method: 'GET', url: (id) => `/api/documents/${id}/export?format=md`, action: 'documents.read' },
  {
    method: 'GET',
    url: (id) => `/api/documents/${id}/export?format=json`,
    action: 'documents.read',
  },
  {
    method: 'PATCH',
    url: (id) => `/api/documents/${id}`,
    body: { title: 'Renamed' },
    action: 'documents.manage',
  },
  { method: 'DELETE', url: (id) => `/api/documents/${id}`, action: 'documents.manage' },
]

type Sender = Pick<Client, 'get' | 'post' | 'patch' | 'delete'>

function send(client: Sender, route: RouteCase, documentId: string) {
  const url = route.url(documentId)
  switch (route.method) {
    case 'GET':
      return client.get(url)
    case 'DELETE':
      return client.delete(url)
    case 'POST':
      return client.post(url, route.body)
    case 'PATCH':
      return client.patch(url, route.body)
  }
}

describe('document routes: who may do what', () => {
  it.each(ROLES.filter((r) => r !== 'secretariat'))(
    'gives a %s exactly what the permissions table allows',
    async (role) => {
      const member = await factories.createUser()
      const { documentId } = await processWithDocument([{ user: member, role }])
      const client = await t.as(member)
      for (const route of ROUTES) {
        const response = await send(client, route, documentId)
        const label = `${role} ${route.method} ${route.url(documentId)}`
        if (can(role, route.action)) {
          expect(response.statusCode, `${label}: ${response.body}`).toBe(200)
        } else {
          expect(response.statusCode, label).toBe(403)
          expect(response.json().code).toBe('forbidden')
        }
      }
    },
  )

  it('lets the secretariat do everything, and import and create through the process routes', async () => {
    const { process, owner, documentId } = await processWithDocument()
    for (const route of ROUTES) {
      expect(
        (await send(owner, route, documentId)).statusCode,
        `${route.method} ${route.url(documentId)}`,
      ).toBe(200)
    }
    expect((await importMarkdown(owner, process.id)).statusCode).toBe(201)
  })

  it('refuses imports to roles without documents.create', async () => {
    const drafter = await factories.createUser()
    const process = await factories.createProcess({ members: [{ user: drafter, role: 'drafter' }] })
    const before = await count('documents')
    const response = await importMarkdown(await t.as(drafter), process.id)
    expect(response.statusCode).toBe(403)
    expect(await count('documents')).toBe(before)
  })

  it('answers 401 without credentials and 404 to outsiders, for unknown, deleted and malformed ids alike', async () => {
    const { process, owner, documentId } = await processWithDocument()
    const outsider = await t.as(await factories.createUser({ isAdmin: true }))
    for (const route of ROUTES) {
      const label = `${route.method} ${route.url(documentId)}`
      expect((await send(t.anonymous, route, documentId)).statusCode, `anonymous ${label}`).toBe(
        401,
      )
      expect((await send(outsider, route, documentId)).statusCode, `outsider ${label}`).toBe(404)
      expect(
        (await send(owner, route, '00000000-0000-4000-8000-000000000000')).statusCode,
        `unknown ${label}`,
      ).toBe(404)
      expect((await send(owner, route, 'not-a-uuid')).statusCode, `malformed ${label}`).toBe(400)
    }
    expect((await importMarkdown(t.anonymous as Client, process.id)).statusCode).toBe(401)
    expect((await importMarkdown(outsider, process.id)).statusCode).toBe(404)

    expect((await owner.delete(`/api/documents/${documentId}`)).statusCode).toBe(200)
    for (const route of ROUTES) {
      expect(
        (await send(owner, route, documentId)).statusCode,
        `deleted ${route.method} ${route.url(documentId)}`,
      ).toBe(404)
    }
  })
})

describe('renaming and deleting', () => {
  it('renames a document, records it, and shows the new title everywhere', async () => {
    const { process, owner, documentId } = await processWithDocument()
    const renamed = await owner.patch(`/api/documents/${documentId}`, {
      title: '  Estrategia 2027–2031  ',
    })
    expect(renamed.statusCode).toBe(200)
    expect(renamed.json()).toMatchObject({
      id: documentId,
      processId: process.id,
      title: 'Estrategia 2027–2031',
    })
    expect((await owner.get(`/api/documents/${documentId}`)).json().title).toBe(
      'Estrategia 2027–2031',
    )
    expect(
      (await owner.get(`/api/processes/${process.id}/documents`))
        .json()
        .map((d: { title: string }) => d.title),
    ).toEqual(['Estrategia 2027–2031'])
    const entry = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', documentId)
      .where('action', '=', 'document.renamed')
      .executeTakeFirstOrThrow()
    expect(entry.details).toEqual({ title: { from: 'Borrador', to: 'Estrategia 2027–2031' } })
  })

  it('refuses bad titles and unknown fields, changing nothing', async () => {
    const { owner, documentId } = await processWithDocument()
    const audits = await count('audit_log')
    for (const body of [
      {},
      { title: '' },
      { title: '   ' },
      { title: 'x'.repeat(201) },
      { title: 7 },
      { title: 'Ok', extra: true },
    ]) {
      const response = await owner.patch(`/api/documents/${documentId}`, body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
      expect(response.json().code).toBe('validation_failed')
    }
    expect((await owner.get(`/api/documents/${documentId}`)).json().title).toBe('Borrador')
    expect(await count('audit_log')).toBe(audits)
  })

  it('soft-deletes: the document disappears, its rows stay, the audit log and the event bus hear of it', async () => {
    const { process, owner, documentId } = await processWithDocument()
    const heard: { processId: string; documentId: string }[] = []
    const listener = (event: { processId: string; documentId: string }) => heard.push(event)
    t.app.ctx.events.on('document.deleted', listener)
    try {
      expect((await owner.delete(`/api/documents/${documentId}`)).json()).toEqual({ ok: true })
    } finally {
      t.app.ctx.events.off('document.deleted', listener)
    }
    expect(heard).toEqual([{ processId: process.id, documentId }])
    expect((await owner.get(`/api/documents/${documentId}`)).statusCode).toBe(404)
    expect((await owner.get(`/api/processes/${process.id}/documents`)).json()).toEqual([])
    const row = await db
      .selectFrom('documents')
      .select('deleted_at')
      .where('id', '=', documentId)
      .executeTakeFirstOrThrow()
    expect(row.deleted_at).toBeInstanceOf(Date)
    expect(await auditActions(documentId)).toEqual(['document.created', 'document.deleted'])
    expect((await owner.delete(`/api/documents/${documentId}`)).statusCode).toBe(404)
  })

  it('keeps an archived process read-only: reading works, renaming and deleting answer 409', async () => {
    const { process, owner, documentId } = await processWithDocument()
    expect(
      (await owner.post(`/api/processes/${process.id}/archive`, { archived: true })).statusCode,
    ).toBe(200)
    expect((await owner.get(`/api/documents/${documentId}/sections`)).statusCode).toBe(200)
    expect((await owner.patch(`/api/documents/${documentId}`, { title: 'No' })).statusCode).toBe(
      409,
    )
    expect((await owner.delete(`/api/documents/${documentId}`)).statusCode).toBe(409)
    expect((await owner.get(`/api/documents/${documentId}`)).json().title).toBe('Borrador')
  })
})

describe('import', () => {
  it('imports Markdown: headings become sections, the content is stored once, and every rendering agrees', async () => {
    const process = await factories.createProcess()
    const owner = await t.as(process.secretariat)
    const response = await importMarkdown(owner, process.id)
    expect(response.statusCode, response.body).toBe(201)
    const { id, sections } = response.json() as {
      id: string
      sections: { id: string; level: number; title: string }[]
    }
    expect(sections.map((s) => [s.level, s.title])).toEqual([
      [1, 'Estrategia Nacional de Ciberseguridad'],
      [2, '1. Visión'],
      [2, '2. Líneas de acción'],
      [3, '2.1 Gobernanza'],
    ])
    expect(new Set(sections.map((s) => s.id)).size).toBe(4)

    // Read back through other requests: the stored state, not the import's answer.
    expect((await owner.get(`/api/documents/${id}/sections`)).json()).toEqual(sections)
    const updates = await db
      .selectFrom('doc_updates')
      .select('seq')
      .where('document_id', '=', id)
      .execute()
    expect(updates.map((u) => Number(u.seq))).toEqual([1])
    expect((await owner.get(`/api/documents/${id}`)).json()).toMatchObject({
      id,
      processId: process.id,
      title: 'Borrador',
    })

    const md = await owner.get(`/api/documents/${id}/export?format=md`)
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8')
    expect(md.body).toContain('## 1. Visión')
    expect(md.body).toContain('| Incidentes | 30 % |')
    expect(md.body).toContain('[enlace](https://www.example.org/)')

    const json = await owner.get(`/api/documents/${id}/export?format=json`)
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8')
    const doc = Node.fromJSON(schema, json.json())
    doc.check()
    expect(doc.child(2).attrs).toEqual({ level: 2, sectionId: sections[1]!.id })
    expect(doc.textContent).toContain('Publicar el plan')

    const entry = await db
      .selectFrom('audit_log')
      .select('details')
      .where('target_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(entry.details).toEqual({ title: 'Borrador', source: 'markdown' })
  })

  it('imports a .docx: Word headings become sections, lists and tables stay, images and foreign styling go', async () => {
    const process = await factories.createProcess()
    const owner = await t.as(process.secretariat)
    const docx = await buildDocx([
      { heading: 1, text: 'National Cybersecurity Strategy' },
      {
        paragraph: [
          'The ',
          { text: 'draft', bold: true },
          ' for ',
          { link: 'https://www.example.org/', text: 'review' },
          '.',
        ],
      },
      { heading: 2, text: 'Vision' },
      { image: true },
      { paragraph: [{ text: 'A secure country.', color: 'FF0000' }], style: 'Fancy' },
      { heading: 2, text: 'Action lines' },
      { bullet: 'Create the Council' },
      { bullet: 'Publish the plan' },
      { heading: 4, text: 'Deeper heading' },
      {
        table: [
          ['Indicator', 'Target'],
          ['Incidents', '30%'],
        ],
      },
    ])
    const response = await t
      .as(process.secretariat)
      .then((c) =>
        c.post(`/api/processes/${process.id}/documents/import`, {
          title: 'From Word',
          format: 'docx',
          content: Buffer.from(docx).toString('base64'),
        }),
      )
    expect(response.statusCode, response.body).toBe(201)
    const { id, sections } = response.json()
    expect(sections.map((s: { level: number; title: string }) => [s.level, s.title])).toEqual([
      [1, 'National Cybersecurity Strategy'],
      [2, 'Vision'],
      [2, 'Action lines'],
      [3, 'Deeper heading'],
    ])
    const html = (await owner.get(`/api/documents/${id}/export?format=html`)).body
    expect(html).toContain(
      '<ul><li><p>Create the Council</p></li><li><p>Publish the plan</p></li></ul>',
    )
    expect(html).toContain('<td><p>Incidents</p></td><td><p>30%</p></td>')
    expect(html).toContain('<strong>draft</strong>')
    expect(html).toContain('<a href="https://www.example.org/"')
    const main = html.slice(html.indexOf('<main>'))
    expect(main).not.toMatch(/<img|FF0000|color|style=/i)
    expect(main).toContain('<p>A secure country.</p>')
  })

  it('accepts a .docx sent as a data URL, as a browser reads files', async () => {
    const process = await factories.createProcess()
    const docx = await buildDocx([{ heading: 1, text: 'Data URL' }])
    const content = `data:application/vnd.openxmlformats-officedocument.wordprocessingml.document;base64,${Buffer.from(docx).toString('base64')}`
    const response = await (
      await t.as(process.secretariat)
    ).post(`/api/processes/${process.id}/documents/import`, { title: 'D', format: 'docx', content })
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().sections[0].title).toBe('Data URL')
  })

  it('refuses unreadable files and bad bodies with a clear 400, creating nothing', async () => {
    const process = await factories.createProcess()
    const owner = await t.as(process.secretariat)
    const otherZip = new JSZip()
    otherZip.file('hello.txt', 'not a Word document')
    const notWord = await otherZip.generateAsync({ type: 'base64' })
    const before = [await count('documents'), await count('doc_updates'), await count('audit_log')]
    const cases: [object, RegExp][] = [
      [
        {
          title: 'X',
          format: 'docx',
          content: Buffer.from('plain text, not a zip').toString('base64'),
        },
        /not a readable \.docx/,
      ],
      [{ title: 'X', format: 'docx', content: notWord }, /not a readable \.docx/],
      [{ title: 'X', format: 'docx', content: 'this is not base64!' }, /base64/],
      [{ title: 'X', format: 'pdf', content: 'abc' }, /format/],
      [{ title: '', format: 'markdown', content: '# A' }, /title/],
      [{ title: 'X', format: 'markdown', content: '' }, /content/],
      [{ title: 'X', format: 'markdown' }, /content/],
      [{ title: 'X', format: 'markdown', content: '# A', extra: 1 }, /additional|extra/i],
    ]
    for (const [body, message] of cases) {
      const response = await owner.post(`/api/processes/${process.id}/documents/import`, body)
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400)
      expect(response.json().code).toBe('validation_failed')
      expect(JSON.stringify(response.json())).toMatch(message)
    }
    expect([
      await count('documents'),
      await count('doc_updates'),
      await count('audit_log'),
    ]).toEqual(before)
  })

  it('takes large files on the import route only, and answers 413 beyond its limit', async () => {
    const process = await factories.createProcess()
    const owner = await t.as(process.secretariat)
    // About 300 pages of text: well over the 1 MiB every other route accepts.
    const chapters = Array.from(
      { length: 300 },
      (_, i) =>
        `## Chapter ${i + 1}\n\n${'The strategy protects essential services and the rights of residents. '.repeat(60)}\n`,
    )
    const markdown = `# Large strategy\n\n${chapters.join('\n')}`
    expect(markdown.length).toBeGreaterThan(1024 * 1024)
    const imported = await importMarkdown(owner, process.id, markdown, 'Large')
    expect(imported.statusCode, imported.body.slice(0, 200)).toBe(201)
    expect(imported.json().sections).toHaveLength(301)
    expect((await owner.get(`/api/documents/${imported.json().id}/sections`)).json()).toHaveLength(
      301,
    )

    // Another route keeps the global limit.
    const renamed = await owner.patch(`/api/documents/${imported.json().id}`, {
      title: 'x'.repeat(2 * 1024 * 1024),
    })
    expect(renamed.statusCode).toBe(413)

    const before = await count('documents')
    const tooLarge = await importMarkdown(
      owner,
      process.id,
      'x'.repeat(IMPORT_LIMITS.bodyBytesMax + 1),
    )
    expect(tooLarge.statusCode).toBe(413)
    expect(tooLarge.json().code).toBe('payload_too_large')
    const tooLong = await importMarkdown(
      owner,
      process.id,
      'x'.repeat(IMPORT_LIMITS.markdownCharsMax + 1),
    )
    expect(tooLong.statusCode).toBe(413)
    expect(await count('documents')).toBe(before)
  })
})

describe('creating from a template', () => {
  it("seeds the national strategy outline in the process's first language, once", async () => {
    const es = await factories.createProcess({ languages: ['es', 'en'] })
    const esClient = await t.as(es.secretariat)
    const created = await esClient.post(`/api/processes/${es.id}/documents`, {
      title: 'Estrategia *2027*',
      template: 'national-strategy',
    })
    expect(created.statusCode).toBe(201)
    const sections = (await esClient.get(`/api/documents/${created.json().id}/sections`)).json()
    expect(sections[0]).toMatchObject({ level: 1, title: 'Estrategia *2027*' })
    expect(sections.map((s: { title: string }) => s.title)).toEqual(
      expect.arrayContaining([
        '1. Visión',
        '2. Principios rectores',
        '3. Objetivos estratégicos',
        '4. Líneas de acción',
        '5. Gobernanza y ejecución',
        '6. Indicadores y seguimiento',
      ]),
    )
    expect(sections.every((s: { id: string | null }) => typeof s.id === 'string')).toBe(true)
    const updates = await db
      .selectFrom('doc_updates')
      .select('seq')
      .where('document_id', '=', created.json().id)
      .execute()
    expect(updates).toHaveLength(1)

    const en = await factories.createProcess({ languages: ['en'] })
    const enClient = await t.as(en.secretariat)
    const english = await enClient.post(`/api/processes/${en.id}/documents`, {
      title: 'Strategy',
      template: 'national-strategy',
    })
    const md = (await enClient.get(`/api/documents/${english.json().id}/export?format=md`)).body
    expect(md).toContain('## 1. Vision')
    expect(md).toContain('### 4.3 Incident response and the national CSIRT')
    expect(md).toContain('| Objective | Indicator | Baseline | Target | Source |')
  })

  it("seeds the outline in another of the process's languages on request, and only in those", async () => {
    const process = await factories.createProcess({ languages: ['es', 'en'] })
    const client = await t.as(process.secretariat)
    const created = await client.post(`/api/processes/${process.id}/documents`, {
      title: 'Strategy',
      template: 'national-strategy',
      language: 'en',
    })
    expect(created.statusCode).toBe(201)
    const md = (await client.get(`/api/documents/${created.json().id}/export?format=md`)).body
    expect(md).toContain('## 1. Vision')
    expect(md).not.toContain('Visión')

    const before = await liveDocuments()
    for (const language of ['fr', 'klingon']) {
      const refused = await client.post(`/api/processes/${process.id}/documents`, {
        title: 'Strategy',
        template: 'national-strategy',
        language,
      })
      expect(refused.statusCode, language).toBe(400)
      expect(refused.json().code).toBe('validation_failed')
    }
    expect(await liveDocuments()).toBe(before)
  })

  it('creates an empty document without a template, and refuses an unknown template', async () => {
    const process = await factories.createProcess()
    const client = await t.as(process.secretariat)
    const created = await client.post(`/api/processes/${process.id}/documents`, { title: 'Annex' })
    expect(created.statusCode).toBe(201)
    expect((await client.get(`/api/documents/${created.json().id}/sections`)).json()).toEqual([])
    expect(
      (await client.get(`/api/documents/${created.json().id}/export?format=json`)).json(),
    ).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] })
    const before = await liveDocuments()
    const refused = await client.post(`/api/processes/${process.id}/documents`, {
      title: 'Annex',
      template: 'novel',
    })
    expect(refused.statusCode).toBe(400)
    expect(await liveDocuments()).toBe(before)
  })
})

describe('export', () => {
  it('serves HTML as a complete, inert page, whatever the document holds', async () => {
    const process = await factories.createProcess({ languages: ['es'] })
    const owner = await t.as(process.secretariat)
    const hostile = [
      '# <script>alert(1)</script> Título',
      '',
      'Text with <img src=x onerror=alert(1)> and [a link](javascript:alert(1)) and [ok](https://ok.example/?a=1&b="2") and <b onclick="x">html</b>.',
    ].join('\n')
    const { id } = (
      await importMarkdown(owner, process.id, hostile, '</title><script>alert(1)</script>')
    ).json()
    const response = await owner.get(`/api/documents/${id}/export?format=html`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/)
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    const html = response.body
    expect(html).toMatch(/^<!doctype html>\n<html lang="es">/)
    // Read the page as a browser would: hostile text must stay text.
    const { document } = parseHTML(html)
    expect(document.querySelectorAll('script, img, iframe, object')).toHaveLength(0)
    for (const element of document.querySelectorAll('*')) {
      for (const name of element.getAttributeNames()) {
        expect(name, element.outerHTML).not.toMatch(/^on/i)
      }
    }
    expect([...document.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      'https://ok.example/?a=1&b=%222%22',
    ])
    expect(document.querySelector('h1')!.textContent).toBe('<script>alert(1)</script> Título')
    expect(document.querySelector('title')!.textContent).toBe('</title><script>alert(1)</script>')
    expect(document.querySelector('p')!.textContent).toContain(
      '<img src=x onerror=alert(1)> and [a link](javascript:alert(1))',
    )
    expect(response.headers['content-disposition']).toBe(
      'inline; filename="title-script-alert-1-script.html"',
    )
  })

  it('refuses a missing or unknown format', async () => {
    const { owner, documentId } = await processWithDocument()
    expect((await owner.get(`/api/documents/${documentId}/export`)).statusCode).toBe(400)
    expect((await owner.get(`/api/documents/${documentId}/export?format=pdf`)).statusCode).toBe(400)
  })
})

describe('demo', () => {
  it('seeds the English and the Spanish draft with real content', async () => {
    expect(await seedDemo(db)).toBe(true)
    const admin = await t.as({
      id: '',
      email: 'secretariat@example.org',
      password: 'concord-demo',
      name: '',
      isAdmin: true,
    })
    const [processSummary] = (await admin.get('/api/processes')).json()
    const documents = (await admin.get(`/api/processes/${processSummary.id}/documents`)).json()
    expect(documents.map((d: { title: string }) => d.title)).toEqual([
      'National Cybersecurity Strategy 2027–2031 — draft',
      'Estrategia Nacional de Ciberseguridad 2027–2031 — borrador',
      // The earlier cycle's adopted strategy (demo/earlier-cycle.ts).
      'National Cybersecurity Strategy 2022–2026',
    ])
    const [en, es] = await Promise.all(
      documents.slice(0, 2).map(async (d: { id: string }) =>
        (await admin.get(`/api/documents/${d.id}/sections`)).json(),
      ),
    )
    expect(en.map((s: { title: string }) => s.title)).toEqual(
      expect.arrayContaining([
        '1. Vision',
        '4.3 Incident response and the National CERT',
        '6. Indicators and monitoring',
      ]),
    )
    expect(es.map((s: { title: string }) => s.title)).toEqual(
      expect.arrayContaining([
        '1. Visión',
        '4.3 Respuesta a incidentes y CERT Nacional',
        '6. Indicadores y seguimiento',
      ]),
    )
    const html = (await admin.get(`/api/documents/${documents[0].id}/export?format=html`)).body
    expect(html).toContain('<th><p>Indicator</p></th>')
    expect(html.length).toBeGreaterThan(10_000)
  })
})
