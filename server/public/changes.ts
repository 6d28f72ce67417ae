import type { PublicStrategy } from '../adoption/public'
import type { Executor, PerLanguage } from '../db/database'
import { compareDocuments } from '../render/compare'
import { loadVersionContent } from '../versions/service'
import type { ComparisonSummary, SectionComparison } from '../../shared/api/comparison'

// "What changed after the consultation" on the public record (issue 14, item 7): the text the
// public was consulted on, compared with the strategy in force, by the same comparison as
// GET /api/versions/:versionId/compare (render/compare.ts). Only published things take part:
// a strategy in force, and a published consultation that had opened by the day of adoption on
// a version of the same document as one of the adopted texts. Anything less is no page at all.

/** The consultation whose text the strategy in force was compared with. */
export interface ChangesConsultation {
  slug: string
  title: PerLanguage
  opensAt: Date
  closesAt: Date
  timeZone: string
  versionId: string
  versionName: string
}

/** The adopted text it is compared with: one language of the strategy in force. */
export interface ChangesAdoptedText {
  versionId: string
  versionName: string
  title: string
  language: string
}

export interface PublicChanges {
  consultation: ChangesConsultation
  adopted: ChangesAdoptedText
  adoptedOn: string
  summary: ComparisonSummary
  sections: SectionComparison[]
}

/**
 * The consultation that preceded the strategy in force, with the adopted text of the same
 * document: the published consultation that opened last on or before the day of adoption.
 * Undefined when there is no strategy in force or no such consultation.
 */
export async function findConsultedBeforeAdoption(
  db: Executor,
  processId: string,
  strategy: PublicStrategy | null,
  now = new Date(),
): Promise<{ consultation: ChangesConsultation; adopted: ChangesAdoptedText } | undefined> {
  if (strategy === null || strategy.texts.length === 0) {
    return undefined
  }
  const adoptedVersions = await db
    .selectFrom('document_versions')
    .select(['id', 'document_id'])
    .where('process_id', '=', processId)
    .where(
      'id',
      'in',
      strategy.texts.map((t) => t.versionId),
    )
    .execute()
  if (adoptedVersions.length === 0) {
    return undefined
  }
  // The end of the day of adoption (UTC): a consultation opened later belongs to the next cycle.
  const adoptedBy = new Date(`${strategy.adoptedOn}T23:59:59.999Z`)
  const openedBy = adoptedBy < now ? adoptedBy : now
  const row = await db
    .selectFrom('consultations')
    .innerJoin('document_versions', 'document_versions.id', 'consultations.version_id')
    .select([
      'consultations.slug',
      'consultations.title',
      'consultations.opens_at',
      'consultations.closes_at',
      'consultations.time_zone',
      'consultations.version_id',
      'document_versions.name as version_name',
      'document_versions.document_id',
    ])
    .where('consultations.process_id', '=', processId)
    .where('consultations.published_at', 'is not', null)
    .where('consultations.opens_at', '<=', openedBy)
    .where(
      'document_versions.document_id',
      'in',
      adoptedVersions.map((v) => v.document_id),
    )
    .orderBy('consultations.opens_at', 'desc')
    .orderBy('consultations.id')
    .limit(1)
    .executeTakeFirst()
  if (!row) {
    return undefined
  }
  const adoptedId = adoptedVersions.find((v) => v.document_id === row.document_id)!.id
  const text = strategy.texts.find((t) => t.versionId === adoptedId)!
  return {
    consultation: {
      slug: row.slug,
      title: row.title,
      opensAt: new Date(row.opens_at),
      closesAt: new Date(row.closes_at),
      timeZone: row.time_zone,
      versionId: row.version_id,
      versionName: row.version_name,
    },
    adopted: {
      versionId: text.versionId,
      versionName: text.versionName,
      title: text.title,
      language: text.language,
    },
  }
}

/** The comparison of the consulted text and the adopted one, or undefined (see above). */
export async function loadPublicChanges(
  db: Executor,
  processId: string,
  strategy: PublicStrategy | null,
): Promise<PublicChanges | undefined> {
  const found = await findConsultedBeforeAdoption(db, processId, strategy)
  if (!found || strategy === null) {
    return undefined
  }
  const [older, newer] = await Promise.all([
    loadVersionContent(db, found.consultation.versionId),
    loadVersionContent(db, found.adopted.versionId),
  ])
  return { ...found, adoptedOn: strategy.adoptedOn, ...compareDocuments(older, newer) }
}
