import type { FastifyBaseLogger } from 'fastify'
import type { Config } from './config'
import type { Db } from './db/database'
import type { Mailer } from './mail/mailer'
import type { EventBus } from './events'

/** What services need from the running server: its database, settings, mail and log. */
export interface Ctx {
  db: Db
  config: Config
  mailer: Mailer
  log: FastifyBaseLogger
  events: EventBus
}

/** Who did something and from where, as services record it in the audit log. */
export interface Origin {
  userId: string
  name: string
  ip: string
}
