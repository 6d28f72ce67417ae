import { signal } from '@preact/signals'
import { listNotifications } from '../api/threads'

/** How many notifications the signed-in person has not read; null until first known. */
export const unreadCount = signal<number | null>(null)

let seq = 0

/** Asks the server for the unread count again (after a live event or a "mark read"). */
export async function refreshUnread(): Promise<void> {
  const mine = ++seq
  try {
    const list = await listNotifications(true)
    if (mine === seq) {
      unreadCount.value = list.unread
    }
  } catch {
    // The badge keeps its last value; the inbox page shows errors itself.
  }
}

/** Sets the count from an answer that carried it, without another request. */
export function setUnread(count: number): void {
  seq++
  unreadCount.value = count
}
