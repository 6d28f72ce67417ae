import { Type, type Static } from 'typebox'
import { AuditEntry, AuditSubjects } from './processes'

export { AuditSubjects }

export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  nextBefore: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Pass as `before` to get the next, older page; null at the end.',
  }),
})
export type AuditPage = Static<typeof AuditPage>
