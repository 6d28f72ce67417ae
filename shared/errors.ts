/** Every error code the API answers with; the client translates each one. */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'csrf_failed',
  'rate_limited',
  'payload_too_large',
  'invitation_expired',
  'link_expired',
  'invalid_credentials',
  'two_factor_required',
  'two_factor_enrolment_required',
  'invalid_code',
  'archived',
  'consultation_closed',
  'consultation_not_open',
  'stage_forbidden',
  'database_unavailable',
  'internal',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** The one shape of every error response. */
export interface ErrorBody {
  statusCode: number
  code: ErrorCode
  message: string
  details?: unknown
}
