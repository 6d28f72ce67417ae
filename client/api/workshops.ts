import type {
  ActionItem,
  Attendance,
  Attendee,
  Contribution,
  ContributionBody,
  ControlBody,
  CreatePollBody,
  CreateWorkshopBody,
  LiveState,
  Minutes,
  Poll,
  RegisterBody,
  Registration,
  UpdateWorkshopBody,
  Workshop,
} from '../../shared/api/workshops'
import { api, seg } from './client'

const base = (workshopId: string) => `/api/workshops/${seg(workshopId)}`

export const listWorkshops = (processId: string) =>
  api.get<Workshop[]>(`/api/processes/${seg(processId)}/workshops`)
export const createWorkshop = (processId: string, body: CreateWorkshopBody) =>
  api.post<Workshop>(`/api/processes/${seg(processId)}/workshops`, body)
export const listActionItems = (processId: string) =>
  api.get<ActionItem[]>(`/api/processes/${seg(processId)}/action-items`)
export const fetchWorkshop = (id: string) => api.get<Workshop>(base(id))
export const updateWorkshop = (id: string, body: UpdateWorkshopBody) => api.patch<Workshop>(base(id), body)
export const scheduleWorkshop = (id: string) => api.post<Workshop>(`${base(id)}/schedule`, {})
export const cancelWorkshop = (id: string, reason: string) =>
  api.post<Workshop>(`${base(id)}/cancel`, { reason })
export const duplicateWorkshop = (id: string) => api.post<Workshop>(`${base(id)}/duplicate`, {})
export const listRegistrations = (id: string) => api.get<Registration[]>(`${base(id)}/registrations`)
export const register = (id: string, body: RegisterBody) =>
  api.post<Registration>(`${base(id)}/registrations`, body)
export const inviteGroup = (id: string, group: string) =>
  api.post<{ registered: number; alreadyRegistered: number }>(`${base(id)}/invitations`, { group })
export const checkInWithCode = (id: string, code: string) =>
  api.post<{ name: string; checkedInAt: string }>(`${base(id)}/check-in`, { code })
export const checkInAtDoor = (id: string, registrationId: string) =>
  api.post<Attendee>(`${base(id)}/attendees`, { registrationId })
export const joinWorkshop = (id: string) => api.post<Attendee>(`${base(id)}/join`, {})
export const fetchAttendance = (id: string) => api.get<Attendance>(`${base(id)}/attendance`)
export const fetchLive = (id: string) => api.get<LiveState>(`${base(id)}/live`)
export const control = (id: string, body: ControlBody) => api.post<LiveState>(`${base(id)}/control`, body)
export const raiseHand = (id: string, attendeeId?: string) =>
  api.post<LiveState>(`${base(id)}/queue`, attendeeId ? { attendeeId } : {})
export const settleHand = (id: string, entryId: string, outcome: 'call' | 'remove') =>
  api.post<LiveState>(`${base(id)}/queue/${seg(entryId)}/${outcome}`, {})
export const orderQueue = (id: string, entryIds: string[]) =>
  api.put<LiveState>(`${base(id)}/queue`, { entryIds })
export const listContributions = (id: string) => api.get<Contribution[]>(`${base(id)}/contributions`)
export const contribute = (id: string, body: ContributionBody) =>
  api.post<Contribution>(`${base(id)}/contributions`, body)
export const setActionStatus = (id: string, contributionId: string, status: string) =>
  api.patch<Contribution>(`${base(id)}/contributions/${seg(contributionId)}`, { status })
export const createPoll = (id: string, body: CreatePollBody) => api.post<Poll>(`${base(id)}/polls`, body)
export const setPollState = (id: string, pollId: string, to: 'open' | 'close') =>
  api.post<Poll>(`${base(id)}/polls/${seg(pollId)}/${to}`, {})
export const vote = (id: string, pollId: string, choices: number[]) =>
  api.post<Poll>(`${base(id)}/polls/${seg(pollId)}/votes`, { choices })
export const fetchMinutes = (id: string) => api.get<Minutes>(`${base(id)}/minutes`)
export const editMinutes = (id: string, summary: string) => api.patch<Minutes>(`${base(id)}/minutes`, { summary })
export const publishMinutes = (id: string, toPublic: boolean) =>
  api.post<Minutes>(`${base(id)}/minutes/publish`, { public: toPublic })
/** Where the minutes download in a format (a plain link, not a fetch). */
export const minutesUrl = (id: string, format: 'md' | 'docx') => `${base(id)}/minutes?format=${format}`
