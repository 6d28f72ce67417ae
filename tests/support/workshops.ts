import { expect } from 'vitest'
import type { Section } from '../../shared/api/documents'
import type { CreateWorkshopBody, LiveState, Workshop } from '../../shared/api/workshops'
import type { Client } from './app'
import { sectionId } from './threads'

/** A workshop on a document's Governance and Critical infrastructure sections, plus a free topic. */
export async function workshopBody(
  client: Client,
  documentId: string,
  overrides: Partial<CreateWorkshopBody> = {},
): Promise<CreateWorkshopBody> {
  const sections = (await client.get(`/api/documents/${documentId}/sections`)).json() as Section[]
  return {
    title: 'Critical infrastructure round table',
    purpose: 'Review the draft with operators.',
    startsAt: '2027-03-01T14:00:00Z',
    endsAt: '2027-03-01T17:00:00Z',
    timeZone: 'America/Bogota',
    format: 'hybrid',
    place: 'Ministry, room 4',
    meetingUrl: 'https://meet.example.org/ci',
    languages: ['es', 'en'],
    capacity: 30,
    documentId,
    agenda: [
      { sectionId: sectionId(sections, 'Governance'), minutes: 20, lead: 'Ana' },
      { sectionId: sectionId(sections, 'Critical infrastructure'), minutes: 40 },
      { topic: 'Next steps', minutes: 10 },
    ],
    ...overrides,
  }
}

/** Creates a workshop through the API and returns it (scheduled unless `draft`). */
export async function createWorkshop(
  client: Client,
  processId: string,
  documentId: string,
  overrides: Partial<CreateWorkshopBody> = {},
  draft = false,
): Promise<Workshop> {
  const response = await client.post(
    `/api/processes/${processId}/workshops`,
    await workshopBody(client, documentId, overrides),
  )
  expect(response.statusCode, response.body).toBe(201)
  const workshop = response.json() as Workshop
  if (draft) {
    return workshop
  }
  const scheduled = await client.post(`/api/workshops/${workshop.id}/schedule`, {})
  expect(scheduled.statusCode, scheduled.body).toBe(200)
  return scheduled.json() as Workshop
}

/** Sends one console action with the revision the workshop is at now. */
export async function controlWorkshop(
  client: Client,
  workshopId: string,
  action: string,
  extra: object = {},
): Promise<LiveState> {
  const live = (await client.get(`/api/workshops/${workshopId}/live`)).json() as LiveState
  const response = await client.post(`/api/workshops/${workshopId}/control`, {
    revision: live.revision,
    action,
    ...extra,
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as LiveState
}
