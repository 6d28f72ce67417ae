import type { Origin } from '../context'
import type { DocumentRow, Trx } from '../db/database'
import { insertSeedAnswer, insertSeedConsultation } from '../consultation/service'
import { recordSubmission, type SubmissionInput } from '../consultation/public-service'
import { hideSeedThread } from '../comments/service'
import { loadState } from '../documents/state'
import { freezeState, insertFrozenVersion } from '../versions/service'

const DAY = 86_400_000

interface DemoSubmission {
  section: string
  name: string | null
  group: string
  organisation?: string
  body: string
  quote?: string
  /** Days before now it was sent. */
  daysAgo: number
  /** Copies of the same text sent by others (a campaign). */
  copies?: { name: string | null; group: string; organisation?: string; daysAgo: number }[]
  answer?: { disposition: string; text: string }
  hiddenReason?: string
}

/**
 * The demo's public side (issue 6, item 9): the English draft frozen as "Draft for public
 * consultation" and opened at /c/demo — anonymous comments allowed, published immediately,
 * open for weeks to come — with public comments from several groups, a campaign of identical
 * submissions, a comment hidden by the moderator and answers from the secretariat. Written
 * inside the seed's transaction, through the same recordSubmission as the public form.
 */
export async function seedDemoConsultation(
  trx: Trx,
  document: Pick<DocumentRow, 'id' | 'process_id' | 'title'>,
  secretariat: Origin,
  moderator: { userId: string; name: string },
): Promise<void> {
  const now = Date.now()
  const frozen = freezeState(await loadState(trx, document.id))
  const version = await insertFrozenVersion(
    trx,
    document,
    frozen,
    'Draft for public consultation',
    secretariat,
  )
  const opensAt = new Date(now - 7 * DAY)
  const consultation = await insertSeedConsultation(
    trx,
    {
      processId: document.process_id,
      documentId: document.id,
      versionId: version.id,
      slug: 'demo',
      title: {
        en: 'National Cybersecurity Strategy: public consultation',
        es: 'Estrategia Nacional de Ciberseguridad: consulta pública',
      },
      introduction: {
        en:
          'The Ministry invites everyone — citizens, organisations, universities and companies — to comment on the draft strategy, section by section. ' +
          'Every comment will receive a published answer.',
        es:
          'El Ministerio invita a todas las personas — ciudadanía, organizaciones, universidades y empresas — a comentar el borrador de estrategia, sección por sección. ' +
          'Cada comentario recibirá una respuesta publicada.',
      },
      opensAt,
      closesAt: new Date(now + 60 * DAY),
      timeZone: 'America/Bogota',
      access: 'anonymous',
      moderation: 'after',
      visibility: 'immediately',
    },
    secretariat,
  )
  const section = (prefix: string) => {
    const found = consultation.version_sections.find((s) => s.title.startsWith(prefix))
    if (!found?.id) {
      throw new Error(`The demo draft has no section "${prefix}"`)
    }
    return found.id
  }

  const submissions: DemoSubmission[] = [
    {
      section: '1. Vision',
      name: null,
      group: 'individual',
      body: 'The vision should say plainly that people’s privacy is part of security, not its price.',
      daysAgo: 6,
      answer: {
        disposition: 'accepted',
        text: 'Agreed: the vision will name privacy and human rights as part of cybersecurity.',
      },
    },
    {
      section: '4.2',
      name: 'Ana Gómez',
      group: 'private-sector',
      organisation: 'Regional Electricity Cooperative',
      body: 'Small operators cannot report every incident within 24 hours. Please allow a 72-hour full report after a short first notice.',
      quote: 'within 24 hours',
      daysAgo: 5,
      answer: {
        disposition: 'partially-accepted',
        text: 'The first notice stays at 24 hours; the full report may follow within 72 hours.',
      },
    },
    {
      section: '4.5',
      name: 'Prof. Luis Herrera',
      group: 'academia',
      organisation: 'Technological University',
      body: 'Research funding should include open datasets of anonymised incidents for universities.',
      daysAgo: 3,
    },
    {
      section: '4.4',
      name: null,
      group: 'civil-society',
      organisation: 'Digital Rights Network',
      body: 'Cybercrime laws must not be used against journalists and security researchers. Add a safe harbour for good-faith research.',
      daysAgo: 2,
      copies: [
        { name: 'María López', group: 'individual', daysAgo: 2 },
        { name: null, group: 'individual', daysAgo: 1 },
        { name: 'Pedro Ruiz', group: 'civil-society', organisation: 'Open Knowledge Circle', daysAgo: 1 },
      ],
      answer: {
        disposition: 'noted',
        text: 'Noted for the drafting group’s next session on action line 4.4; a safe-harbour clause is being studied with the Attorney General’s office.',
      },
    },
    {
      section: '6.',
      name: 'Carlos',
      group: 'individual',
      body: 'Buy cheap followers at my website!!!',
      daysAgo: 1,
      hiddenReason: 'Advertising unrelated to the consultation.',
    },
    {
      section: '4.6',
      name: null,
      group: 'individual',
      body: 'What does international cooperation mean for a small municipality like ours?',
      daysAgo: 0,
    },
  ]

  // Each submission is a minute after the one before, and the last one a minute before now:
  // counting forward from now dated today's comments in the future ("in 8 minutes", issue 15).
  const total = submissions.reduce((n, item) => n + 1 + (item.copies?.length ?? 0), 0)
  let address = 0
  const submit = async (input: SubmissionInput, daysAgo: number) => {
    address += 1
    return recordSubmission(trx, consultation, input, {
      addressHash: `demo-${address}`,
      checkLimits: false,
      now: new Date(now - daysAgo * DAY - (total + 1 - address) * 60_000),
    })
  }
  for (const item of submissions) {
    const sectionId = section(item.section)
    const base = {
      sectionId,
      email: null,
      consent: true,
      body: item.body,
      quote: item.quote ?? null,
      language: 'en',
    }
    const recorded = await submit(
      { ...base, name: item.name, stakeholderGroup: item.group, organisation: item.organisation ?? '' },
      item.daysAgo,
    )
    for (const copy of item.copies ?? []) {
      await submit(
        { ...base, name: copy.name, stakeholderGroup: copy.group, organisation: copy.organisation ?? '' },
        copy.daysAgo,
      )
    }
    const thread = recorded.thread!
    if (item.answer) {
      await insertSeedAnswer(trx, thread.id, {
        disposition: item.answer.disposition,
        text: item.answer.text,
        by: secretariat.name,
        at: new Date(now - Math.max(0, item.daysAgo - 1) * DAY),
      })
    }
    if (item.hiddenReason) {
      await hideSeedThread(trx, thread.id, moderator, item.hiddenReason)
    }
  }
}
