import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { prepareServerEdit } from '../../server/documents/service'
import { PROSEMIRROR_FRAGMENT } from '../../server/render/to-prosemirror'
import { can, type Action } from '../../shared/domain/permissions'
import { ROLES, type Role } from '../../shared/domain/roles'
import { createTestApp, type Client } from '../support/app'
import type { TestProcess, TestUser } from '../support/factories'
import type { Section } from '../../shared/api/documents'
import type { Thread } from '../../shared/api/threads'
import { sectionId, THREAD_DRAFT } from '../support/threads'
import { consultationBody, openConsultation } from '../support/consultations'
import type { CreateConsultationBody } from '../../shared/api/consultations'
import type { LiveState, Poll, Registration, Workshop } from '../../shared/api/workshops'
import { controlWorkshop, createWorkshop } from '../support/workshops'
import type { Commitment, CommitmentList } from '../../shared/api/strategy'

// The fixture of every cell now includes workshops in each of their states: more setup per role.
const t = await createTestApp()
const { factories } = t

interface Fixture {
  process: TestProcess
  targetMember: string
  removableMember: string
  invitationId: string
  documentId: string
  deletableDocumentId: string
  /** A version of `documentId`, frozen by the secretariat. */
  versionId: string
  sectionId: string
  /** Threads and comments by the secretariat, one per route that changes one. */
  threads: Record<'read' | 'reply' | 'endorse' | 'resolve' | 'reopen' | 'apply' | 'undo', string>
  comments: Record<'flag' | 'hide' | 'restore' | 'dismiss', string>
  /** Consultations in the states their routes need: a draft to change, one to publish, open ones. */
  consultations: Record<'draft' | 'publish' | 'close' | 'extend', string>
  /** A comment by the actor when their role may post, else by the secretariat (the role check comes first). */
  ownComments: Record<'edit' | 'withdraw', string>
  /** Workshops in the states their routes need (issue 13). */
  workshops: Record<
    | 'draft'
    | 'scheduled'
    | 'cancel'
    | 'running'
    | 'console'
    | 'order'
    | 'closed'
    | 'publish'
    | 'published',
    string
  >
  /** The console workshop's revision, raised hands of guests, a guest's registration, polls, an action item. */
  workshopRevision: number
  queueEntries: Record<'call' | 'remove', string>
  guestRegistration: string
  polls: Record<'draft' | 'close' | 'vote', string>
  actionItem: string
  /** A second process of the actor's, with an adopted strategy and a commitment with an indicator (issue 14). */
  adopted: {
    processId: string
    versionId: string
    sectionId: string
    commitmentId: string
    indicatorId: string
  }
  /** Issue 16: a document to translate, and a translation of `documentId` lacking its last section. */
  translations: {
    translatable: string
    translation: string
    sectionId: string
    missingSectionId: string
  }
}

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  url: (f: Fixture) => string
  body?: (f: Fixture) => object
  action: Action
  /** What a role without the action gets, when not 403: a hidden item is as private as a missing one. */
  denied?: 404
}

// Every process route with the action its guard checks. The expectations come from the
// shared table itself (STYLE 2.8), so the server and the table cannot drift apart.
const ROUTES: RouteCase[] = [
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}`, action: 'process.read' },
  {
    method: 'PATCH',
    url: (f) => `/api/processes/${f.process.id}`,
    body: () => ({ description: 'Changed' }),
    action: 'process.update',
  },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.process.id}/archive`,
    body: () => ({ archived: false }),
    action: 'process.archive',
  },
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}/stages`, action: 'process.read' },
  {
    method: 'GET',
    url: (f) => `/api/processes/${f.process.id}/participation?origin=members`,
    action: 'participation.read',
  },
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}/public-home`, action: 'process.read' },
  {
    method: 'PUT',
    url: (f) => `/api/processes/${f.process.id}/public-home`,
    body: (f) => ({ enabled: false, slug: `home-${f.process.id.slice(0, 8)}` }),
    action: 'process.update',
  },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.process.id}/stage`,
    body: () => ({ stage: 'stakeholder-review' }),
    action: 'process.stage',
  },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.process.id}/groups`,
    body: () => ({ label: 'Trade unions' }),
    action: 'groups.manage',
  },
  {
    method: 'DELETE',
    url: (f) => `/api/processes/${f.process.id}/groups/unused-group`,
    action: 'groups.manage',
  },
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}/members`, action: 'members.read' },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.process.id}/members`,
    body: (f) => ({
      email: `new-${f.process.id}@example.org`,
      role: 'observer',
      stakeholderGroup: 'academia',
    }),
    action: 'members.manage',
  },
  {
    method: 'PATCH',
    url: (f) => `/api/processes/${f.process.id}/members/${f.targetMember}`,
    body: () => ({ organisation: 'X' }),
    action: 'members.manage',
  },
  {
    method: 'DELETE',
    url: (f) => `/api/processes/${f.process.id}/members/${f.removableMember}`,
    action: 'members.manage',
  },
  {
    method: 'GET',
    url: (f) => `/api/processes/${f.process.id}/invitations`,
    action: 'members.manage',
  },
  {
    method: 'DELETE',
    url: (f) => `/api/processes/${f.process.id}/invitations/${f.invitationId}`,
    action: 'members.manage',
  },
  {
    method: 'GET',
    url: (f) => `/api/processes/${f.process.id}/documents`,
    action: 'documents.read',
  },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.process.id}/documents`,
    body: () => ({ title: 'Annex' }),
    action: 'documents.create',
  },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.process.id}/documents/import`,
    body: () => ({ title: 'Imported', format: 'markdown', content: '# Vision\n\nSafe.' }),
    action: 'documents.create',
  },
  { method: 'GET', url: (f) => `/api/documents/${f.documentId}`, action: 'documents.read' },
  {
    method: 'GET',
    url: (f) => `/api/documents/${f.documentId}/sections`,
    action: 'documents.read',
  },
  {
    method: 'GET',
    url: (f) => `/api/documents/${f.documentId}/export?format=md`,
    action: 'documents.read',
  },
  {
    method: 'PATCH',
    url: (f) => `/api/documents/${f.documentId}`,
    body: () => ({ title: 'Renamed' }),
    action: 'documents.manage',
  },
  {
    method: 'DELETE',
    url: (f) => `/api/documents/${f.deletableDocumentId}`,
    action: 'documents.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/documents/${f.documentId}/versions`,
    body: () => ({ name: 'Consultation draft' }),
    action: 'versions.create',
  },
  {
    method: 'GET',
    url: (f) => `/api/documents/${f.documentId}/versions`,
    action: 'documents.read',
  },
  { method: 'GET', url: (f) => `/api/versions/${f.versionId}`, action: 'documents.read' },
  {
    method: 'GET',
    url: (f) => `/api/versions/${f.versionId}/export?format=html`,
    action: 'documents.read',
  },
  {
    method: 'GET',
    url: (f) => `/api/versions/${f.versionId}/compare?to=live`,
    action: 'documents.read',
  },
  {
    method: 'GET',
    url: (f) => `/api/versions/${f.versionId}/compare/export?to=live&format=docx`,
    action: 'documents.read',
  },
  // Translations (issue 16).
  { method: 'GET', url: (f) => `/api/documents/${f.documentId}/translations`, action: 'documents.read' },
  {
    method: 'POST',
    url: (f) => `/api/documents/${f.translations.translatable}/translations`,
    body: () => ({ language: 'es' }),
    action: 'documents.create',
  },
  { method: 'GET', url: (f) => `/api/documents/${f.translations.translation}/alignment`, action: 'documents.read' },
  {
    method: 'POST',
    url: (f) => `/api/documents/${f.translations.translation}/sections/${f.translations.sectionId}/up-to-date`,
    action: 'documents.edit',
  },
  {
    method: 'POST',
    url: (f) => `/api/documents/${f.translations.translation}/sections/${f.translations.missingSectionId}/bring`,
    action: 'documents.edit',
  },
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}/audit`, action: 'audit.read' },
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}/threads`, action: 'threads.read' },
  {
    method: 'GET',
    url: (f) => `/api/documents/${f.documentId}/thread-counts`,
    action: 'threads.read',
  },
  {
    method: 'POST',
    url: (f) => `/api/documents/${f.documentId}/threads`,
    body: (f) => ({ sectionId: f.sectionId, kind: 'comment', body: 'A comment' }),
    action: 'threads.create',
  },
  { method: 'GET', url: (f) => `/api/threads/${f.threads.read}`, action: 'threads.read' },
  {
    method: 'POST',
    url: (f) => `/api/threads/${f.threads.reply}/replies`,
    body: () => ({ body: 'A reply' }),
    action: 'threads.create',
  },
  {
    method: 'PATCH',
    url: (f) => `/api/comments/${f.ownComments.edit}`,
    body: () => ({ body: 'Edited' }),
    action: 'threads.create',
  },
  {
    method: 'POST',
    url: (f) => `/api/comments/${f.ownComments.withdraw}/withdraw`,
    action: 'threads.create',
  },
  {
    method: 'POST',
    url: (f) => `/api/threads/${f.threads.endorse}/endorsement`,
    action: 'threads.endorse',
  },
  {
    method: 'DELETE',
    url: (f) => `/api/threads/${f.threads.endorse}/endorsement`,
    action: 'threads.endorse',
  },
  {
    method: 'POST',
    url: (f) => `/api/threads/${f.threads.resolve}/resolve`,
    action: 'threads.resolve',
  },
  {
    method: 'POST',
    url: (f) => `/api/threads/${f.threads.reopen}/reopen`,
    action: 'threads.resolve',
  },
  // Before the apply below: that one rewrites the same section, which makes an undo unsafe (409).
  {
    method: 'POST',
    url: (f) => `/api/threads/${f.threads.undo}/undo-apply`,
    action: 'threads.apply',
  },
  { method: 'POST', url: (f) => `/api/threads/${f.threads.apply}/apply`, action: 'threads.apply' },
  {
    method: 'POST',
    url: (f) => `/api/comments/${f.comments.flag}/flags`,
    body: () => ({ reason: 'Off topic' }),
    action: 'threads.flag',
  },
  {
    method: 'POST',
    url: (f) => `/api/comments/${f.comments.hide}/hide`,
    body: () => ({ reason: 'Abuse' }),
    action: 'threads.moderate',
  },
  {
    method: 'POST',
    url: (f) => `/api/comments/${f.comments.restore}/restore`,
    body: () => ({ reason: 'Fine' }),
    action: 'threads.moderate',
    denied: 404,
  },
  {
    method: 'POST',
    url: (f) => `/api/comments/${f.comments.dismiss}/flags/dismiss`,
    body: () => ({ reason: 'Fine' }),
    action: 'threads.moderate',
  },
  {
    method: 'GET',
    url: (f) => `/api/processes/${f.process.id}/moderation/queue`,
    action: 'threads.moderate',
  },
  {
    method: 'GET',
    url: (f) => `/api/processes/${f.process.id}/moderation/log`,
    action: 'moderation.log',
  },
  {
    method: 'GET',
    url: (f) => `/api/processes/${f.process.id}/consultations`,
    action: 'process.read',
  },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.process.id}/consultations`,
    body: (f) => {
      const body: Record<string, unknown> = consultationBody(f.documentId, {
        versionId: f.versionId,
      })
      delete body.documentId
      delete body.versionName
      return body
    },
    action: 'consultations.manage',
  },
  {
    method: 'GET',
    url: (f) =>
      `/api/processes/${f.process.id}/consultations/adequacy?versionId=${f.versionId}&opensAt=2027-01-01T00:00:00Z&closesAt=2027-02-01T00:00:00Z`,
    action: 'consultations.manage',
  },
  {
    method: 'GET',
    url: (f) => `/api/consultations/${f.consultations.close}`,
    action: 'process.read',
  },
  {
    method: 'PATCH',
    url: (f) => `/api/consultations/${f.consultations.draft}`,
    body: () => ({ moderation: 'before' }),
    action: 'consultations.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/consultations/${f.consultations.publish}/publish`,
    action: 'consultations.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/consultations/${f.consultations.close}/close`,
    body: () => ({ reason: 'Enough' }),
    action: 'consultations.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/consultations/${f.consultations.extend}/extend`,
    body: () => ({
      closesAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      reason: 'More time',
    }),
    action: 'consultations.manage',
  },
  {
    method: 'GET',
    url: (f) => `/api/consultations/${f.consultations.close}/progress`,
    action: 'threads.read',
  },
  {
    method: 'PUT',
    url: (f) => `/api/threads/${f.threads.read}/answer`,
    body: () => ({ disposition: 'noted', answer: 'Thank you; noted.' }),
    action: 'threads.answer',
  },
  // Workshops (issue 13). The public check-in by code has no role and is tested in workshops.test.ts.
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}/workshops`, action: 'process.read' },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.process.id}/workshops`,
    body: (f) => ({
      title: 'Another session',
      startsAt: '2027-03-01T14:00:00Z',
      endsAt: '2027-03-01T16:00:00Z',
      timeZone: 'Europe/Madrid',
      format: 'online',
      languages: ['en'],
      documentId: f.documentId,
      agenda: [{ sectionId: f.sectionId, minutes: 30 }],
    }),
    action: 'workshops.manage',
  },
  {
    method: 'GET',
    url: (f) => `/api/processes/${f.process.id}/action-items`,
    action: 'process.read',
  },
  { method: 'GET', url: (f) => `/api/workshops/${f.workshops.scheduled}`, action: 'process.read' },
  {
    method: 'PATCH',
    url: (f) => `/api/workshops/${f.workshops.scheduled}`,
    body: () => ({ place: 'Room 5' }),
    action: 'workshops.manage',
  },
  // A draft is as private as a missing workshop to those who do not run workshops.
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.draft}/schedule`,
    action: 'workshops.manage',
    denied: 404,
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.cancel}/cancel`,
    body: () => ({ reason: 'Postponed' }),
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.scheduled}/duplicate`,
    action: 'workshops.manage',
  },
  {
    method: 'GET',
    url: (f) => `/api/workshops/${f.workshops.scheduled}/registrations`,
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.scheduled}/registrations`,
    body: () => ({}),
    action: 'workshops.attend',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.scheduled}/invitations`,
    body: () => ({ group: 'civil-society' }),
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.scheduled}/attendees`,
    body: (f) => ({ registrationId: f.guestRegistration }),
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.running}/join`,
    action: 'workshops.attend',
  },
  {
    method: 'GET',
    url: (f) => `/api/workshops/${f.workshops.running}/attendance`,
    action: 'process.read',
  },
  {
    method: 'GET',
    url: (f) => `/api/workshops/${f.workshops.running}/live`,
    action: 'workshops.attend',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.console}/control`,
    body: (f) => ({ revision: f.workshopRevision, action: 'pause' }),
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.running}/queue`,
    body: () => ({}),
    action: 'workshops.attend',
  },
  {
    method: 'PUT',
    url: (f) => `/api/workshops/${f.workshops.order}/queue`,
    body: () => ({ entryIds: [] }),
    action: 'workshops.manage',
  },
  // Calling anyone, and removing someone else's hand, is the facilitator's.
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.running}/queue/${f.queueEntries.call}/call`,
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.running}/queue/${f.queueEntries.remove}/remove`,
    action: 'workshops.manage',
  },
  {
    method: 'GET',
    url: (f) => `/api/workshops/${f.workshops.running}/contributions`,
    action: 'process.read',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.running}/contributions`,
    body: (f) => ({ kind: 'comment', body: 'Said in the room', sectionId: f.sectionId }),
    action: 'workshops.contribute',
  },
  {
    method: 'PATCH',
    url: (f) => `/api/workshops/${f.workshops.closed}/contributions/${f.actionItem}`,
    body: () => ({ status: 'in-progress' }),
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.running}/polls`,
    body: () => ({ question: 'Agree?', options: ['Yes', 'No'] }),
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.running}/polls/${f.polls.draft}/open`,
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.running}/polls/${f.polls.close}/close`,
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.running}/polls/${f.polls.vote}/votes`,
    body: () => ({ choices: [0] }),
    action: 'workshops.contribute',
  },
  {
    method: 'GET',
    url: (f) => `/api/workshops/${f.workshops.published}/minutes?format=md`,
    action: 'process.read',
  },
  {
    method: 'PATCH',
    url: (f) => `/api/workshops/${f.workshops.closed}/minutes`,
    body: () => ({ summary: 'We agreed.' }),
    action: 'workshops.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/workshops/${f.workshops.publish}/minutes/publish`,
    body: () => ({ public: true }),
    action: 'workshops.manage',
  },
  // The adopted strategy and its commitments (issue 14, items 5 and 6), on the second process;
  // the adoption (superseding), the review cycle and the withdrawal come last, in that order.
  {
    method: 'GET',
    url: (f) => `/api/processes/${f.adopted.processId}/strategy`,
    action: 'process.read',
  },
  {
    method: 'GET',
    url: (f) => `/api/processes/${f.adopted.processId}/commitments?status=planned`,
    action: 'process.read',
  },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.adopted.processId}/commitments`,
    body: (f) => ({ sectionId: f.adopted.sectionId, title: 'Added commitment' }),
    action: 'commitments.manage',
  },
  {
    method: 'PATCH',
    url: (f) => `/api/processes/${f.adopted.processId}/commitments/${f.adopted.commitmentId}`,
    body: () => ({ status: 'in-progress' }),
    action: 'commitments.manage',
  },
  {
    method: 'POST',
    url: (f) =>
      `/api/processes/${f.adopted.processId}/commitments/${f.adopted.commitmentId}/indicators`,
    body: () => ({ name: 'Reach', target: 10 }),
    action: 'commitments.manage',
  },
  {
    method: 'POST',
    url: (f) =>
      `/api/processes/${f.adopted.processId}/commitments/${f.adopted.commitmentId}/indicators/${f.adopted.indicatorId}/measurements`,
    body: () => ({ value: 3, measuredOn: '2027-05-01' }),
    action: 'commitments.manage',
  },
  {
    method: 'POST',
    url: (f) =>
      `/api/processes/${f.adopted.processId}/commitments/${f.adopted.commitmentId}/updates`,
    body: () => ({ body: 'Under way' }),
    action: 'commitments.manage',
  },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.adopted.processId}/strategy/adoptions`,
    body: (f) => ({
      versionId: f.adopted.versionId,
      adoptedOn: '2027-03-02',
      instrument: 'Decree 2',
    }),
    action: 'strategy.adopt',
  },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.adopted.processId}/strategy/review-cycle`,
    body: () => ({}),
    action: 'strategy.adopt',
  },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.adopted.processId}/strategy/withdrawal`,
    body: () => ({ withdrawnOn: '2027-06-01', reason: 'Replaced' }),
    action: 'strategy.adopt',
  },
]

type Sender = Pick<Client, 'get' | 'post' | 'patch' | 'put' | 'delete'>

function send(client: Sender, route: RouteCase, fixture: Fixture) {
  const url = route.url(fixture)
  const body = route.body?.(fixture)
  switch (route.method) {
    case 'GET':
      return client.get(url)
    case 'DELETE':
      return client.delete(url)
    case 'POST':
      return client.post(url, body)
    case 'PATCH':
      return client.patch(url, body)
    case 'PUT':
      return client.put(url, body)
  }
}

/** A process of the actor's whose strategy is adopted, with a commitment that has an indicator. */
async function adoptedFixture(actor: TestUser, role: Role): Promise<Fixture['adopted']> {
  const process = await factories.createProcess({
    members: role === 'secretariat' ? [] : [{ user: actor, role }],
    ...(role === 'secretariat' ? { secretariat: actor } : {}),
  })
  const owner = await t.as(process.secretariat)
  const { id: documentId } = await factories.createDocument(
    process.id,
    process.secretariat,
    'Strategy',
    THREAD_DRAFT,
  )
  const sections = (await owner.get(`/api/documents/${documentId}/sections`)).json() as Section[]
  const version = (
    await owner.post(`/api/documents/${documentId}/versions`, { name: 'Adopted' })
  ).json() as { id: string }
  for (const stage of ['stakeholder-review', 'public-consultation', 'response']) {
    expect((await owner.post(`/api/processes/${process.id}/stage`, { stage })).statusCode).toBe(200)
  }
  const adoption = await owner.post(`/api/processes/${process.id}/strategy/adoptions`, {
    versionId: version.id,
    adoptedOn: '2027-03-01',
    instrument: 'Decree 1',
  })
  expect(adoption.statusCode, adoption.body).toBe(201)
  const list = (
    await owner.get(`/api/processes/${process.id}/commitments`)
  ).json() as CommitmentList
  const commitmentId = list.items[0]!.id
  const withIndicator = (
    await owner.post(`/api/processes/${process.id}/commitments/${commitmentId}/indicators`, {
      name: 'Done',
      target: 1,
    })
  ).json() as Commitment
  return {
    processId: process.id,
    versionId: version.id,
    sectionId: sectionId(sections, 'Governance'),
    commitmentId,
    indicatorId: withIndicator.indicators[0]!.id,
  }
}

async function fixtureFor(actor: TestUser, role: Role): Promise<Fixture> {
  const target = await factories.createUser()
  const removable = await factories.createUser()
  const process = await factories.createProcess({
    members: [
      ...(role === 'secretariat' ? [] : [{ user: actor, role }]),
      { user: target, role: 'stakeholder' as const },
      { user: removable, role: 'observer' as const },
    ],
    ...(role === 'secretariat' ? { secretariat: actor } : {}),
  })
  const owner = await t.as(process.secretariat)
  await owner.post(`/api/processes/${process.id}/groups`, { label: 'Unused group' })
  const invited = await owner.post(`/api/processes/${process.id}/members`, {
    email: `invited-${process.id}@example.org`,
    role: 'observer',
    stakeholderGroup: 'academia',
  })
  const { id: documentId } = await factories.createDocument(
    process.id,
    process.secretariat,
    'Strategy',
    THREAD_DRAFT,
  )
  const sections = (await owner.get(`/api/documents/${documentId}/sections`)).json() as Section[]
  const version = await owner.post(`/api/documents/${documentId}/versions`, { name: 'Frozen' })
  expect(version.statusCode, version.body).toBe(201)
  const governance = sectionId(sections, 'Governance')
  const newThread = async (client: Client, extra: object = {}, age = true) => {
    const response = await client.post(`/api/documents/${documentId}/threads`, {
      sectionId: governance,
      kind: 'comment',
      body: 'Text',
      ...extra,
    })
    expect(response.statusCode, response.body).toBe(201)
    const thread = response.json() as Thread
    // The fixture posts more than a person may in a minute: age its posts past the posting limit.
    if (age) {
      await t.db
        .updateTable('comments')
        .set({ created_at: new Date(Date.now() - 2 * 3_600_000) })
        .where('id', '=', thread.root.id)
        .execute()
    }
    return thread
  }
  const threads = {
    read: (await newThread(owner)).id,
    reply: (await newThread(owner)).id,
    endorse: (await newThread(owner)).id,
    resolve: (await newThread(owner)).id,
    reopen: (await newThread(owner)).id,
    apply: (
      await newThread(owner, { kind: 'proposal', proposal: { scope: 'section', text: 'New text' } })
    ).id,
    undo: (
      await newThread(owner, { kind: 'proposal', proposal: { scope: 'section', text: 'Undo me' } })
    ).id,
  }
  await owner.post(`/api/threads/${threads.undo}/apply`, {})
  await owner.post(`/api/threads/${threads.reopen}/resolve`, {})
  const flagged = await newThread(owner)
  const hidden = await newThread(owner)
  await owner.post(`/api/comments/${hidden.root.id}/hide`, { reason: 'Spam' })
  const dismissable = await newThread(owner)
  const flagger = await t.as(removable)
  await flagger.post(`/api/comments/${dismissable.root.id}/flags`, { reason: 'Hmm' })
  const poster = can(role, 'threads.create') ? await t.as(actor) : owner
  const consultation = async (overrides: Partial<CreateConsultationBody>) =>
    (
      await openConsultation(owner, process.id, documentId, {
        versionId: version.json().id,
        ...overrides,
      })
    ).id
  const consultations = {
    draft: await consultation({ publish: false }),
    publish: await consultation({ publish: false }),
    close: await consultation({}),
    extend: await consultation({}),
  }
  const workshop = async () => (await createWorkshop(owner, process.id, documentId)).id
  const started = async () => {
    const id = await workshop()
    await controlWorkshop(owner, id, 'start')
    return id
  }
  const guest = async (id: string) => {
    const registration = (
      await owner.post(`/api/workshops/${id}/registrations`, {
        name: `Guest ${Math.random()}`,
        stakeholderGroup: 'academia',
      })
    ).json() as Registration
    await owner.post(`/api/workshops/${id}/attendees`, { registrationId: registration.id })
    return registration
  }
  const workshops = {
    draft: (await createWorkshop(owner, process.id, documentId, {}, true)).id,
    scheduled: await workshop(),
    cancel: await workshop(),
    running: await started(),
    console: await started(),
    order: await started(),
    closed: await started(),
    publish: await started(),
    published: await started(),
  }
  const guestRegistration = (await guest(workshops.scheduled)).id
  const hand = async () => {
    const attendee = await guest(workshops.running)
    const row = await t.db
      .selectFrom('workshop_attendees')
      .select('id')
      .where('registration_id', '=', attendee.id)
      .executeTakeFirstOrThrow()
    const live = (
      await owner.post(`/api/workshops/${workshops.running}/queue`, { attendeeId: row.id })
    ).json() as LiveState
    return live.queue.find((entry) => entry.attendeeId === row.id)!.id
  }
  const queueEntries = { call: await hand(), remove: await hand() }
  const poll = async (open: boolean) => {
    const created = (
      await owner.post(`/api/workshops/${workshops.running}/polls`, {
        question: 'Agree?',
        options: ['Yes', 'No'],
      })
    ).json() as Poll
    if (open) {
      await owner.post(`/api/workshops/${workshops.running}/polls/${created.id}/open`, {})
    }
    return created.id
  }
  const polls = { draft: await poll(false), close: await poll(true), vote: await poll(true) }
  // The actor joins the workshop they vote in and contribute to (the route's own check comes first).
  await (await t.as(actor)).post(`/api/workshops/${workshops.running}/join`, {})
  const ownerJoin = await owner.post(`/api/workshops/${workshops.closed}/join`, {})
  expect(ownerJoin.statusCode, ownerJoin.body).toBe(200)
  const action = await owner.post(`/api/workshops/${workshops.closed}/contributions`, {
    kind: 'action',
    body: 'Send the draft to operators',
    owner: 'Ana',
    dueDate: '2027-04-01',
  })
  expect(action.statusCode, action.body).toBe(201)
  for (const id of [workshops.closed, workshops.publish, workshops.published]) {
    await controlWorkshop(owner, id, 'close')
  }
  await owner.post(`/api/workshops/${workshops.published}/minutes/publish`, {})
  const consoleWorkshop = (
    await owner.get(`/api/workshops/${workshops.console}`)
  ).json() as Workshop
  const adopted = await adoptedFixture(actor, role)
  const translation = await owner.post(`/api/documents/${documentId}/translations`, { language: 'es' })
  expect(translation.statusCode, translation.body).toBe(201)
  const infrastructure = sectionId(sections, 'Critical infrastructure')
  const cut = await prepareServerEdit(t.db, translation.json().id, (doc) => {
    const fragment = doc.getXmlFragment(PROSEMIRROR_FRAGMENT)
    const at = fragment.toArray().findIndex((b) => b instanceof Y.XmlElement && b.getAttribute('sectionId') === infrastructure)
    fragment.delete(at, fragment.length - at)
  })
  await t.db.transaction().execute((trx) => cut.commit(trx))
  return {
    translations: {
      translatable: (await factories.createDocument(process.id, process.secretariat, 'Annex', THREAD_DRAFT)).id,
      translation: translation.json().id,
      sectionId: governance,
      missingSectionId: infrastructure,
    },
    adopted,
    workshops,
    workshopRevision: consoleWorkshop.revision,
    queueEntries,
    guestRegistration,
    polls,
    actionItem: action.json().id,
    consultations,
    process,
    sectionId: governance,
    threads,
    comments: {
      flag: flagged.root.id,
      hide: (await newThread(owner)).root.id,
      restore: hidden.root.id,
      dismiss: dismissable.root.id,
    },
    ownComments: {
      edit: (await newThread(poster, {}, false)).root.id,
      withdraw: (await newThread(poster, {}, false)).root.id,
    },
    targetMember: process.membershipIds.get(target.email)!,
    removableMember: process.membershipIds.get(removable.email)!,
    invitationId: invited.json().invitation.id,
    documentId,
    versionId: version.json().id,
    deletableDocumentId: (await factories.createDocument(process.id, process.secretariat)).id,
  }
}

describe.each(ROLES)('role %s', (role) => {
  it('gets exactly what the permissions table allows on every process and document route', async () => {
    const actor = await factories.createUser({ isAdmin: role === 'secretariat' })
    const fixture = await fixtureFor(actor, role)
    const client = await t.as(actor)
    for (const route of ROUTES) {
      const response = await send(client, route, fixture)
      const label = `${role} ${route.method} ${route.url(fixture)} (${route.action})`
      if (can(role, route.action)) {
        expect([200, 201], `${label}: ${response.body}`).toContain(response.statusCode)
      } else if (route.denied === 404) {
        expect(response.statusCode, label).toBe(404)
      } else {
        expect(response.statusCode, label).toBe(403)
        expect(response.json().code).toBe('forbidden')
      }
    }
  }, 120_000)
})

describe('outsiders', () => {
  it('get 404 on every route of a process they do not belong to, and 401 without credentials', async () => {
    const owner = await factories.createUser({ isAdmin: true })
    const fixture = await fixtureFor(owner, 'secretariat')
    const outsider = await factories.createUser({ isAdmin: true })
    const client = await t.as(outsider)
    for (const route of ROUTES) {
      const label = `${route.method} ${route.url(fixture)}`
      expect((await send(client, route, fixture)).statusCode, label).toBe(404)
      expect((await send(t.anonymous, route, fixture)).statusCode, `anonymous ${label}`).toBe(401)
    }
  }, 120_000)
})
