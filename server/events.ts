import { EventEmitter } from 'node:events'

/** Things that happened, which other parts of this process react to (sockets, live views). */
export interface DomainEvents {
  /** A member's role changed or they were removed: their open sockets must be re-authorised. */
  'membership.changed': [{ processId: string; userId: string }]
  /** Sessions or API tokens of a user ended (sign-out, new password, revoked token): their sockets check again. */
  'credentials.ended': [{ userId: string }]
  /** A document was deleted: its sockets close. */
  'document.deleted': [{ processId: string; documentId: string }]
  /**
   * A document's log grew outside the collaboration socket (a proposed change was applied):
   * rooms holding it read the log up to `seq` and relay what they lacked.
   */
  'document.appended': [{ documentId: string; seq: number }]
  /**
   * A thread was created or changed: a reply, an edit, an endorsement, a status change, a
   * moderation decision. Live pages fetch it again; `hidden` threads reach moderators only.
   */
  'thread.changed': [
    { processId: string; documentId: string; threadId: string; sectionId: string; hidden: boolean },
  ]
  /**
   * A workshop's settings, registrations or live state changed (issue 13): its pages fetch the
   * live state again.
   */
  'workshop.changed': [{ processId: string; workshopId: string }]
  /** A person got a notification (a mention, a reply to their thread). */
  'notification.created': [{ userId: string; notificationId: string }]
}

/** A typed in-process event bus. Multi-instance fan-out (Redis) subscribes to it and re-emits. */
export class EventBus extends EventEmitter<DomainEvents> {
  constructor() {
    super()
    // Every open live stream listens (server/live/routes.ts): hundreds are normal, not a leak.
    this.setMaxListeners(0)
  }
}
