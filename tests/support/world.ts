import type { Role } from '../../shared/domain/roles'
import type { Client, TestApp } from './app'
import type { TestProcess } from './factories'
import { THREAD_DRAFT } from './threads'

/** A process with one member of every role and a document, with a signed-in client per role. */
export interface World {
  process: TestProcess
  documentId: string
  owner: Client
  people: Record<Exclude<Role, 'secretariat'>, Client>
}

/** Makes a World whose document holds `markdown` (the three-section thread draft by default). */
export async function makeWorld(t: TestApp, markdown: string = THREAD_DRAFT): Promise<World> {
  const { factories } = t
  const users = {
    drafter: await factories.createUser(),
    stakeholder: await factories.createUser(),
    facilitator: await factories.createUser(),
    observer: await factories.createUser(),
  }
  const process = await factories.createProcess({
    members: [
      { user: users.drafter, role: 'drafter' },
      { user: users.stakeholder, role: 'stakeholder' },
      { user: users.facilitator, role: 'facilitator' },
      { user: users.observer, role: 'observer' },
    ],
  })
  const { id: documentId } = await factories.createDocument(
    process.id,
    process.secretariat,
    'Strategy',
    markdown,
  )
  return {
    process,
    documentId,
    owner: await t.as(process.secretariat),
    people: {
      drafter: await t.as(users.drafter),
      stakeholder: await t.as(users.stakeholder),
      facilitator: await t.as(users.facilitator),
      observer: await t.as(users.observer),
    },
  }
}
