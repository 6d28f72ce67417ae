import type { Participation, ParticipationQuery } from '../../shared/api/participation'
import { api, seg } from './client'

/** The participation balance of a process with the filters set (issue 17, item 1). */
export function fetchParticipation(
  processId: string,
  query: ParticipationQuery,
): Promise<Participation> {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string' && value !== '') {
      params.set(key, value)
    }
  }
  const search = params.toString()
  return api.get<Participation>(
    `/api/processes/${seg(processId)}/participation${search ? `?${search}` : ''}`,
  )
}
