import { Type, type Static } from 'typebox'
import { ERROR_CODES } from '../errors'
import { LIMITS, LANGUAGES } from '../limits'
import { ROLES } from '../domain/roles'

/** The JSON schema of `ErrorBody`, listed as the response of every error status. */
export const ErrorBodySchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.Enum(ERROR_CODES),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorBody', description: 'Every error response has this shape.' },
)

/** Error responses a route may answer with, keyed by status, for its `response` schema. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 410 | 413 | 429)[]) {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBodySchema])) as Record<
    number,
    typeof ErrorBodySchema
  >
}

/** A UUID as produced by PostgreSQL's gen_random_uuid(). */
export const Uuid = Type.String({ format: 'uuid', description: 'A UUID.' })
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false })
export const Timestamp = Type.String({ format: 'date-time' })

export const Email = Type.String({
  format: 'email',
  maxLength: LIMITS.emailMax,
  description: 'An e-mail address; compared without regard to case.',
})
export const Password = Type.String({
  minLength: LIMITS.passwordMin,
  maxLength: LIMITS.passwordMax,
  description: `At least ${LIMITS.passwordMin} characters.`,
})
export const PersonName = Type.String({ minLength: 1, maxLength: LIMITS.nameMax, pattern: '\\S' })
export const Organisation = Type.String({ maxLength: LIMITS.organisationMax })
export const RoleSchema = Type.Enum(ROLES, { description: 'A role in one process.' })
export const LanguageSchema = Type.Enum(LANGUAGES)
export const GroupKey = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
  description: 'A stakeholder group key, such as `civil-society`.',
})

export const Ok = Type.Object({ ok: Type.Literal(true) })
export type Ok = Static<typeof Ok>

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSizeMax, default: 50 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Return items older than this id.' })),
  },
  { additionalProperties: false },
)

/** The body of actions that take no input: `{}` and nothing else. */
export const EmptyBody = Type.Object({}, { additionalProperties: false })
