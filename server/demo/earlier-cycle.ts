import type { Origin } from '../context'
import type { DocumentRow, Trx } from '../db/database'
import { insertSeedAnswer, insertSeedConsultation } from '../consultation/service'
import { recordSubmission } from '../consultation/public-service'
import { editDocumentIn } from '../documents/service'
import { heading, insertAfter, paragraph, replaceIn } from './lifecycle'
import {
  addIndicatorIn,
  addMeasurementIn,
  addProgressUpdateIn,
  adoptIn,
  listCommitments,
  updateCommitmentIn,
} from '../adoption/service'
import { insertDocument } from '../documents/service'
import { parseMarkdown } from '../render/markdown'
import { recordStageMove } from '../stages/service'
import { freezeState, insertFrozenVersion } from '../versions/service'
import { loadState } from '../documents/state'

const DAY = 86_400_000

export const EARLIER_TITLE = 'National Cybersecurity Strategy 2022–2026'

/** The 2022 draft as it was put to public consultation (at /c/demo-2022). */
const CONSULTED_TEXT = `# National Cybersecurity Strategy 2022–2026

The first national strategy, put to public consultation in 2022.

## 1. Vision

A country whose people, businesses and institutions use digital services with confidence.

## 2. Lines of action

### 2.1 A national CERT for every sector

A national computer emergency response team answers incidents around the clock and shares warnings with every sector.

### 2.2 Protecting critical infrastructure

Operators of essential services register, report serious incidents within 24 hours and are audited every two years.

### 2.3 Awareness

A yearly campaign reaches adults and small businesses.

### 2.4 A specialised cybercrime court

A court chamber specialised in cybercrime hears cases within six months.
`

const day = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10)

/**
 * The demo's earlier cycle (issue 14, items 5, 6 and 9): the 2022–2026 strategy, drafted, put
 * to public consultation at /c/demo-2022 (closed, every comment answered), revised after the
 * answers (a reworded vision and line of action, a renamed one, a new section: what
 * /p/demo/changes shows) and adopted by decree about three years ago, then under
 * implementation review, and the review cycle that opened the current drafting stage. Its four
 * lines of action and the comments it accepted are commitments in each status (done, in
 * progress, planned, dropped with a reason), with indicators, measured values and progress
 * updates. The current draft stays the demo's live consultation; the earlier strategy is the
 * one in force until the new one is adopted. Run it before the current cycle's history, while
 * the process is at drafting.
 */
export async function seedDemoEarlierCycle(
  trx: Trx,
  processId: string,
  secretariat: Origin,
): Promise<void> {
  const { id } = await insertDocument(trx, processId, EARLIER_TITLE, secretariat, {
    content: parseMarkdown(CONSULTED_TEXT),
    source: 'demo',
  })
  const document = { id, process_id: processId, title: EARLIER_TITLE }
  const at = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY)
  await recordStageMove(
    trx,
    processId,
    'drafting',
    'stakeholder-review',
    'The first draft went to the stakeholder groups.',
    secretariat,
    at(-1220),
  )
  await recordStageMove(
    trx,
    processId,
    'stakeholder-review',
    'public-consultation',
    'Public consultation on the 2022 draft at /c/demo-2022.',
    secretariat,
    at(-1190),
  )
  await seedPastConsultation(trx, document, secretariat)
  await recordStageMove(
    trx,
    processId,
    'public-consultation',
    'response',
    'Every comment of the consultation is being answered.',
    secretariat,
    at(-1160),
  )
  // The answers, written into the text: what /p/demo/changes shows (issue 14, items 7 and 9).
  await editDocumentIn(trx, id, (_doc, fragment) => {
    replaceIn(
      fragment,
      'The first national strategy, put to public consultation in 2022.',
      'put to public consultation in 2022.',
      'adopted after a public consultation in 2022. Its review is the 2027–2031 draft.',
    )
    insertAfter(
      fragment,
      'use digital services with confidence',
      ', and whose rights are protected online as they are offline',
    )
    replaceIn(
      fragment,
      'report serious incidents within 24 hours',
      'report serious incidents within 24 hours',
      'give a first notice of a serious incident within 24 hours, report it in full within 72 hours',
    )
    replaceIn(fragment, '2.3 Awareness', 'Awareness', 'Skills and awareness')
    replaceIn(
      fragment,
      'A yearly campaign reaches adults and small businesses.',
      'A yearly',
      'Every secondary school teaches digital safety, and a yearly',
    )
    fragment.insert(fragment.length, [
      heading(2, '3. Follow-up and review'),
      paragraph(
        'The National Cybersecurity Agency publishes a progress report every year, and a mid-term review takes place in the third year with the same stakeholder groups.',
      ),
    ])
    return { result: undefined, keep: true }
  })
  const version = await insertFrozenVersion(
    trx,
    document,
    freezeState(await loadState(trx, id)),
    'Adopted text 2022',
    secretariat,
  )
  await adoptIn(
    trx,
    processId,
    {
      versionId: version.id,
      adoptedOn: day(-1130),
      instrument: 'Decree 417 of 2022',
      linesOfAction: version.sections
        .filter((x) => x.level === 3 && x.id !== null)
        .map((x) => x.id!),
      note: 'Published in the Official Gazette.',
    },
    secretariat,
    new Date(Date.now() - 1130 * DAY),
  )
  const { items } = await listCommitments(trx, processId)
  const [cert, infrastructure, skills, court, ...fromComments] = items
  if (!cert || !infrastructure || !skills || !court) {
    return
  }
  const plan: Array<{
    id: string
    organisation: string
    due: number
    status: 'done' | 'in-progress' | 'planned' | 'dropped'
    droppedReason?: string
    indicator?: {
      name: string
      unit: string
      baseline: number
      target: number
      values: Array<[number, number]>
    }
    updates: Array<[number, string]>
  }> = [
    {
      id: cert.id,
      organisation: 'Ministry of ICT — National CERT',
      due: -400,
      status: 'done',
      indicator: {
        name: 'Sectors covered by the CERT',
        unit: 'sectors',
        baseline: 2,
        target: 12,
        values: [
          [-900, 5],
          [-600, 9],
          [-420, 12],
        ],
      },
      updates: [
        [-900, 'The CERT opened with a 24-hour desk; energy, banking and health joined first.'],
        [-420, 'All twelve sectors now receive warnings and report to the CERT.'],
      ],
    },
    {
      id: infrastructure.id,
      organisation: 'National Cybersecurity Agency',
      due: 200,
      status: 'in-progress',
      indicator: {
        name: 'Operators of essential services registered',
        unit: '%',
        baseline: 0,
        target: 100,
        values: [
          [-700, 30],
          [-300, 55],
          [-60, 72],
        ],
      },
      updates: [
        [-700, 'The register opened; energy and water operators registered first.'],
        [-60, 'Transport operators are still registering; audits start next quarter.'],
      ],
    },
    {
      id: skills.id,
      organisation: 'Ministry of Education',
      due: 400,
      status: 'planned',
      indicator: {
        name: 'Secondary schools teaching digital safety',
        unit: '%',
        baseline: 8,
        target: 100,
        values: [],
      },
      updates: [
        [-200, 'The curriculum is written; training of teachers is planned for next year.'],
      ],
    },
    {
      id: court.id,
      organisation: 'Council of the Judiciary',
      due: -100,
      status: 'dropped',
      droppedReason:
        'The Council of the Judiciary chose to train every criminal court instead of creating a specialised chamber; the new draft carries this as line of action 4.4.',
      updates: [
        [-500, 'The Council of the Judiciary reviewed the proposal for a specialised chamber.'],
      ],
    },
  ]
  // The comments the 2022 consultation accepted became commitments too (issue 14, item 6).
  const fromCommentsPlan = [
    {
      organisation: 'Ministry of ICT',
      due: -700,
      status: 'done' as const,
      updates: [[-1000, 'The vision of the adopted strategy names rights online.']] as Array<
        [number, string]
      >,
    },
    {
      organisation: 'National Cybersecurity Agency',
      due: 100,
      status: 'in-progress' as const,
      updates: [
        [-800, 'The regulation sets a first notice at 24 hours and a full report at 72 hours.'],
      ] as Array<[number, string]>,
    },
    {
      organisation: 'Ministry of Education',
      due: 400,
      status: 'in-progress' as const,
      updates: [[-300, 'Digital safety lessons run in a third of secondary schools.']] as Array<
        [number, string]
      >,
    },
    {
      organisation: 'National Cybersecurity Agency',
      due: -400,
      status: 'done' as const,
      updates: [[-760, 'The first yearly progress report was published.']] as Array<
        [number, string]
      >,
    },
  ]
  fromComments.forEach((c, i) => {
    const planned = fromCommentsPlan[i % fromCommentsPlan.length]!
    plan.push({ id: c.id, ...planned })
  })
  for (const c of plan) {
    if (c.indicator) {
      const withIndicator = await addIndicatorIn(
        trx,
        processId,
        c.id,
        {
          name: c.indicator.name,
          unit: c.indicator.unit,
          baseline: c.indicator.baseline,
          target: c.indicator.target,
        },
        secretariat,
      )
      const indicatorId = withIndicator.indicators[0]!.id
      for (const [offset, value] of c.indicator.values) {
        await addMeasurementIn(
          trx,
          processId,
          c.id,
          indicatorId,
          { value, measuredOn: day(offset), note: 'Agency report' },
          secretariat,
        )
      }
    }
    if (c.status !== 'planned') {
      await updateCommitmentIn(
        trx,
        processId,
        c.id,
        { status: 'in-progress', organisation: c.organisation, dueOn: day(c.due) },
        secretariat,
      )
    } else {
      await updateCommitmentIn(
        trx,
        processId,
        c.id,
        { organisation: c.organisation, dueOn: day(c.due) },
        secretariat,
      )
    }
    for (const [offset, body] of c.updates) {
      await addProgressUpdateIn(
        trx,
        processId,
        c.id,
        body,
        secretariat,
        new Date(Date.now() + offset * DAY),
      )
    }
    if (c.status === 'done' || c.status === 'dropped') {
      await updateCommitmentIn(
        trx,
        processId,
        c.id,
        {
          status: c.status,
          ...(c.droppedReason ? { droppedReason: c.droppedReason } : {}),
        },
        secretariat,
      )
    }
  }
  await recordStageMove(
    trx,
    processId,
    'adopted',
    'implementation-review',
    'Mid-term review of the 2022–2026 strategy.',
    secretariat,
    new Date(Date.now() - 700 * DAY),
  )
  await recordStageMove(
    trx,
    processId,
    'implementation-review',
    'drafting',
    'Review cycle: the 2027–2031 strategy is drafted from the lessons of 2022–2026.',
    secretariat,
    new Date(Date.now() - 60 * DAY),
  )
}

/** Past public comments on the 2022 draft, each with its published answer. */
const PAST_SUBMISSIONS: Array<{
  section: string
  name: string | null
  group: string
  organisation: string
  body: string
  quote?: string
  day: number
  answer: { disposition: string; text: string; day: number }
}> = [
  {
    section: '1. Vision',
    name: 'Rosa Díaz',
    group: 'civil-society',
    organisation: 'Digital Rights Foundation',
    body: 'The vision speaks of confidence but not of rights. Please say that people’s rights are protected online as they are offline.',
    day: -1186,
    answer: {
      disposition: 'accepted',
      text: 'Accepted: the vision now says that rights are protected online as they are offline.',
      day: -1150,
    },
  },
  {
    section: '2.2',
    name: 'Tomás Vidal',
    group: 'private-sector',
    organisation: 'Andean Energy Group',
    body: 'Twenty-four hours is too short for a full report from a small operator. Ask for a first notice within 24 hours and the full report within 72 hours.',
    quote: 'within 24 hours',
    day: -1180,
    answer: {
      disposition: 'partially-accepted',
      text: 'The first notice stays at 24 hours; the full report may follow within 72 hours. Audits stay every two years.',
      day: -1150,
    },
  },
  {
    section: '2.3',
    name: null,
    group: 'academia',
    organisation: 'National University',
    body: 'Campaigns alone do not build skills. Teach digital safety in every secondary school.',
    day: -1175,
    answer: {
      disposition: 'accepted',
      text: 'Accepted: the line of action now covers secondary schools and is renamed “Skills and awareness”.',
      day: -1148,
    },
  },
  {
    section: '2. Lines of action',
    name: null,
    group: 'individual',
    organisation: '',
    body: 'How will we know whether any of this works? Publish the progress every year.',
    day: -1170,
    answer: {
      disposition: 'accepted',
      text: 'Accepted: a new section, “3. Follow-up and review”, provides for a yearly progress report and a mid-term review.',
      day: -1146,
    },
  },
  {
    section: '2.4',
    name: 'Beatriz Soto',
    group: 'civil-society',
    organisation: 'Access to Justice Network',
    body: 'A specialised chamber will take years to set up. Training every criminal judge would reach victims sooner.',
    day: -1166,
    answer: {
      disposition: 'not-accepted',
      text: 'Not accepted for now: the chamber stays in the strategy, and the training of judges will be looked at in the mid-term review.',
      day: -1145,
    },
  },
  {
    section: '1. Vision',
    name: null,
    group: 'individual',
    organisation: '',
    body: 'Internet access is too expensive in rural areas; the strategy should lower the prices.',
    day: -1163,
    answer: {
      disposition: 'out-of-scope',
      text: 'Out of the scope of this strategy: connectivity prices are set by the national broadband plan, to which your comment was forwarded.',
      day: -1144,
    },
  },
]

/**
 * The consultation of the earlier cycle (issue 14, item 9): the 2022 draft frozen as "Draft for
 * public consultation 2022", consulted at /c/demo-2022 for thirty days about three years ago
 * (closed since), with comments from several groups, every one of them answered.
 */
async function seedPastConsultation(
  trx: Trx,
  document: Pick<DocumentRow, 'id' | 'process_id' | 'title'>,
  secretariat: Origin,
): Promise<void> {
  const at = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY)
  const version = await insertFrozenVersion(
    trx,
    document,
    freezeState(await loadState(trx, document.id)),
    'Draft for public consultation 2022',
    secretariat,
  )
  const consultation = await insertSeedConsultation(
    trx,
    {
      processId: document.process_id,
      documentId: document.id,
      versionId: version.id,
      slug: 'demo-2022',
      title: {
        en: 'National Cybersecurity Strategy 2022–2026: public consultation',
        es: 'Estrategia Nacional de Ciberseguridad 2022–2026: consulta pública',
      },
      introduction: {
        en: 'The first national strategy was put to public consultation for thirty days. Every comment received a published answer.',
        es: 'La primera estrategia nacional se sometió a consulta pública durante treinta días. Cada comentario recibió una respuesta publicada.',
      },
      opensAt: at(-1190),
      closesAt: at(-1160),
      timeZone: 'America/Bogota',
      access: 'anonymous',
      moderation: 'after',
      visibility: 'immediately',
    },
    secretariat,
  )
  let address = 0
  for (const item of PAST_SUBMISSIONS) {
    const sectionId = consultation.version_sections.find((s) =>
      s.title.startsWith(item.section),
    )?.id
    if (!sectionId) {
      throw new Error(`The 2022 draft has no section "${item.section}"`)
    }
    address += 1
    const recorded = await recordSubmission(
      trx,
      consultation,
      {
        sectionId,
        email: null,
        consent: true,
        body: item.body,
        quote: item.quote ?? null,
        language: 'en',
        name: item.name,
        stakeholderGroup: item.group,
        organisation: item.organisation,
      },
      { addressHash: `demo-2022-${address}`, checkLimits: false, now: at(item.day) },
    )
    await insertSeedAnswer(trx, recorded.thread!.id, {
      ...item.answer,
      by: secretariat.name,
      at: at(item.answer.day),
    })
  }
}
