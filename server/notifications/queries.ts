import { sql } from 'kysely'
import type { Executor } from '../db/database'

/** Adds notifications, one per person and comment at most (a mention that is also a reply counts once). */
export function insertNotifications(
  trx: Executor,
  rows: {
    user_id: string
    process_id: string
    thread_id: string
    comment_id: string
    kind: string
    actor_name: string
    reason?: string | null
  }[],
) {
  if (rows.length === 0) {
    return Promise.resolve([])
  }
  return trx
    .insertInto('notifications')
    .values(rows)
    .onConflict((oc) => oc.columns(['user_id', 'comment_id']).doNothing())
    .returning(['id', 'user_id'])
    .execute()
}

// A notification is shown while its comment and its thread are shown to everyone and its
// reader is still a member: hidden or withdrawn items never reach an inbox (issue 5, item 7).
function visibleNotifications(db: Executor, userId: string) {
  return (
    db
      .selectFrom('notifications as n')
      .innerJoin('comments as c', 'c.id', 'n.comment_id')
      .innerJoin('threads as t', 't.id', 'n.thread_id')
      .innerJoin('comments as r', (join) =>
        join.onRef('r.thread_id', '=', 't.id').on('r.is_root', '=', true),
      )
      .innerJoin('documents as d', 'd.id', 't.document_id')
      .innerJoin('processes as p', 'p.id', 'n.process_id')
      .innerJoin('memberships as m', (join) =>
        join.onRef('m.process_id', '=', 'n.process_id').onRef('m.user_id', '=', 'n.user_id'),
      )
      .where('n.user_id', '=', userId)
      .where('c.withdrawn_at', 'is', null)
      .where('d.deleted_at', 'is', null)
      // A notice that the reader's own comment was hidden is about a hidden comment, by design.
      .where((eb) =>
        eb.or([
          eb('n.kind', '=', 'hidden'),
          eb.and([eb('c.hidden_at', 'is', null), eb('r.hidden_at', 'is', null)]),
        ]),
      )
  )
}

export function listNotifications(
  db: Executor,
  userId: string,
  options: { unreadOnly: boolean; limit: number },
) {
  let query = visibleNotifications(db, userId)
    .select([
      'n.id',
      'n.kind',
      'n.process_id',
      'n.thread_id',
      'n.comment_id',
      'n.actor_name',
      'n.reason',
      'n.created_at',
      'n.read_at',
      'p.title as process_title',
      't.document_id',
      't.number as thread_number',
      't.section_title',
      'c.body',
    ])
    .orderBy('n.created_at', 'desc')
    .limit(options.limit)
  if (options.unreadOnly) {
    query = query.where('n.read_at', 'is', null)
  }
  return query.execute()
}

export async function countUnread(db: Executor, userId: string): Promise<number> {
  const row = await visibleNotifications(db, userId)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('n.read_at', 'is', null)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Marks a person's notifications read: the given ones, or all. Other people's ids change nothing. */
export function markRead(db: Executor, userId: string, ids: string[] | 'all') {
  let query = db
    .updateTable('notifications')
    .set({ read_at: sql`now()` as unknown as string })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
  if (ids !== 'all') {
    if (ids.length === 0) {
      return Promise.resolve()
    }
    query = query.where('id', 'in', ids)
  }
  return query.execute().then(() => undefined)
}
