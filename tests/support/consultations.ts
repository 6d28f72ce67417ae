import { expect } from 'vitest'
import type { Consultation, CreateConsultationBody } from '../../shared/api/consultations'
import type { Client } from './app'

let serial = 0

/** A unique public address for a test consultation. */
export function testSlug(prefix = 'consult'): string {
  serial += 1
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${serial}`
}

const DAY = 86_400_000

/**
 * The body of a consultation that is open now for thirty days on the document's current state,
 * anonymous comments allowed, published at once; `overrides` change any of it.
 */
export function consultationBody(
  documentId: string,
  overrides: Partial<CreateConsultationBody> = {},
): CreateConsultationBody {
  const now = Date.now()
  return {
    documentId,
    versionName: 'Draft for public consultation',
    slug: testSlug(),
    title: { en: 'National cybersecurity strategy: public consultation' },
    introduction: { en: 'Tell us what you think, section by section.' },
    opensAt: new Date(now - 60_000).toISOString(),
    closesAt: new Date(now + 30 * DAY).toISOString(),
    timeZone: 'America/Bogota',
    access: 'anonymous',
    moderation: 'after',
    visibility: 'immediately',
    publish: true,
    ...overrides,
  }
}

/** Opens a consultation through the API as `owner` (the secretariat) and returns it. */
export async function openConsultation(
  owner: Client,
  processId: string,
  documentId: string,
  overrides: Partial<CreateConsultationBody> = {},
): Promise<Consultation> {
  const body = consultationBody(documentId, overrides)
  if (overrides.versionId !== undefined) {
    delete body.documentId
    delete body.versionName
  }
  const response = await owner.post(`/api/processes/${processId}/consultations`, body)
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as Consultation
}
