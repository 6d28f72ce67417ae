import { useRef, useState } from 'preact/hooks'
import type { ProcessDetail } from '../../../shared/api/processes'
import type { ModerationItem } from '../../../shared/api/threads'
import { useLiveEvents } from '../../api/events'
import {
  dismissFlags,
  hideComment,
  listModerationLog,
  listModerationQueue,
  restoreComment,
} from '../../api/threads'
import { approveComment } from '../../api/consultations'
import { Button } from '../../components/buttons'
import { FormError } from '../../components/errors'
import { Link } from '../../components/link'
import { RouteHeading } from '../../components/page'
import { Empty, Loading, Notice } from '../../components/status'
import { RichText } from '../../components/threads/rich-text'
import { ReasonForm, threadHref } from '../../components/threads/thread-card'
import { TimeAgo } from '../../components/threads/time'
import { useResource } from '../../components/use-resource'
import { formatDateTime, t } from '../../i18n'
import { location, navigate } from '../../router'
import { allows, groupLabel } from '../../state/process'
import '../../styles/threads.css'

const VIEWS = ['flagged', 'pending', 'hidden', 'log'] as const
type View = (typeof VIEWS)[number]

function viewPath(processId: string, view: View): string {
  const base = `/processes/${encodeURIComponent(processId)}/moderation`
  return view === 'flagged' ? base : `${base}?view=${view}`
}

/**
 * The moderation page: flagged items with their flags, hidden items, and (for the
 * secretariat) the moderation log. Each decision asks for a reason, which the log keeps.
 */
export function ModerationSection({ process }: { process: ProcessDetail }) {
  const requested = location.value.search.get('view')
  const canLog = allows('moderation.log')
  const views = VIEWS.filter((v) => v !== 'log' || canLog)
  const view: View = views.find((v) => v === requested) ?? 'flagged'

  return (
    <section aria-labelledby="section-heading">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {t('process.sections.moderation')}
        </RouteHeading>
      </div>
      <p class="section-lead">{t('moderation.lead')}</p>
      <nav class="tabs" aria-label={t('moderation.views')}>
        <ul>
          {views.map((v) => (
            <li key={v}>
              <Link
                href={viewPath(process.id, v)}
                aria-current={v === view ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault()
                  navigate(viewPath(process.id, v), { focus: false })
                }}
              >
                {t(`moderation.${v}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {view === 'log' ? (
        <ModerationLog processId={process.id} />
      ) : (
        <Queue processId={process.id} state={view} />
      )}
    </section>
  )
}

type QueueState = 'flagged' | 'pending' | 'hidden'

function Queue({ processId, state }: { processId: string; state: QueueState }) {
  const queue = useResource(() => listModerationQueue(processId, state), [processId, state])
  const [done, setDone] = useState('')
  const timer = useRef<number | undefined>(undefined)

  useLiveEvents(processId, (event) => {
    if (event.type === 'thread') {
      window.clearTimeout(timer.current)
      timer.current = window.setTimeout(() => void queue.reload(), 150)
    }
  })

  const heading = t(`moderation.${state}`)
  return (
    <div class="moderation-queue">
      <h3 class="visually-hidden">{heading}</h3>
      {done ? (
        <Notice tone="success" live>
          {done}
        </Notice>
      ) : (
        <p class="visually-hidden" role="status" />
      )}
      {queue.error ? <FormError id="moderation-error" error={queue.error} /> : null}
      {queue.loading && !queue.data ? <Loading /> : null}
      {queue.data ? (
        queue.data.length ? (
          <ul class="thread-list" role="list">
            {queue.data.map((item) => (
              <li key={item.comment.id}>
                <QueueItem
                  item={item}
                  onDone={(message) => {
                    setDone(message)
                    void queue.reload()
                  }}
                />
              </li>
            ))}
          </ul>
        ) : (
          <Empty>
            {state === 'flagged'
              ? t('moderation.emptyFlagged')
              : state === 'pending'
                ? t('moderation.emptyPending')
                : t('moderation.emptyHidden')}
          </Empty>
        )
      ) : null}
    </div>
  )
}

type Decision = 'hide' | 'restore' | 'dismiss' | 'approve' | null

function QueueItem({ item, onDone }: { item: ModerationItem; onDone: (message: string) => void }) {
  const [decision, setDecision] = useState<Decision>(null)
  const { comment, thread } = item
  const author = comment.author
  const pending = comment.hidden?.pending === true
  const label = item.isThreadRoot ? t('moderation.rootItem') : t('moderation.replyItem')
  return (
    <article class="moderation-item" data-comment-id={comment.id}>
      <div class="moderation-item-head">
        <h3>
          {label} ·{' '}
          {t('moderation.inThread', { number: thread.number, section: thread.sectionTitle })}
        </h3>
        <Link href={threadHref({ documentId: thread.documentId, id: thread.id })}>
          {t('moderation.openThread')}
          <span class="visually-hidden"> (#{thread.number})</span>
        </Link>
      </div>
      <p class="comment-meta">
        {author ? (
          <>
            <span class="comment-author">{author.name || t('consultations.thread.anonymous')}</span>{' '}
            <span class="group-tag">{groupLabel(author.stakeholderGroup)}</span>
            {author.selfDeclared ? (
              <span class="self-declared"> ({t('consultations.thread.selfDeclared')})</span>
            ) : null}
            {author.organisation ? <span class="comment-org">{author.organisation}</span> : null}
            <span aria-hidden="true"> · </span>
          </>
        ) : null}
        <TimeAgo at={comment.createdAt} />
      </p>
      {pending ? (
        <p class="comment-pending-note">{t('consultations.thread.pendingNote')}</p>
      ) : comment.hidden ? (
        <p class="comment-moderation-note">
          {comment.hidden.by
            ? t('threads.hiddenByModerator', {
                name: comment.hidden.by,
                at: formatDateTime(comment.hidden.at),
                reason: comment.hidden.reason,
              })
            : t('threads.hiddenPlaceholder', { reason: comment.hidden.reason })}
        </p>
      ) : null}
      {comment.body !== null ? (
        <RichText text={comment.body} class="comment-body" />
      ) : (
        <p class="comment-placeholder">{t('threads.withdrawnPlaceholder')}</p>
      )}
      {item.flags.length ? (
        <>
          <h4 class="visually-hidden">{t('moderation.flags')}</h4>
          <ul class="flag-list" aria-label={t('moderation.flags')}>
            {item.flags.map((flag, index) => (
              <li key={index}>
                <span class="flag-reason">{flag.reason}</span>{' '}
                <span class="flag-by">
                  ({t('moderation.flagBy', { name: flag.by, at: formatDateTime(flag.at) })})
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div class="comment-actions">
        {pending ? (
          <>
            <Button
              small
              variant="primary"
              aria-expanded={decision === 'approve'}
              onClick={() => setDecision(decision === 'approve' ? null : 'approve')}
            >
              {t('moderation.approve')}
            </Button>
            <Button
              small
              variant="danger"
              aria-expanded={decision === 'hide'}
              onClick={() => setDecision(decision === 'hide' ? null : 'hide')}
            >
              {t('moderation.hide')}
            </Button>
          </>
        ) : comment.hidden ? (
          <Button
            small
            aria-expanded={decision === 'restore'}
            onClick={() => setDecision(decision === 'restore' ? null : 'restore')}
          >
            {t('moderation.restore')}
          </Button>
        ) : (
          <Button
            small
            variant="danger"
            aria-expanded={decision === 'hide'}
            onClick={() => setDecision(decision === 'hide' ? null : 'hide')}
          >
            {t('moderation.hide')}
          </Button>
        )}
        {item.flags.length && !comment.hidden ? (
          <Button
            small
            aria-expanded={decision === 'dismiss'}
            onClick={() => setDecision(decision === 'dismiss' ? null : 'dismiss')}
          >
            {t('moderation.dismiss')}
          </Button>
        ) : null}
      </div>
      {decision === 'hide' ? (
        <ReasonForm
          label={t('moderation.hideReason')}
          submit={t('moderation.hideSubmit')}
          onCancel={() => setDecision(null)}
          onSubmit={async (reason) => {
            await hideComment(comment.id, reason)
            onDone(t('moderation.hiddenDone'))
          }}
        />
      ) : decision === 'approve' ? (
        <ReasonForm
          label={t('moderation.approveReason')}
          submit={t('moderation.approveSubmit')}
          onCancel={() => setDecision(null)}
          onSubmit={async (reason) => {
            await approveComment(comment.id, reason)
            onDone(t('moderation.approvedDone'))
          }}
        />
      ) : decision === 'restore' ? (
        <ReasonForm
          label={t('moderation.restoreReason')}
          submit={t('moderation.restoreSubmit')}
          onCancel={() => setDecision(null)}
          onSubmit={async (reason) => {
            await restoreComment(comment.id, reason)
            onDone(t('moderation.restoredDone'))
          }}
        />
      ) : decision === 'dismiss' ? (
        <ReasonForm
          label={t('moderation.dismissReason')}
          submit={t('moderation.dismissSubmit')}
          onCancel={() => setDecision(null)}
          onSubmit={async (reason) => {
            await dismissFlags(comment.id, reason)
            onDone(t('moderation.dismissedDone'))
          }}
        />
      ) : null}
    </article>
  )
}

function ModerationLog({ processId }: { processId: string }) {
  const log = useResource(() => listModerationLog(processId), [processId])
  return (
    <div>
      <h3 class="visually-hidden">{t('moderation.log')}</h3>
      {log.error ? <FormError id="moderation-log-error" error={log.error} /> : null}
      {log.loading && !log.data ? <Loading /> : null}
      {log.data ? (
        log.data.length ? (
          // Focusable, so a keyboard can scroll the table sideways on a phone.
          <div class="table-wrap" tabIndex={0} role="region" aria-label={t('moderation.log')}>
            <table class="data-table">
              <caption class="visually-hidden">{t('moderation.log')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('moderation.columns.at')}</th>
                  <th scope="col">{t('moderation.columns.moderator')}</th>
                  <th scope="col">{t('moderation.columns.action')}</th>
                  <th scope="col">{t('moderation.columns.thread')}</th>
                  <th scope="col">{t('moderation.columns.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {log.data.map((entry) => (
                  <tr key={entry.id}>
                    <td data-label={t('moderation.columns.at')} class="nowrap">
                      {formatDateTime(entry.at)}
                    </td>
                    <td data-label={t('moderation.columns.moderator')}>{entry.moderator}</td>
                    <td data-label={t('moderation.columns.action')}>
                      {t(`moderation.actions.${entry.action}`)}
                    </td>
                    <td data-label={t('moderation.columns.thread')}>#{entry.threadNumber}</td>
                    <td data-label={t('moderation.columns.reason')} class="log-reason">
                      {entry.reason}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>{t('moderation.emptyLog')}</Empty>
        )
      ) : null}
    </div>
  )
}
