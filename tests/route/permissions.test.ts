import { describe, expect, it } from 'vitest'
import { can, type Action } from '../../shared/domain/permissions'
import { ROLES, type Role } from '../../shared/domain/roles'
import { createTestApp, type Client } from '../support/app'
import type { TestProcess, TestUser } from '../support/factories'

const t = await createTestApp()
const { factories } = t

interface Fixture {
  process: TestProcess
  targetMember: string
  removableMember: string
  invitationId: string
  documentId: string
  deletableDocumentId: string
}

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  url: (f: Fixture) => string
  body?: (f: Fixture) => object
  action: Action
}

// Every process route with the action its guard checks. The expectations come from the
// shared table itself (STYLE 2.8), so the server and the table cannot drift apart.
const ROUTES: RouteCase[] = [
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}`, action: 'process.read' },
  { method: 'PATCH', url: (f) => `/api/processes/${f.process.id}`, body: () => ({ description: 'Changed' }), action: 'process.update' },
  { method: 'POST', url: (f) => `/api/processes/${f.process.id}/archive`, body: () => ({ archived: false }), action: 'process.archive' },
  { method: 'POST', url: (f) => `/api/processes/${f.process.id}/groups`, body: () => ({ label: 'Trade unions' }), action: 'groups.manage' },
  { method: 'DELETE', url: (f) => `/api/processes/${f.process.id}/groups/unused-group`, action: 'groups.manage' },
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}/members`, action: 'members.read' },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.process.id}/members`,
    body: (f) => ({ email: `new-${f.process.id}@example.org`, role: 'observer', stakeholderGroup: 'academia' }),
    action: 'members.manage',
  },
  { method: 'PATCH', url: (f) => `/api/processes/${f.process.id}/members/${f.targetMember}`, body: () => ({ organisation: 'X' }), action: 'members.manage' },
  { method: 'DELETE', url: (f) => `/api/processes/${f.process.id}/members/${f.removableMember}`, action: 'members.manage' },
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}/invitations`, action: 'members.manage' },
  { method: 'DELETE', url: (f) => `/api/processes/${f.process.id}/invitations/${f.invitationId}`, action: 'members.manage' },
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}/documents`, action: 'documents.read' },
  { method: 'POST', url: (f) => `/api/processes/${f.process.id}/documents`, body: () => ({ title: 'Annex' }), action: 'documents.create' },
  {
    method: 'POST',
    url: (f) => `/api/processes/${f.process.id}/documents/import`,
    body: () => ({ title: 'Imported', format: 'markdown', content: '# Vision\n\nSafe.' }),
    action: 'documents.create',
  },
  { method: 'GET', url: (f) => `/api/documents/${f.documentId}`, action: 'documents.read' },
  { method: 'GET', url: (f) => `/api/documents/${f.documentId}/sections`, action: 'documents.read' },
  { method: 'GET', url: (f) => `/api/documents/${f.documentId}/export?format=md`, action: 'documents.read' },
  { method: 'PATCH', url: (f) => `/api/documents/${f.documentId}`, body: () => ({ title: 'Renamed' }), action: 'documents.manage' },
  { method: 'DELETE', url: (f) => `/api/documents/${f.deletableDocumentId}`, action: 'documents.manage' },
  { method: 'GET', url: (f) => `/api/processes/${f.process.id}/audit`, action: 'audit.read' },
]

type Sender = Pick<Client, 'get' | 'post' | 'patch' | 'delete'>

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
  return {
    process,
    targetMember: process.membershipIds.get(target.email)!,
    removableMember: process.membershipIds.get(removable.email)!,
    invitationId: invited.json().invitation.id,
    documentId: (await factories.createDocument(process.id, process.secretariat)).id,
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
      } else {
        expect(response.statusCode, label).toBe(403)
        expect(response.json().code).toBe('forbidden')
      }
    }
  })
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
  })
})
