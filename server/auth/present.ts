import { uiLanguageOf } from '../../shared/i18n/languages'
import type { ApiToken, User } from '../../shared/api/auth'
import type { ApiTokenRow, UserRow } from '../db/database'
import type { Actor } from './actor'

export function toUser(user: {
  id: string
  email: string
  name: string
  isAdmin: boolean
  locale: string
  createdAt: Date
}): User {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isAdmin: user.isAdmin,
    locale: uiLanguageOf(user.locale),
    createdAt: user.createdAt.toISOString(),
  }
}

export function actorToUser(actor: Actor): User {
  return toUser({ ...actor, id: actor.userId })
}

export function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at ? row.last_used_at.toISOString() : null,
  }
}

export function userRowToUser(row: UserRow): User {
  return toUser({ id: row.id, email: row.email, name: row.name, isAdmin: row.is_admin, locale: row.locale, createdAt: row.created_at })
}
