import { describe, expect, it } from 'vitest'
import type { Section } from '../../shared/api/documents'
import type { AuditPage } from '../../shared/api/audit'
import { recordAudit } from '../../server/audit/record'
import { createTestApp, type Client } from '../support/app'
import { openConsultation } from '../support/consultations'
import { sectionId, THREAD_DRAFT } from '../support/threads'
import { makeWorld } from '../support/world'

// Issue 15, item 6: the audit log says what each entry is about (the thread's number, the
// version's name, the consultation's title, the document's title), so the activity log reads
// as sentences with links instead of raw ids.

const t = await createTestApp()
const { db } = t

async function sectionOf(client: Client, documentId: string, title: string): Promise<string> {
  const sections = (await client.get(`/api/documents/${documentId}/sections`)).json() as Section[]
  return sectionId(sections, title)
}

async function auditOf(client: Client, processId: string) {
  return ((await client.get(`/api/processes/${processId}/audit?limit=50`)).json() as AuditPage)
    .entries
}

describe('the audit log names what each entry is about', () => {
  it('a thread’s number and section, a version’s name, a consultation’s title, the document', async () => {
    const { process, documentId, owner } = await makeWorld(t)
    const created = await owner.post(`/api/documents/${documentId}/threads`, {
      sectionId: await sectionOf(owner, documentId, 'Governance'),
      kind: 'comment',
      body: 'A remark to resolve.',
    })
    expect(created.statusCode, created.body).toBe(201)
    const thread = created.json() as { id: string; number: number }
    expect((await owner.post(`/api/threads/${thread.id}/resolve`, {})).statusCode).toBe(200)
    const consultation = await openConsultation(owner, process.id, documentId, {
      title: { en: 'Public consultation', es: 'Consulta pública' },
    })
    const renamed = await owner.patch(`/api/documents/${documentId}`, { title: 'Strategy 2030' })
    expect(renamed.statusCode, renamed.body).toBe(200)

    const entries = await auditOf(owner, process.id)
    const of = (action: string) => entries.find((e) => e.action === action)!
    expect(of('thread.resolved').subjects).toEqual({
      thread: { id: thread.id, number: thread.number, documentId, sectionTitle: 'Governance' },
      document: { id: documentId, title: 'Strategy 2030', deleted: false },
    })
    const version = await db
      .selectFrom('document_versions')
      .select(['id', 'number', 'name'])
      .where('id', '=', consultation.versionId)
      .executeTakeFirstOrThrow()
    expect(of('version.created').subjects).toEqual({
      version: { id: version.id, number: version.number, name: version.name, documentId },
      document: { id: documentId, title: 'Strategy 2030', deleted: false },
    })
    expect(of('consultation.opened').subjects).toEqual({
      consultation: {
        id: consultation.id,
        slug: consultation.slug,
        title: { en: 'Public consultation', es: 'Consulta pública' },
      },
      version: { id: version.id, number: version.number, name: version.name, documentId },
      document: { id: documentId, title: 'Strategy 2030', deleted: false },
    })
    expect(of('document.renamed').subjects).toEqual({
      document: { id: documentId, title: 'Strategy 2030', deleted: false },
    })
    // The process's own entry has nothing to look up.
    expect(of('process.created').subjects).toEqual({})
  })

  it('marks a deleted document, and never names another process’s thread or document', async () => {
    const mine = await makeWorld(t)
    const other = await makeWorld(t, THREAD_DRAFT)
    const foreign = await other.owner.post(`/api/documents/${other.documentId}/threads`, {
      sectionId: await sectionOf(other.owner, other.documentId, 'Vision'),
      kind: 'comment',
      body: 'Elsewhere.',
    })
    const foreignThread = foreign.json() as { id: string }
    // An entry of this process that points at ids of the other one (as a bug might record).
    await recordAudit(db, null, {
      processId: mine.process.id,
      action: 'thread.resolved',
      targetType: 'thread',
      targetId: foreignThread.id,
      details: { number: 1, documentId: other.documentId },
    })
    const deleted = await mine.owner.delete(`/api/documents/${mine.documentId}`)
    expect(deleted.statusCode, deleted.body).toBeLessThan(300)

    const entries = await auditOf(mine.owner, mine.process.id)
    expect(entries.find((e) => e.action === 'thread.resolved')!.subjects).toEqual({})
    expect(entries.find((e) => e.action === 'document.deleted')!.subjects).toEqual({
      document: { id: mine.documentId, title: 'Strategy', deleted: true },
    })
    expect(JSON.stringify(entries)).not.toContain('Elsewhere')
  })
})
