import type { Role } from '../../shared/domain/roles'
import type { Db } from '../db/database'
import { inTransaction } from '../db/transaction'
import type { Origin } from '../context'
import { createAccount, findUserByEmail } from '../auth/service'
import { insertGroup, insertMember, insertProcessWithSecretariat } from '../processes/service'
import { insertDocument } from '../documents/service'
import { parseMarkdown } from '../render/markdown'
import { alignedSpanish, seedDemoTranslation } from './translation'
import { DRAFT_EN, DRAFT_EN_TITLE, DRAFT_ES, DRAFT_ES_TITLE } from './strategy-drafts'
import { seedDemoThreads, type DemoMember } from './threads'
import { moveDemoToConsultation, seedDemoVersions } from './lifecycle'
import { seedDemoConsultation } from './consultation'
import { seedDemoWorkshops } from './workshops'
import { seedDemoEarlierCycle } from './earlier-cycle'
import { seedDemoParticipation } from './participation'

export const DEMO_PASSWORD = 'concord-demo'
export const DEMO_PROCESS_TITLE = 'National Cybersecurity Strategy — demo'

interface DemoPerson {
  email: string
  name: string
  role: Role
  group: string
  organisation: string
  locale: 'en' | 'es'
}

/** One person per role and stakeholder group, so every view of the demo has someone in it. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { email: 'secretariat@example.org', name: 'Sofía Ramírez', role: 'secretariat', group: 'government', organisation: 'Ministry of ICT', locale: 'en' },
  { email: 'drafter@example.org', name: 'Daniel Ortega', role: 'drafter', group: 'government', organisation: 'National CERT', locale: 'es' },
  { email: 'civil-society@example.org', name: 'Lucía Fernández', role: 'stakeholder', group: 'civil-society', organisation: 'Digital Rights Foundation', locale: 'es' },
  { email: 'academia@example.org', name: 'Martín Castillo', role: 'stakeholder', group: 'academia', organisation: 'National University', locale: 'en' },
  { email: 'private-sector@example.org', name: 'Carla Mendes', role: 'stakeholder', group: 'private-sector', organisation: 'Digital Commerce Chamber', locale: 'en' },
  { email: 'citizen@example.org', name: 'Jorge Pérez', role: 'stakeholder', group: 'individual', organisation: '', locale: 'es' },
  { email: 'facilitator@example.org', name: 'Elena Torres', role: 'facilitator', group: 'civil-society', organisation: 'Dialogue Table', locale: 'en' },
  { email: 'observer@example.org', name: 'Amara Okafor', role: 'observer', group: 'government', organisation: 'Regional cooperation office', locale: 'en' },
]

/** Whether the demo has been seeded already (its secretariat account exists). */
export async function demoExists(db: Db): Promise<boolean> {
  return (await findUserByEmail(db, DEMO_PEOPLE[0]!.email)) !== undefined
}

/**
 * Creates the demo: accounts for each role and group (all with DEMO_PASSWORD), the
 * process "National Cybersecurity Strategy — demo" in English and Spanish with a technical
 * community group added, and a draft strategy in English with its Spanish translation (aligned by section, one section behind; two documents
 * with real content), discussed in threads from every group (demo/threads.ts), and an open public consultation on
 * the English draft at /c/demo (demo/consultation.ts), a closed workshop with published minutes and a scheduled one (demo/workshops.ts). Runs in one transaction; does nothing if the demo exists. Returns
 * whether it seeded.
 */
export async function seedDemo(db: Db): Promise<boolean> {
  if (await demoExists(db)) {
    return false
  }
  await inTransaction(db, async (trx) => {
    const [first, ...rest] = DEMO_PEOPLE
    const admin = await createAccount(
      trx,
      { email: first!.email, name: first!.name, password: DEMO_PASSWORD, isAdmin: true, locale: first!.locale },
      null,
    )
    const origin: Origin = { userId: admin.id, name: admin.name, ip: 'demo' }
    const { id: processId } = await insertProcessWithSecretariat(
      trx,
      admin.id,
      {
        title: DEMO_PROCESS_TITLE,
        languages: ['en', 'es'],
        description:
          'A demonstration process: the secretariat, drafters and stakeholder groups co-draft a national cybersecurity strategy. ' +
          'Proceso de demostración: la secretaría, los redactores y los grupos de interés redactan juntos una estrategia nacional de ciberseguridad.',
      },
      origin,
      { stakeholderGroup: first!.group, organisation: first!.organisation },
    )
    await insertGroup(trx, processId, 'technical-community', 'Technical community', origin)
    const members = new Map<string, DemoMember>([
      [first!.email, { email: first!.email, userId: admin.id, name: admin.name, group: first!.group, organisation: first!.organisation, role: first!.role }],
    ])
    for (const person of rest) {
      const user = await createAccount(
        trx,
        { email: person.email, name: person.name, password: DEMO_PASSWORD, locale: person.locale },
        origin,
      )
      await insertMember(trx, processId, user, { role: person.role, stakeholderGroup: person.group, organisation: person.organisation }, origin)
      members.set(person.email, { email: person.email, userId: user.id, name: user.name, group: person.group, organisation: person.organisation, role: person.role })
    }
    // The drafts are written into the Yjs state here, once, inside the seed's transaction
    // (DESIGN: initial content never comes from the first client to connect).
    const enContent = parseMarkdown(DRAFT_EN)
    const en = await insertDocument(trx, processId, DRAFT_EN_TITLE, origin, { content: enContent, source: 'demo' })
    // The Spanish draft is the English one's translation, aligned section by section, with one
    // section behind its source (demo/translation.ts).
    const esContent = alignedSpanish(enContent, parseMarkdown(DRAFT_ES))
    const es = await insertDocument(trx, processId, DRAFT_ES_TITLE, origin, { content: esContent, source: 'demo' })
    await seedDemoTranslation(trx, { id: en.id, content: enContent }, { id: es.id, content: esContent }, origin)
    // The earlier cycle, before this cycle's threads and stage moves: the 2022 strategy in force,
    // its commitments, and the review cycle that opened this drafting stage (demo/earlier-cycle.ts).
    // Its document is listed after the two drafts.
    await seedDemoEarlierCycle(trx, processId, origin)
    await seedDemoThreads(trx, processId, { en: en.id, es: es.id }, (email) => members.get(email)!)
    // Earlier weeks of the discussion, for the participation balance (issue 17).
    await seedDemoParticipation(trx, processId, en.id, (email) => members.get(email)!)
    const facilitator = members.get('facilitator@example.org')!
    const english = { id: en.id, process_id: processId, title: DRAFT_EN_TITLE }
    await seedDemoVersions(trx, english, origin)
    await seedDemoConsultation(trx, english, origin, facilitator)
    await moveDemoToConsultation(trx, processId, origin)
    await seedDemoWorkshops(trx, processId, en.id, [...members.values()], facilitator)
    // The demo's public record is on, at /p/demo (issue 14, item 7).
    await trx
      .updateTable('processes')
      .set({ public_home: true, public_slug: 'demo' })
      .where('id', '=', processId)
      .execute()
  })
  return true
}
