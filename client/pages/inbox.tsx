import { useRef, useState } from 'preact/hooks'
import type { Notification } from '../../shared/api/threads'
import { toApiError, type ApiError } from '../api/client'
import { useLiveEvents } from '../api/events'
import { listNotifications, markNotificationsRead } from '../api/threads'
import { Button } from '../components/buttons'
import { FormError } from '../components/errors'
import { Link } from '../components/link'
import { RouteHeading, usePageTitle } from '../components/page'
import { Empty, Loading } from '../components/status'
import { plainText } from '../components/threads/body-format'
import { threadHref } from '../components/threads/thread-card'
import { TimeAgo } from '../components/threads/time'
import { useResource } from '../components/use-resource'
import { t } from '../i18n'
import { refreshUnread, setUnread } from '../state/inbox'
import '../styles/threads.css'

/** The inbox: mentions and replies to your threads, in every process, newest first. */
export function InboxPage() {
  usePageTitle(t('inbox.title'))
  const [unreadOnly, setUnreadOnly] = useState(false)
  const list = useResource(async () => {
    const answer = await listNotifications(unreadOnly ? true : undefined)
    setUnread(answer.unread)
    return answer
  }, [unreadOnly])
  const [status, setStatus] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [busyAll, setBusyAll] = useState(false)
  const timer = useRef<number | undefined>(undefined)

  useLiveEvents(null, (event) => {
    if (event.type === 'notification') {
      window.clearTimeout(timer.current)
      timer.current = window.setTimeout(() => {
        void list.reload().then(() => setStatus(t('inbox.updated')))
      }, 100)
    }
  })

  async function markRead(ids: string[] | 'all') {
    setError(null)
    try {
      await markNotificationsRead(ids === 'all' ? { all: true } : { ids })
      const marked = (n: Notification) => ids === 'all' || ids.includes(n.id)
      list.setData((current) => {
        const items = (current?.items ?? [])
          .map((n) => (marked(n) ? { ...n, read: true } : n))
          .filter((n) => !unreadOnly || !n.read)
        const unread = ids === 'all' ? 0 : Math.max(0, (current?.unread ?? 0) - ids.length)
        return { items, unread }
      })
      // The server knows the true count (other tabs may have read some meanwhile).
      void refreshUnread()
      setStatus(ids === 'all' ? t('inbox.allMarkedRead') : t('inbox.markedRead'))
    } catch (e) {
      setError(toApiError(e))
    }
  }

  const data = list.data
  return (
    <div class="container page">
      <RouteHeading>{t('inbox.title')}</RouteHeading>
      <p class="section-lead">{t('inbox.lead')}</p>
      <div class="inbox-toolbar">
        <label class="checkbox" for="inbox-unread-only">
          <input
            type="checkbox"
            id="inbox-unread-only"
            checked={unreadOnly}
            onChange={(e) => setUnreadOnly(e.currentTarget.checked)}
          />
          <span>{t('inbox.unreadOnly')}</span>
        </label>
        {data && data.unread > 0 ? (
          <Button
            small
            busy={busyAll}
            onClick={() => {
              setBusyAll(true)
              void markRead('all').finally(() => setBusyAll(false))
            }}
          >
            {t('inbox.markAllRead')}
          </Button>
        ) : null}
      </div>
      <p class="visually-hidden" role="status">
        {status}
      </p>
      <FormError id="inbox-action-error" error={error} />
      {list.error ? <FormError id="inbox-error" error={list.error} /> : null}
      {list.loading && !data ? <Loading /> : null}
      {data ? (
        data.items.length ? (
          <ul class="inbox-list" role="list">
            {data.items.map((n) => (
              <InboxItem key={n.id} notification={n} onRead={() => void markRead([n.id])} />
            ))}
          </ul>
        ) : (
          <Empty>{unreadOnly ? t('inbox.emptyUnread') : t('inbox.empty')}</Empty>
        )
      ) : null}
    </div>
  )
}

function InboxItem({
  notification: n,
  onRead,
}: {
  notification: Notification
  onRead: () => void
}) {
  const where = { name: n.actorName, number: n.threadNumber, section: n.sectionTitle }
  // A notice that a moderator hid the reader's comment names no moderator (issue 15, item 2).
  const title =
    n.kind === 'hidden' ? t('hiddenNotice.inbox.title', where) : t(`inbox.${n.kind}`, where)
  return (
    <li class={['inbox-item', n.read ? '' : 'is-unread'].filter(Boolean).join(' ')}>
      <div class="inbox-main">
        <p class="inbox-title">
          {n.read ? null : <span class="badge unread-tag">{t('inbox.unread')}</span>}
          <Link
            href={threadHref({ documentId: n.documentId, id: n.threadId })}
            state={{ processId: n.processId }}
            onClick={() => {
              if (!n.read) {
                onRead()
              }
            }}
          >
            {title}
          </Link>
        </p>
        {n.kind === 'hidden' ? (
          <p class="inbox-reason">
            {n.reason
              ? t('hiddenNotice.inbox.reason', { reason: n.reason })
              : t('hiddenNotice.inbox.noReason')}
          </p>
        ) : null}
        {n.excerpt ? <p class="inbox-excerpt">{plainText(n.excerpt)}</p> : null}
        <p class="inbox-meta">
          {n.processTitle} <span aria-hidden="true">·</span> <TimeAgo at={n.createdAt} />
        </p>
      </div>
      {n.read ? null : (
        <Button small variant="ghost" onClick={onRead}>
          {t('inbox.markRead')}
          <span class="visually-hidden"> ({title})</span>
        </Button>
      )}
    </li>
  )
}
