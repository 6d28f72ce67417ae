import { findSections } from '../../shared/schema'
import { anchorForQuote } from '../comments/anchors'
import { insertSeedThread, type SeedAuthor } from '../comments/service'
import type { Executor } from '../db/database'
import * as Y from 'yjs'
import { loadScratchDoc } from '../documents/service'
import { PROSEMIRROR_FRAGMENT, updateToProseMirror } from '../render/to-prosemirror'

/** A demo member as the threads need them: their account and their membership. */
export interface DemoMember extends SeedAuthor {
  email: string
}

/**
 * The demo's discussion (issue 5, item 11): threads from every stakeholder group on several
 * sections of both drafts — comments, questions, a proposed change to a passage and one to a
 * whole section, replies, endorsements from several groups, a resolved question, a mention, a
 * flagged reply waiting in the moderation queue and a reply hidden by the facilitator.
 */
export async function seedDemoThreads(
  trx: Executor,
  processId: string,
  documents: { en: string; es: string },
  people: (email: string) => DemoMember,
): Promise<void> {
  const secretariat = people('secretariat@example.org')
  const drafter = people('drafter@example.org')
  const civil = people('civil-society@example.org')
  const academia = people('academia@example.org')
  const business = people('private-sector@example.org')
  const citizen = people('citizen@example.org')
  const facilitator = people('facilitator@example.org')
  const endorser = (m: DemoMember) => ({
    userId: m.userId,
    group: m.group,
    organisation: m.organisation,
  })

  for (const [language, documentId] of [
    ['en', documents.en],
    ['es', documents.es],
  ] as const) {
    // The seed runs in one transaction: read the drafts through it.
    const scratch = await loadScratchDoc(trx, documentId)
    const fragment = scratch.getXmlFragment(PROSEMIRROR_FRAGMENT)
    const sections = findSections(updateToProseMirror(Y.encodeStateAsUpdate(scratch)))
    const section = (prefix: string) => {
      const found = sections.find((s) => s.title.startsWith(prefix))
      if (!found?.id) {
        throw new Error(`The demo draft has no section "${prefix}"`)
      }
      return { sectionId: found.id, sectionTitle: found.title }
    }
    const anchor = (quote: string) => {
      const found = anchorForQuote(fragment, quote)
      if (!found) {
        throw new Error(`The demo draft does not contain "${quote}"`)
      }
      return found
    }
    const base = { processId, documentId }

    if (language === 'en') {
      await insertSeedThread(trx, {
        ...base,
        ...section('4.1'),
        kind: 'comment',
        author: civil,
        body: 'Two seats each is a start, but government bodies would still outnumber every other group on the Council. We ask for **parity** between government and the other groups together.',
        anchor: anchor('Give each stakeholder group two seats on the Council'),
        replies: [
          {
            author: drafter,
            body: 'Noted. The decree could fix the number of government seats too; we will draft an option for the next review.',
          },
          {
            author: citizen,
            body: 'Everyone on that council will be a crook anyway, like all politicians!!!',
            flaggedBy: {
              userId: business.userId,
              name: business.name,
              reason: 'A personal attack, not about the text',
            },
            hiddenBy: {
              userId: facilitator.userId,
              name: facilitator.name,
              reason: 'Personal attack; please keep to the text.',
            },
          },
        ],
        endorsedBy: [endorser(academia), endorser(citizen), endorser(facilitator)],
      })
      await insertSeedThread(trx, {
        ...base,
        ...section('4.2'),
        kind: 'proposal',
        author: academia,
        body: 'Twenty-four hours is hard for a small municipal utility. Most frameworks ask for an early warning within 24 hours and a full notification within 72.',
        anchor: anchor('within 24 hours'),
        proposal: {
          scope: 'range',
          text: 'with an early warning within 24 hours and a full notification within 72 hours',
        },
        endorsedBy: [endorser(business), endorser(drafter)],
      })
      await insertSeedThread(trx, {
        ...base,
        ...section('4.2'),
        kind: 'question',
        author: business,
        body: 'Will the free assessments also be open to small private operators, or only to cooperatives and municipal utilities?',
        anchor: anchor('free assessments and shared services'),
        replies: [
          {
            author: secretariat,
            body: 'Yes: any operator of an essential service with fewer than 50 staff. We will say so in the next version.',
          },
        ],
        resolvedBy: secretariat.name,
      })
      await insertSeedThread(trx, {
        ...base,
        ...section('4.3'),
        kind: 'question',
        author: drafter,
        body: `Health first, then energy? @[${facilitator.name}](${facilitator.userId}), could the workshop on critical infrastructure settle the order?`,
        replies: [
          {
            author: academia,
            body: 'Energy is a dependency of every hospital; the order matters less than a shared exercise in 2027.',
            flaggedBy: { userId: citizen.userId, name: citizen.name, reason: 'Off topic?' },
          },
        ],
        endorsedBy: [endorser(civil)],
      })
      await insertSeedThread(trx, {
        ...base,
        ...section('1. Vision'),
        kind: 'proposal',
        author: civil,
        body: 'The vision should name human rights explicitly, as the guiding principles do.',
        proposal: {
          scope: 'section',
          // Markdown: applied, the emphasis is kept (issue 15, item 3); undo brings the old text back.
          text: 'By 2030, everyone in the country can use digital services with confidence: a cyberspace that is secure, resilient and respectful of **human rights**, built with every stakeholder group.',
        },
        endorsedBy: [endorser(citizen), endorser(academia)],
      })
      // Threads across versions (issue 14, item 3): a question on the zero draft, answered
      // before the draft for stakeholder review corrected the passage, so it shows "text
      // changed since this comment" with the redline, and links to the version that answered it.
      const DAY = 86_400_000
      await insertSeedThread(trx, {
        ...base,
        ...section('Introduction'),
        kind: 'question',
        author: academia,
        body: 'Is “two regional hospitals” still right? The health ministry’s incident report for this year lists a third.',
        anchor: anchor('ransomware has stopped the services of two regional hospitals'),
        replies: [
          {
            author: drafter,
            body: 'Checked with the national CERT: three. The draft for stakeholder review will say so.',
          },
        ],
        resolvedBy: drafter.name,
        dates: {
          openedAt: new Date(Date.now() - 26 * DAY),
          resolvedAt: new Date(Date.now() - 24 * DAY),
        },
      })
    } else {
      await insertSeedThread(trx, {
        ...base,
        ...section('4.3'),
        kind: 'comment',
        author: citizen,
        body: 'Además del formulario web, hace falta un número de teléfono gratuito: mucha gente mayor no usa formularios.',
        anchor: anchor('con respuesta en dos días hábiles'),
        endorsedBy: [endorser(civil), endorser(business)],
      })
    }
    scratch.destroy()
  }
}
