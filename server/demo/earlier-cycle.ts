import type { Origin } from '../context'
import type { Trx } from '../db/database'
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

const EARLIER_TEXT = `# National Cybersecurity Strategy 2022–2026

The first national strategy, adopted after a public consultation in 2022. Its review is the 2027–2031 draft.

## 1. Vision

A country whose people, businesses and institutions use digital services with confidence.

## 2. Lines of action

### 2.1 A national CERT for every sector

A national computer emergency response team answers incidents around the clock and shares warnings with every sector.

### 2.2 Protecting critical infrastructure

Operators of essential services register, report serious incidents within 72 hours and are audited every two years.

### 2.3 Skills and awareness

Every secondary school teaches digital safety, and a yearly campaign reaches adults and small businesses.

### 2.4 A specialised cybercrime court

A court chamber specialised in cybercrime hears cases within six months.
`

const day = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10)

/**
 * The demo's earlier cycle (issue 14, items 5 and 6): the 2022–2026 strategy, drafted,
 * consulted, answered and adopted by decree about three years ago, then under implementation
 * review, and the review cycle that opened the current drafting stage. Its four lines of action
 * are commitments in each status (done, in progress, planned, dropped with a reason), with
 * indicators, measured values and progress updates. The current draft stays the demo's live
 * consultation; the earlier strategy is the one in force until the new one is adopted.
 * Run it before the current cycle's history, while the process is at drafting.
 */
export async function seedDemoEarlierCycle(
  trx: Trx,
  processId: string,
  secretariat: Origin,
): Promise<void> {
  const { id } = await insertDocument(trx, processId, EARLIER_TITLE, secretariat, {
    content: parseMarkdown(EARLIER_TEXT),
    source: 'demo',
  })
  const document = { id, process_id: processId, title: EARLIER_TITLE }
  const version = await insertFrozenVersion(
    trx,
    document,
    freezeState(await loadState(trx, id)),
    'Adopted text 2022',
    secretariat,
  )
  const moves = [
    ['drafting', 'stakeholder-review', 'The first draft went to the stakeholder groups.', -1220],
    ['stakeholder-review', 'public-consultation', 'Public consultation on the 2022 draft.', -1190],
    [
      'public-consultation',
      'response',
      'Every comment of the consultation is being answered.',
      -1160,
    ],
  ] as const
  for (const [from, to, reason, offset] of moves) {
    await recordStageMove(
      trx,
      processId,
      from,
      to,
      reason,
      secretariat,
      new Date(Date.now() + offset * DAY),
    )
  }
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
  const [cert, infrastructure, skills, court] = items
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
