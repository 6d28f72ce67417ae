import type {
  AdoptBody,
  Commitment,
  CommitmentList,
  CommitmentStatus,
  CreateCommitmentBody,
  CreateIndicatorBody,
  MeasurementBody,
  ReviewCycleResult,
  StrategyState,
  UpdateCommitmentBody,
  WithdrawBody,
} from '../../shared/api/strategy'
import { api, seg } from './client'

const base = (processId: string) => `/api/processes/${seg(processId)}`

/** The strategy in force and the record of adoptions. */
export const fetchStrategy = (processId: string) =>
  api.get<StrategyState>(`${base(processId)}/strategy`)

export const adoptVersion = (processId: string, body: AdoptBody) =>
  api.post<StrategyState>(`${base(processId)}/strategy/adoptions`, body)

export const withdrawStrategy = (processId: string, body: WithdrawBody) =>
  api.post<StrategyState>(`${base(processId)}/strategy/withdrawal`, body)

export const openReviewCycle = (processId: string, reason: string) =>
  api.post<ReviewCycleResult>(`${base(processId)}/strategy/review-cycle`, reason ? { reason } : {})

export const listCommitments = (processId: string, status?: CommitmentStatus) =>
  api.get<CommitmentList>(
    `${base(processId)}/commitments${status ? `?status=${encodeURIComponent(status)}` : ''}`,
  )

export const createCommitment = (processId: string, body: CreateCommitmentBody) =>
  api.post<Commitment>(`${base(processId)}/commitments`, body)

export const updateCommitment = (processId: string, id: string, body: UpdateCommitmentBody) =>
  api.patch<Commitment>(`${base(processId)}/commitments/${seg(id)}`, body)

export const addIndicator = (processId: string, id: string, body: CreateIndicatorBody) =>
  api.post<Commitment>(`${base(processId)}/commitments/${seg(id)}/indicators`, body)

export const addMeasurement = (
  processId: string,
  id: string,
  indicatorId: string,
  body: MeasurementBody,
) =>
  api.post<Commitment>(
    `${base(processId)}/commitments/${seg(id)}/indicators/${seg(indicatorId)}/measurements`,
    body,
  )

export const addProgressUpdate = (processId: string, id: string, body: string) =>
  api.post<Commitment>(`${base(processId)}/commitments/${seg(id)}/updates`, { body })
