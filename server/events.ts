import { EventEmitter } from 'node:events'

/** Things that happened, which other parts of this process react to (sockets, live views). */
export interface DomainEvents {
  /** A member's role changed or they were removed: their open sockets must be re-authorised. */
  'membership.changed': [{ processId: string; userId: string }]
  /** Sessions or API tokens of a user ended (sign-out, new password, revoked token): their sockets check again. */
  'credentials.ended': [{ userId: string }]
  /** A document was deleted: its sockets close. */
  'document.deleted': [{ processId: string; documentId: string }]
}

/** A typed in-process event bus. Multi-instance fan-out (Redis) subscribes to it and re-emits. */
export class EventBus extends EventEmitter<DomainEvents> {}
