import type { PublicHome, PublicHomeBody } from '../../shared/api/public-home'
import type { Ok } from '../../shared/api/common'
import type {
  Created,
  CreateProcessBody,
  ProcessDetail,
  ProcessSummary,
  StakeholderGroup,
  UpdateProcessBody,
} from '../../shared/api/processes'
import { api, seg } from './client'

export const listProcesses = () => api.get<ProcessSummary[]>('/api/processes')

export const createProcess = (body: CreateProcessBody) => api.post<Created>('/api/processes', body)

export const fetchProcess = (id: string) => api.get<ProcessDetail>(`/api/processes/${seg(id)}`)

export const updateProcess = (id: string, body: UpdateProcessBody) =>
  api.patch<ProcessDetail>(`/api/processes/${seg(id)}`, body)

export const setArchived = (id: string, archived: boolean) =>
  api.post<ProcessDetail>(`/api/processes/${seg(id)}/archive`, { archived })

export const addGroup = (id: string, label: string) =>
  api.post<StakeholderGroup>(`/api/processes/${seg(id)}/groups`, { label })

export const removeGroup = (id: string, key: string) =>
  api.delete<Ok>(`/api/processes/${seg(id)}/groups/${seg(key)}`)

export const fetchPublicHome = (id: string) =>
  api.get<PublicHome>(`/api/processes/${seg(id)}/public-home`)

export const savePublicHome = (id: string, body: PublicHomeBody) =>
  api.put<PublicHome>(`/api/processes/${seg(id)}/public-home`, body)
