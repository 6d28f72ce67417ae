import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createTestApp } from '../support/app'

const t = await createTestApp()
const { db, factories, mail } = t

const count = async (table: 'memberships' | 'invitations' | 'processes' | 'stakeholder_groups' | 'audit_log') =>
  (await db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n

describe('processes', () => {
  it('lets an administrator create a process and become its secretariat', async () => {
    const admin = await factories.createUser({ isAdmin: true })
    const client = await t.as(admin)
    const created = await client.post('/api/processes', { title: 'Estrategia Nacional de Ciberseguridad', languages: ['es', 'en'] })
    expect(created.statusCode).toBe(201)
    const { id } = created.json()
    const detail = (await client.get(`/api/processes/${id}`)).json()
    expect(detail).toMatchObject({ title: 'Estrategia Nacional de Ciberseguridad', languages: ['es', 'en'], myRole: 'secretariat', memberCount: 1 })
    expect(detail.groups.map((g: { key: string }) => g.key)).toEqual(['government', 'civil-society', 'academia', 'private-sector', 'individual'])
    expect(detail.myActions).toContain('members.manage')
    expect((await client.get('/api/processes')).json().map((p: { id: string }) => p.id)).toContain(id)
  })

  it('refuses process creation to non-administrators and bad bodies, creating nothing', async () => {
    const user = await factories.createUser()
    const admin = await factories.createUser({ isAdmin: true })
    const before = await count('processes')
    expect((await (await t.as(user)).post('/api/processes', { title: 'Mine' })).statusCode).toBe(403)
    const adminClient = await t.as(admin)
    for (const body of [{}, { title: '' }, { title: '   ' }, { title: 'x'.repeat(201) }, { title: 'ok', languages: ['xx'] }, { title: 'ok', extra: 1 }]) {
      const response = await adminClient.post('/api/processes', body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
      expect(response.json().code).toBe('validation_failed')
    }
    expect(await count('processes')).toBe(before)
  })

  it('keeps other processes private: 404 for non-members, 400 for malformed ids', async () => {
    const a = await factories.createProcess()
    const b = await factories.createProcess()
    const client = await t.as(a.secretariat)
    expect((await client.get(`/api/processes/${b.id}`)).statusCode).toBe(404)
    expect((await client.get(`/api/processes/${b.id}/members`)).statusCode).toBe(404)
    expect((await client.get('/api/processes/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404)
    expect((await client.get('/api/processes/not-a-uuid')).statusCode).toBe(400)
    expect((await client.get('/api/processes')).json().map((p: { id: string }) => p.id)).not.toContain(b.id)
  })

  it('updates settings and archives: an archived process refuses changes until unarchived', async () => {
    const p = await factories.createProcess()
    const client = await t.as(p.secretariat)
    const updated = await client.patch(`/api/processes/${p.id}`, { title: 'New title', description: 'About', languages: ['en'] })
    expect(updated.json()).toMatchObject({ title: 'New title', description: 'About', languages: ['en'] })
    const archived = await client.post(`/api/processes/${p.id}/archive`, { archived: true })
    expect(archived.json().archived).toBe(true)
    expect(archived.json().myActions).not.toContain('members.manage')
    const refused = await client.patch(`/api/processes/${p.id}`, { title: 'Changed while archived' })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().code).toBe('archived')
    expect((await client.get(`/api/processes/${p.id}`)).json().title).toBe('New title')
    expect((await client.post(`/api/processes/${p.id}/archive`, { archived: false })).json().archived).toBe(false)
    expect((await client.patch(`/api/processes/${p.id}`, { title: 'Back' })).statusCode).toBe(200)
  })
})

describe('stakeholder groups', () => {
  it('adds a group, refuses duplicates, and removes only unused groups', async () => {
    const p = await factories.createProcess()
    const client = await t.as(p.secretariat)
    const added = await client.post(`/api/processes/${p.id}/groups`, { label: 'Comunidad técnica' })
    expect(added.statusCode).toBe(201)
    expect(added.json()).toMatchObject({ key: 'comunidad-tecnica', label: 'Comunidad técnica', builtIn: false })
    expect((await client.post(`/api/processes/${p.id}/groups`, { label: 'comunidad  TÉCNICA' })).statusCode).toBe(409)
    expect((await client.post(`/api/processes/${p.id}/groups`, { label: '!!!' })).statusCode).toBe(400)
    // The secretariat is in 'government': that group is in use.
    expect((await client.delete(`/api/processes/${p.id}/groups/government`)).statusCode).toBe(409)
    expect((await client.delete(`/api/processes/${p.id}/groups/comunidad-tecnica`)).statusCode).toBe(200)
    expect((await client.delete(`/api/processes/${p.id}/groups/comunidad-tecnica`)).statusCode).toBe(404)
    const keys = (await client.get(`/api/processes/${p.id}`)).json().groups.map((g: { key: string }) => g.key)
    expect(keys).not.toContain('comunidad-tecnica')
  })
})

describe('members and invitations', () => {
  it('adds an existing account at once and tells them by e-mail', async () => {
    const p = await factories.createProcess()
    const person = await factories.createUser()
    const client = await t.as(p.secretariat)
    mail.messages.length = 0
    const response = await client.post(`/api/processes/${p.id}/members`, {
      email: person.email.toUpperCase(),
      role: 'drafter',
      stakeholderGroup: 'academia',
      organisation: 'Universidad Nacional',
    })
    expect(response.statusCode).toBe(201)
    expect(response.json()).toMatchObject({ status: 'added', member: { userId: person.id, role: 'drafter', stakeholderGroup: 'academia', organisation: 'Universidad Nacional' } })
    expect(mail.messages.map((m) => m.to)).toEqual([person.email])
    const duplicate = await client.post(`/api/processes/${p.id}/members`, { email: person.email, role: 'observer', stakeholderGroup: 'academia' })
    expect(duplicate.statusCode).toBe(409)
    const asMember = await t.as(person)
    expect((await asMember.get(`/api/processes/${p.id}`)).json().myRole).toBe('drafter')
  })

  it('refuses an unknown group or role and changes nothing', async () => {
    const p = await factories.createProcess()
    const client = await t.as(p.secretariat)
    const [members, invitations] = [await count('memberships'), await count('invitations')]
    for (const body of [
      { email: 'new@example.org', role: 'drafter', stakeholderGroup: 'no-such-group' },
      { email: 'new@example.org', role: 'king', stakeholderGroup: 'academia' },
      { email: 'not-an-email', role: 'drafter', stakeholderGroup: 'academia' },
      { email: 'new@example.org', role: 'drafter', stakeholderGroup: 'academia', organisation: 'x'.repeat(161) },
    ]) {
      const response = await client.post(`/api/processes/${p.id}/members`, body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
    }
    expect([await count('memberships'), await count('invitations')]).toEqual([members, invitations])
  })

  it('invites a new address; the link creates the account once, then expires', async () => {
    const p = await factories.createProcess()
    const client = await t.as(p.secretariat)
    mail.messages.length = 0
    const email = `invitee-${Date.now()}@example.org`
    const invited = await client.post(`/api/processes/${p.id}/members`, { email, role: 'stakeholder', stakeholderGroup: 'civil-society', organisation: 'ONG Datos' })
    expect(invited.statusCode).toBe(201)
    expect(invited.json()).toMatchObject({ status: 'invited', invitation: { email, role: 'stakeholder' } })
    expect((await client.get(`/api/processes/${p.id}/invitations`)).json()).toHaveLength(1)
    expect((await client.post(`/api/processes/${p.id}/members`, { email, role: 'observer', stakeholderGroup: 'academia' })).statusCode).toBe(409)

    const token = /invitations\/([\w-]+)/.exec(mail.messages[0]!.text)![1]!
    const preview = await t.anonymous.get(`/api/invitations/${token}`)
    expect(preview.json()).toMatchObject({ processTitle: p.title, email, role: 'stakeholder', organisation: 'ONG Datos' })
    expect((await t.anonymous.post(`/api/invitations/${token}/accept`, { name: 'Invitee', password: 'short' })).statusCode).toBe(400)

    const accepted = await t.anonymous.post(`/api/invitations/${token}/accept`, { name: 'María Invitada', password: 'invitee-password-1' })
    expect(accepted.statusCode).toBe(200)
    expect(accepted.json().processId).toBe(p.id)
    const cookie = accepted.cookies.find((c) => c.name === 'concord_session')!.value
    const mine = await t.app.inject({ method: 'GET', url: '/api/processes', cookies: { concord_session: cookie } })
    expect(mine.json()[0]).toMatchObject({ id: p.id, myRole: 'stakeholder' })

    const reused = await t.anonymous.post(`/api/invitations/${token}/accept`, { name: 'Someone Else', password: 'another-password-1' })
    expect(reused.statusCode).toBe(410)
    expect(reused.json().code).toBe('invitation_expired')
    expect((await t.anonymous.get(`/api/invitations/${token}`)).statusCode).toBe(410)
    expect((await client.get(`/api/processes/${p.id}/invitations`)).json()).toHaveLength(0)
  })

  it('refuses expired and revoked invitations', async () => {
    const p = await factories.createProcess()
    const client = await t.as(p.secretariat)
    mail.messages.length = 0
    await client.post(`/api/processes/${p.id}/members`, { email: 'late@example.org', role: 'observer', stakeholderGroup: 'academia' })
    const second = await client.post(`/api/processes/${p.id}/members`, { email: 'revoked@example.org', role: 'observer', stakeholderGroup: 'academia' })
    const [lateToken, revokedToken] = mail.messages.map((m) => /invitations\/([\w-]+)/.exec(m.text)![1]!)
    await db.updateTable('invitations').set({ expires_at: new Date(Date.now() - 1000) }).where('email', '=', 'late@example.org').execute()
    const late = await t.anonymous.post(`/api/invitations/${lateToken}/accept`, { name: 'Late', password: 'late-password-1' })
    expect(late.statusCode).toBe(410)

    expect((await client.delete(`/api/processes/${p.id}/invitations/${second.json().invitation.id}`)).statusCode).toBe(200)
    const revoked = await t.anonymous.post(`/api/invitations/${revokedToken}/accept`, { name: 'Revoked', password: 'revoked-password-1' })
    expect(revoked.statusCode).toBe(404)
    const accounts = await db.selectFrom('users').select('email').where('email', 'in', ['late@example.org', 'revoked@example.org']).execute()
    expect(accounts).toHaveLength(0)
    expect((await t.anonymous.get('/api/invitations/this-token-does-not-exist-at-all')).statusCode).toBe(404)
  })

  it('changes roles and removes members, but never the last secretariat', async () => {
    const drafter = await factories.createUser()
    const p = await factories.createProcess({ members: [{ user: drafter, role: 'drafter' }] })
    const client = await t.as(p.secretariat)
    const selfId = p.membershipIds.get(p.secretariat.email)!
    const drafterId = p.membershipIds.get(drafter.email)!

    const lastOne = await client.patch(`/api/processes/${p.id}/members/${selfId}`, { role: 'observer' })
    expect(lastOne.statusCode).toBe(409)
    expect((await client.delete(`/api/processes/${p.id}/members/${selfId}`)).statusCode).toBe(409)

    const changed = await client.patch(`/api/processes/${p.id}/members/${drafterId}`, { role: 'observer', organisation: 'OECD' })
    expect(changed.json()).toMatchObject({ role: 'observer', organisation: 'OECD' })
    const drafterClient = await t.as(drafter)
    expect((await drafterClient.get(`/api/processes/${p.id}`)).json().myRole).toBe('observer')

    expect((await client.delete(`/api/processes/${p.id}/members/${drafterId}`)).statusCode).toBe(200)
    expect((await drafterClient.get(`/api/processes/${p.id}`)).statusCode).toBe(404)
    expect((await client.get(`/api/processes/${p.id}/members`)).json()).toHaveLength(1)
  })
})

describe('audit log', () => {
  it('records who did what, pages newest first, and can never be rewritten', async () => {
    const person = await factories.createUser()
    const p = await factories.createProcess()
    const client = await t.as(p.secretariat)
    const added = await client.post(`/api/processes/${p.id}/members`, { email: person.email, role: 'stakeholder', stakeholderGroup: 'academia' })
    await client.patch(`/api/processes/${p.id}/members/${added.json().member.id}`, { role: 'drafter' })
    await client.delete(`/api/processes/${p.id}/members/${added.json().member.id}`)

    const page = (await client.get(`/api/processes/${p.id}/audit?limit=2`)).json()
    expect(page.entries.map((e: { action: string }) => e.action)).toEqual(['member.removed', 'member.role_changed'])
    expect(page.entries[1]).toMatchObject({ actorName: p.secretariat.name, details: { role: { from: 'stakeholder', to: 'drafter' } } })
    const rest = (await client.get(`/api/processes/${p.id}/audit?limit=50&before=${page.nextBefore}`)).json()
    expect(rest.entries.map((e: { action: string }) => e.action)).toEqual(['member.added', 'process.created'])
    expect(rest.nextBefore).toBeNull()

    await expect(sql`UPDATE audit_log SET action = 'forged'`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/)
    expect(await count('audit_log')).toBeGreaterThan(0)
  })

  it('records sign-ins', async () => {
    const user = await factories.createUser()
    await t.as(user)
    const row = await db.selectFrom('audit_log').select('action').where('actor_id', '=', user.id).where('action', '=', 'auth.signed_in').executeTakeFirst()
    expect(row).toBeDefined()
  })
})
