import type { NotificationList } from '../../shared/api/threads'
import type { Actor } from '../auth/actor'
import type { Ctx } from '../context'
import * as queries from './queries'
import { toNotification } from './present'

/** A person's inbox: their newest notifications (only unread ones if asked) and how many are unread. */
export async function listInbox(
  ctx: Ctx,
  actor: Actor,
  options: { unreadOnly: boolean; limit: number },
): Promise<NotificationList> {
  const [rows, unread] = await Promise.all([
    queries.listNotifications(ctx.db, actor.userId, options),
    queries.countUnread(ctx.db, actor.userId),
  ])
  return { items: rows.map(toNotification), unread }
}

/** Marks notifications of the caller read; ids of other people's notifications change nothing. */
export async function markRead(
  ctx: Ctx,
  actor: Actor,
  which: { ids?: string[]; all?: true },
): Promise<void> {
  await queries.markRead(ctx.db, actor.userId, which.all ? 'all' : (which.ids ?? []))
}

export const insertNotifications = queries.insertNotifications
