import { findSections } from '../../shared/schema'
import { insertSeedThread } from '../comments/service'
import type { Executor } from '../db/database'
import * as Y from 'yjs'
import { loadScratchDoc } from '../documents/service'
import { updateToProseMirror } from '../render/to-prosemirror'
import type { DemoMember } from './threads'

const DAY = 86_400_000

/**
 * Earlier weeks of the members' discussion on the English draft (issue 17), so the
 * participation balance has a history to show: a thread a week for six weeks, each from a
 * different group with a reply from another. Some sections (international cooperation,
 * governance and implementation) are left to the members' threads of this week alone, and
 * the technical community has no one yet, so the balance shows gaps worth closing.
 */
export async function seedDemoParticipation(
  trx: Executor,
  processId: string,
  documentId: string,
  people: (email: string) => DemoMember,
  now = new Date(),
): Promise<void> {
  const scratch = await loadScratchDoc(trx, documentId)
  const sections = findSections(updateToProseMirror(Y.encodeStateAsUpdate(scratch)))
  const section = (prefix: string) => {
    const found = sections.find((s) => s.title.startsWith(prefix))
    if (!found?.id) {
      throw new Error(`The demo draft has no section "${prefix}"`)
    }
    return { sectionId: found.id, sectionTitle: found.title }
  }
  const weeks: {
    weeksAgo: number
    section: string
    author: string
    body: string
    reply: { author: string; body: string }
  }[] = [
    {
      weeksAgo: 6,
      section: '2.',
      author: 'drafter@example.org',
      body: 'A first reading note: the principles should say that the strategy is reviewed in the open, not only adopted in the open.',
      reply: {
        author: 'academia@example.org',
        body: 'Agreed; the review could be tied to the indicators in section 6.',
      },
    },
    {
      weeksAgo: 5,
      section: '4.2',
      author: 'private-sector@example.org',
      body: 'Operators need one point of contact for incident reports, not one per regulator.',
      reply: {
        author: 'drafter@example.org',
        body: 'The CERT could forward reports to the sector regulators; we will draft that.',
      },
    },
    {
      weeksAgo: 4,
      section: '4.5',
      author: 'academia@example.org',
      body: 'The skills programme should fund teachers’ training, not only student scholarships.',
      reply: {
        author: 'civil-society@example.org',
        body: 'And reach public libraries, where many people learn digital skills first.',
      },
    },
    {
      weeksAgo: 3,
      section: '4.4',
      author: 'civil-society@example.org',
      body: 'Access to justice needs a plain-language guide for victims of online fraud.',
      reply: {
        author: 'citizen@example.org',
        body: 'Yes — when my account was stolen nobody told me where to report it.',
      },
    },
    {
      weeksAgo: 2,
      section: '3.',
      author: 'citizen@example.org',
      body: 'Could one objective be measured by how many people feel safe online? A yearly survey would do.',
      reply: {
        author: 'academia@example.org',
        body: 'The national statistics office already runs a household ICT survey; a question could be added.',
      },
    },
    {
      weeksAgo: 1,
      section: '6.',
      author: 'private-sector@example.org',
      body: 'Indicators should be published every six months, with the method, so companies can plan.',
      reply: {
        author: 'secretariat@example.org',
        body: 'We will publish the method with the first report.',
      },
    },
  ]
  for (const week of weeks) {
    const openedAt = new Date(now.getTime() - week.weeksAgo * 7 * DAY)
    await insertSeedThread(trx, {
      processId,
      documentId,
      ...section(week.section),
      kind: 'comment',
      author: people(week.author),
      body: week.body,
      replies: [{ author: people(week.reply.author), body: week.reply.body }],
      dates: { openedAt, resolvedAt: new Date(openedAt.getTime() + 2 * DAY) },
    })
  }
}
