import { randomBytes } from 'node:crypto'
import type { Role } from '../../shared/domain/roles'
import type { Db } from '../../server/db/database'
import { inTransaction } from '../../server/db/transaction'
import { createAccount } from '../../server/auth/service'
import { insertMember, insertProcessWithSecretariat } from '../../server/processes/service'
import { insertDocument } from '../../server/documents/service'
import { parseMarkdown } from '../../server/render/markdown'
import { assignSectionIds } from '../../shared/schema/section-ids'

export interface TestUser {
  id: string
  email: string
  password: string
  name: string
  isAdmin: boolean
}

export interface TestProcess {
  id: string
  title: string
  secretariat: TestUser
  /** The membership id of each member by their user's email. */
  membershipIds: Map<string, string>
}

const unique = () => randomBytes(5).toString('hex')

/** Factories make rows with unique values through the real services, so files need no cleanup. */
export function factories(db: Db) {
  async function createUser(input: Partial<Omit<TestUser, 'id'>> = {}): Promise<TestUser> {
    const email = input.email ?? `user-${unique()}@example.org`
    const password = input.password ?? `password-${unique()}`
    const name = input.name ?? `User ${unique()}`
    const user = await createAccount(db, { email, password, name, isAdmin: input.isAdmin ?? false }, null)
    return { id: user.id, email, password, name, isAdmin: user.is_admin }
  }

  async function createProcess(
    input: {
      title?: string
      secretariat?: TestUser
      members?: { user: TestUser; role: Role; group?: string; organisation?: string }[]
      languages?: string[]
    } = {},
  ): Promise<TestProcess> {
    const secretariat = input.secretariat ?? (await createUser({ isAdmin: true }))
    const title = input.title ?? `Process ${unique()}`
    const origin = { userId: secretariat.id, name: secretariat.name, ip: 'test' }
    return inTransaction(db, async (trx) => {
      const { id } = await insertProcessWithSecretariat(trx, secretariat.id, { title, languages: input.languages ?? ['en', 'es'] }, origin)
      const membershipIds = new Map<string, string>()
      const own = await trx.selectFrom('memberships').select('id').where('process_id', '=', id).executeTakeFirstOrThrow()
      membershipIds.set(secretariat.email, own.id)
      for (const m of input.members ?? []) {
        const member = await insertMember(
          trx,
          id,
          m.user,
          { role: m.role, stakeholderGroup: m.group ?? 'civil-society', organisation: m.organisation ?? '' },
          origin,
        )
        membershipIds.set(m.user.email, member.id)
      }
      return { id, title, secretariat, membershipIds }
    })
  }

  /** A document, empty or with Markdown content (headings become sections with fresh ids). */
  async function createDocument(processId: string, by: TestUser, title = `Document ${unique()}`, markdown?: string) {
    const content = markdown === undefined ? undefined : assignSectionIds(parseMarkdown(markdown))
    return insertDocument(db, processId, title, { userId: by.id, name: by.name, ip: 'test' }, { content })
  }

  return { createUser, createProcess, createDocument }
}

export type Factories = ReturnType<typeof factories>
