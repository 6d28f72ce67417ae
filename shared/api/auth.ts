import { Type, type Static } from 'typebox'
import { Email, Password, PersonName, Timestamp, Uuid } from './common'
import { UI_LANGUAGES } from '../limits'
import { LIMITS } from '../limits'

export const UiLanguageSchema = Type.Enum(UI_LANGUAGES)

/** The signed-in account as the API shows it to its owner. */
export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  isAdmin: Type.Boolean(),
  locale: UiLanguageSchema,
  createdAt: Timestamp,
})
export type User = Static<typeof User>

/** What the client needs to act as the signed-in user: who, and the CSRF token for writes. */
export const SessionInfo = Type.Object({
  user: User,
  csrfToken: Type.String(),
  /**
   * True when this staff account must set up a second factor before anything else: until then
   * every other route answers 403 `two_factor_enrolment_required`.
   */
  twoFactorEnrolmentRequired: Type.Optional(Type.Boolean()),
})
export type SessionInfo = Static<typeof SessionInfo>

/**
 * The answer of `GET /api/auth/session`: the signed-in session, or `{ user: null }` for a
 * visitor who is signed out (or whose session ended). Being signed out is not an error, so
 * the probe every page makes answers 200 and the browser logs nothing.
 */
export const SessionState = Type.Union([
  SessionInfo,
  Type.Object({ user: Type.Null() }, { description: 'Signed out: no session cookie, or one that ended' }),
])
export type SessionState = Static<typeof SessionState>

export const SignInBody = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: LIMITS.passwordMax }) },
  { additionalProperties: false },
)
export type SignInBody = Static<typeof SignInBody>

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: LIMITS.passwordMax }), newPassword: Password },
  { additionalProperties: false },
)
export type ChangePasswordBody = Static<typeof ChangePasswordBody>

export const ResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false })
export type ResetRequestBody = Static<typeof ResetRequestBody>

/** A six-digit code from an authenticator app, or one of the account's recovery codes. */
const secondFactorCode = (description: string) =>
  Type.String({ minLength: 6, maxLength: 20, pattern: '^[0-9A-Za-z -]+$', description })
export const SecondFactorCode = secondFactorCode('A six-digit code from the authenticator app, or an unused recovery code.')
const CodeWhenEnrolled = Type.Optional(secondFactorCode('Required when the account has a second factor: a code from the app or a recovery code.'))

export const ResetCompleteBody = Type.Object(
  {
    token: Type.String({ minLength: 20, maxLength: 200 }),
    newPassword: Password,
    code: CodeWhenEnrolled,
  },
  { additionalProperties: false },
)
export type ResetCompleteBody = Static<typeof ResetCompleteBody>

export const UpdateAccountBody = Type.Object(
  { name: Type.Optional(PersonName), locale: Type.Optional(UiLanguageSchema) },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateAccountBody = Static<typeof UpdateAccountBody>

/** A personal API token as listed; the secret itself is shown only once, at creation. */
export const ApiToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the token, to recognise it.' }),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
})
export type ApiToken = Static<typeof ApiToken>

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: LIMITS.tokenNameMax, pattern: '\\S' }),
    code: CodeWhenEnrolled,
  },
  { additionalProperties: false },
)
export type CreateTokenBody = Static<typeof CreateTokenBody>

export const CreatedToken = Type.Object({ token: ApiToken, secret: Type.String() })
export type CreatedToken = Static<typeof CreatedToken>

/** The first step of a sign-in to an account with a second factor: the password was right. */
export const TwoFactorChallenge = Type.Object({
  twoFactorRequired: Type.Literal(true),
  challenge: Type.String({ description: 'Send it back with the code to POST /api/auth/sign-in/two-factor.' }),
})
export type TwoFactorChallenge = Static<typeof TwoFactorChallenge>

export const TwoFactorSignInBody = Type.Object(
  { challenge: Type.String({ minLength: 20, maxLength: 200 }), code: SecondFactorCode },
  { additionalProperties: false },
)
export type TwoFactorSignInBody = Static<typeof TwoFactorSignInBody>

/** Whether the signed-in account has a second factor, and whether it must have one. */
export const TwoFactorStatus = Type.Object({
  enabled: Type.Boolean(),
  required: Type.Boolean({ description: 'Secretariat members and instance administrators must have one.' }),
  recoveryCodesLeft: Type.Integer({ minimum: 0 }),
})
export type TwoFactorStatus = Static<typeof TwoFactorStatus>

/** A started enrolment: the secret to add to an authenticator app, as text, URI and QR code. */
export const TwoFactorEnrolment = Type.Object({
  secret: Type.String({ description: 'Base32, for typing into the app by hand.' }),
  otpauthUri: Type.String(),
  qrCodeDataUrl: Type.String({ description: 'An SVG QR code of the URI, as a data: URL.' }),
})
export type TwoFactorEnrolment = Static<typeof TwoFactorEnrolment>

export const TwoFactorCodeBody = Type.Object({ code: SecondFactorCode }, { additionalProperties: false })
export type TwoFactorCodeBody = Static<typeof TwoFactorCodeBody>

export const DisableTwoFactorBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: LIMITS.passwordMax }), code: SecondFactorCode },
  { additionalProperties: false },
)
export type DisableTwoFactorBody = Static<typeof DisableTwoFactorBody>

/** Recovery codes, shown once: each works once, in place of a code from the app. */
export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String(), { maxItems: 20 }) })
export type RecoveryCodes = Static<typeof RecoveryCodes>
