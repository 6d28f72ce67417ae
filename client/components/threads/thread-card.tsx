import '../../styles/threads.css'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type {
  ApplyPreview,
  Comment,
  Endorsements,
  Thread,
  ThreadSummary,
} from '../../../shared/api/threads'
import { LIMITS } from '../../../shared/limits'
import { toApiError, type ApiError } from '../../api/client'
import {
  applyProposal,
  undoAppliedProposal,
  previewProposal,
  dismissFlags,
  editComment,
  endorseThread,
  fetchThread,
  flagComment,
  hideComment,
  reopenThread,
  replyToThread,
  resolveThread,
  restoreComment,
  unendorseThread,
  withdrawComment,
} from '../../api/threads'
import { formatDateTime, formatNumber, t } from '../../i18n'
import { LANGUAGE_NAMES } from '../../../shared/i18n/languages'
import { allows, currentProcess, groupLabel } from '../../state/process'
import { currentUser } from '../../state/session'
import { Button, ConfirmButton } from '../buttons'
import { errorText, FormError } from '../errors'
import { TextField } from '../fields'
import { Link } from '../link'
import { approveComment } from '../../api/consultations'
import { MentionTextArea } from './mention-textarea'
import { RichText } from './rich-text'
import {
  AnswerForm,
  CampaignBadge,
  ThreadAnswerView,
  ThreadOriginLine,
  ThreadWorkshopLine,
} from './thread-answer'
import { AnsweredInView, TextChangeView } from './text-change'
import { TimeAgo } from './time'

/** Where a thread opens in its document; the document page opens the thread named in `thread`. */
export function threadHref(thread: { documentId: string; id: string }): string {
  return `/documents/${encodeURIComponent(thread.documentId)}?thread=${encodeURIComponent(thread.id)}`
}

function isFull(thread: ThreadSummary | Thread): thread is Thread {
  return 'replies' in thread
}

export interface ThreadCardProps {
  thread: ThreadSummary | Thread
  /** A tighter card for the document margin: no section line, smaller spacing. */
  compact?: boolean
  /** Show the document's title and a link that opens the thread in the document. */
  showContext?: boolean
  /** Start with the replies shown (a full `Thread` always shows them). */
  defaultExpanded?: boolean
  /** The level of the card's heading, to fit the page's outline (default 3). */
  headingLevel?: 2 | 3 | 4
  /** The document being read: a thread written on another language of it says in which. */
  currentDocumentId?: string
  /** Called with the fresh thread after every change made from the card. */
  onChange?: (thread: Thread) => void
  /** Called when the thread cannot be read any more (hidden, or gone). */
  onGone?: (threadId: string) => void
}

/**
 * One comment thread: its kind and status, section, quoted passage, proposed change, the
 * opening comment, endorsements per stakeholder group, replies with a reply box, and the
 * actions the viewer's role allows (edit, withdraw, flag, resolve, apply, hide, restore).
 * Every action is a labelled button; the server decides each one again.
 */
export function ThreadCard({
  thread,
  compact = false,
  showContext = false,
  defaultExpanded = false,
  headingLevel = 3,
  currentDocumentId,
  onChange,
  onGone,
}: ThreadCardProps) {
  const [full, setFull] = useState<Thread | null>(isFull(thread) ? thread : null)
  const [expanded, setExpanded] = useState(defaultExpanded || isFull(thread))
  const [loadError, setLoadError] = useState<ApiError | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const titleId = useId()
  const repliesId = useId()
  const seq = useRef(0)

  const shown: ThreadSummary | Thread = full ?? thread

  async function refresh(): Promise<Thread | null> {
    const mine = ++seq.current
    try {
      const fresh = await fetchThread(thread.id)
      if (mine === seq.current) {
        setFull(fresh)
        setLoadError(null)
        onChange?.(fresh)
      }
      return fresh
    } catch (error) {
      const apiError = toApiError(error)
      if (mine === seq.current) {
        if (apiError.code === 'not_found') {
          onGone?.(thread.id)
        }
        setLoadError(apiError)
      }
      return null
    }
  }

  // A fresher copy from the parent (a live update) replaces ours; an expanded summary card
  // fetches its replies again, since the summary does not carry them.
  useEffect(() => {
    if (isFull(thread)) {
      setFull(thread)
    } else if (expanded) {
      void refresh()
    } else {
      setFull(null)
    }
  }, [thread])

  function toggle() {
    const next = !expanded
    setExpanded(next)
    if (next && !full) {
      void refresh()
    }
  }

  const Heading = headingLevel === 2 ? 'h2' : headingLevel === 4 ? 'h4' : 'h3'
  const root = shown.root
  const hiddenRoot = root.hidden !== null
  const pendingRoot = root.hidden?.pending === true
  const quote = shown.anchor?.quote ?? shown.quote

  return (
    <article
      class={['thread-card', compact ? 'is-compact' : '', `thread-${shown.status}`]
        .filter(Boolean)
        .join(' ')}
      aria-labelledby={titleId}
      data-thread-id={shown.id}
    >
      <header class="thread-head">
        <div class="thread-badges">
          <span class={`badge thread-kind kind-${shown.kind}`}>
            {t(`threads.kind.${shown.kind}`)}
          </span>
          <span class={`badge thread-status status-${shown.status}`}>
            <span aria-hidden="true" class="status-mark">
              {shown.status === 'open' ? '○' : '✓'}
            </span>
            {t(`threads.status.${shown.status}`)}
          </span>
          {pendingRoot ? (
            <span class="badge badge-pending">{t('consultations.thread.pendingBadge')}</span>
          ) : hiddenRoot ? (
            <span class="badge badge-hidden">{t('threads.hiddenBadge')}</span>
          ) : null}
          <CampaignBadge thread={shown} />
          {currentDocumentId !== undefined && shown.documentId !== currentDocumentId ? (
            <WrittenIn
              language={shown.documentLanguage ?? currentProcess.value?.languages[0] ?? 'en'}
            />
          ) : null}
          {root.flagCount > 0 ? (
            <span class="badge badge-flagged">
              {t('threads.flagCount', { count: root.flagCount })}
            </span>
          ) : null}
        </div>
        <Heading id={titleId} class="thread-title">
          <span class="thread-number">#{shown.number}</span>{' '}
          {compact ? (
            <span class="visually-hidden">{shown.sectionTitle}</span>
          ) : (
            <span class="thread-section">{shown.sectionTitle}</span>
          )}
          {shown.sectionRemoved ? (
            <span class="badge badge-removed">{t('threads.sectionRemoved')}</span>
          ) : null}
        </Heading>
        {showContext ? (
          <p class="thread-context">
            <span class="thread-document">{shown.documentTitle}</span>
            <span aria-hidden="true"> · </span>
            <Link href={threadHref(shown)}>
              {t('threads.openInDocument')}
              <span class="visually-hidden"> (#{shown.number})</span>
            </Link>
          </p>
        ) : null}
        <ThreadOriginLine thread={shown} />
        <ThreadWorkshopLine thread={shown} />
      </header>

      {quote ? (
        <figure class="thread-quote">
          <figcaption class="visually-hidden">{t('threads.quoted')}</figcaption>
          <blockquote>{quote}</blockquote>
        </figure>
      ) : null}

      <TextChangeView thread={shown} />

      {shown.proposal && !shown.applied ? (
        <ProposalView
          before={shown.anchor?.quote ?? null}
          after={shown.proposal.text}
          scope={shown.proposal.scope}
        />
      ) : null}

      <CommentView
        comment={root}
        processId={shown.processId}
        isRoot
        onChanged={() => void refresh()}
        announce={setAnnouncement}
      />

      <AnswerBlock
        thread={shown}
        onThread={(fresh) => {
          setFull(fresh)
          onChange?.(fresh)
        }}
        announce={setAnnouncement}
      />

      {shown.applied ? (
        <div class="thread-applied">
          <p class="thread-applied-title">
            {t('threads.applied.title', {
              name: shown.applied.by,
              at: formatDateTime(shown.applied.at),
            })}
          </p>
          <ProposalView
            before={shown.applied.before}
            after={shown.applied.after}
            scope={shown.applied.scope}
          />
        </div>
      ) : shown.resolved && shown.status === 'resolved' ? (
        <p class="thread-resolved">
          {t('threads.resolvedBy', {
            name: shown.resolved.by,
            at: formatDateTime(shown.resolved.at),
          })}
        </p>
      ) : null}

      <AnsweredInView thread={shown} />

      <ThreadActions
        thread={shown}
        onThread={(fresh) => {
          setFull(fresh)
          onChange?.(fresh)
        }}
        onChanged={() => void refresh()}
        announce={setAnnouncement}
      />

      <div class="thread-replies-toggle">
        <Button
          small
          variant="ghost"
          aria-expanded={expanded}
          aria-controls={repliesId}
          onClick={toggle}
        >
          {expanded
            ? t('threads.hideReplies')
            : shown.replyCount > 0
              ? t('threads.showReplies', { count: shown.replyCount })
              : allows('threads.create')
                ? t('threads.reply')
                : t('threads.openThread')}
          <span class="visually-hidden"> (#{shown.number})</span>
        </Button>
      </div>

      <div id={repliesId} class="thread-replies" hidden={!expanded}>
        {expanded ? (
          loadError ? (
            <FormError id={`${repliesId}-error`} error={loadError} />
          ) : full ? (
            <>
              {full.replies.length > 0 ? (
                <ol
                  class="reply-list"
                  aria-label={t('threads.repliesLabel', { number: full.number })}
                >
                  {full.replies.map((reply) => (
                    <li key={reply.id}>
                      <CommentView
                        comment={reply}
                        processId={full.processId}
                        onChanged={() => void refresh()}
                        announce={setAnnouncement}
                      />
                    </li>
                  ))}
                </ol>
              ) : (
                <p class="empty">{t('threads.noReplies')}</p>
              )}
              {allows('threads.create') ? (
                <ReplyForm
                  thread={full}
                  onPosted={async () => {
                    await refresh()
                    setAnnouncement(t('threads.replyPosted'))
                  }}
                />
              ) : null}
            </>
          ) : (
            <p class="loading" role="status">
              <span class="spinner" aria-hidden="true" />
              {t('common.loading')}
            </p>
          )
        ) : null}
      </div>
      <p class="visually-hidden" role="status">
        {announcement}
      </p>
    </article>
  )
}

/** A proposed change as "replaces … with …", in two labelled blocks (not colour alone). */
export function ProposalView({
  before,
  after,
  scope,
}: {
  before: string | null
  after: string
  scope: 'range' | 'section'
}) {
  return (
    <div class="proposal">
      <p class="proposal-title">{t(`threads.proposal.${scope}`)}</p>
      {before !== null ? (
        <div class="proposal-before">
          <p class="proposal-label">{t('threads.proposal.before')}</p>
          <del class="proposal-text">{before || t('threads.proposal.empty')}</del>
        </div>
      ) : null}
      <div class="proposal-after">
        <p class="proposal-label">{t('threads.proposal.after')}</p>
        <ins class="proposal-text">{after || t('threads.proposal.empty')}</ins>
      </div>
    </div>
  )
}

function AuthorLine({ comment }: { comment: Comment }) {
  const author = comment.author
  return (
    <p class="comment-meta">
      {author ? (
        <>
          <span class={author.name ? 'comment-author' : 'comment-author is-anonymous'}>
            {author.name || t('consultations.thread.anonymous')}
          </span>{' '}
          <span class={`group-tag group-${author.stakeholderGroup}`}>
            {groupLabel(author.stakeholderGroup)}
          </span>
          {author.selfDeclared ? (
            <>
              {' '}
              <span class="self-declared">({t('consultations.thread.selfDeclared')})</span>
            </>
          ) : null}
          {author.organisation ? (
            <>
              {' '}
              <span class="comment-org">{author.organisation}</span>
            </>
          ) : null}
          <span aria-hidden="true"> · </span>
        </>
      ) : null}
      <TimeAgo at={comment.createdAt} />
      {comment.editedAt ? (
        <span class="comment-edited" title={formatDateTime(comment.editedAt)}>
          {' '}
          ({t('threads.edited')})
        </span>
      ) : null}
    </p>
  )
}

type Panel = 'edit' | 'flag' | 'hide' | 'restore' | 'dismiss' | 'approve' | null

/** The opening comment or a reply, with its placeholders and the actions on it. */
function CommentView({
  comment,
  processId,
  isRoot = false,
  onChanged,
  announce,
}: {
  comment: Comment
  processId: string
  isRoot?: boolean
  onChanged: () => void
  announce: (message: string) => void
}) {
  const [panel, setPanel] = useState<Panel>(null)
  const me = currentUser.value?.id
  const hidden = comment.hidden
  const pending = hidden?.pending === true
  const canModerate = allows('threads.moderate')
  const mine = comment.author?.userId === me
  const canFlag =
    allows('threads.flag') && !mine && !comment.withdrawn && !hidden && !comment.flaggedByMe
  const kindLabel = isRoot ? t('threads.commentLabel') : t('threads.replyLabel')

  function done(message: string) {
    setPanel(null)
    announce(message)
    onChanged()
  }

  return (
    <div
      class={['comment', isRoot ? 'is-root' : 'is-reply', hidden ? 'is-hidden' : '']
        .filter(Boolean)
        .join(' ')}
      data-comment-id={comment.id}
    >
      {hidden && comment.body === null ? (
        <p class="comment-placeholder">
          {t('threads.hiddenPlaceholder', { reason: hidden.reason })}
        </p>
      ) : (
        <>
          <AuthorLine comment={comment} />
          {pending ? (
            <p class="comment-pending-note">{t('consultations.thread.pendingNote')}</p>
          ) : hidden ? (
            <p class="comment-moderation-note">
              {hidden.by
                ? t('threads.hiddenByModerator', {
                    name: hidden.by,
                    at: formatDateTime(hidden.at),
                    reason: hidden.reason,
                  })
                : mine
                  ? t('hiddenNotice.ownNote', { reason: hidden.reason })
                  : t('threads.hiddenPlaceholder', { reason: hidden.reason })}
            </p>
          ) : null}
          {comment.withdrawn || comment.body === null ? (
            <p class="comment-placeholder">{t('threads.withdrawnPlaceholder')}</p>
          ) : panel === 'edit' ? (
            <EditForm
              comment={comment}
              processId={processId}
              onCancel={() => setPanel(null)}
              onSaved={() => done(t('threads.saved'))}
            />
          ) : (
            <RichText text={comment.body} class="comment-body" />
          )}
        </>
      )}

      {!isRoot && comment.flagCount > 0 ? (
        <p class="badge badge-flagged">{t('threads.flagCount', { count: comment.flagCount })}</p>
      ) : null}
      {comment.flaggedByMe ? <p class="comment-flagged-note">{t('threads.flaggedByMe')}</p> : null}

      {panel !== 'edit' ? (
        <div class="comment-actions">
          {comment.canEdit && !comment.withdrawn ? (
            <Button small variant="ghost" onClick={() => setPanel('edit')}>
              {t('common.edit')}
              <span class="visually-hidden"> ({kindLabel})</span>
            </Button>
          ) : null}
          {comment.canWithdraw && !comment.withdrawn ? (
            <ConfirmButton
              label={t('threads.withdraw')}
              ariaLabel={`${t('threads.withdraw')} (${kindLabel})`}
              question={t('threads.withdrawQuestion')}
              confirmLabel={t('threads.withdrawConfirm')}
              onConfirm={async () => {
                try {
                  await withdrawComment(comment.id)
                  done(t('threads.withdrawn'))
                } catch (error) {
                  announce(errorText(toApiError(error)))
                }
              }}
            />
          ) : null}
          {canFlag ? (
            <Button
              small
              variant="ghost"
              aria-expanded={panel === 'flag'}
              onClick={() => setPanel(panel === 'flag' ? null : 'flag')}
            >
              {t('threads.flag')}
              <span class="visually-hidden"> ({kindLabel})</span>
            </Button>
          ) : null}
          {canModerate && pending ? (
            <Button
              small
              variant="primary"
              aria-expanded={panel === 'approve'}
              onClick={() => setPanel(panel === 'approve' ? null : 'approve')}
            >
              {t('moderation.approve')}
              <span class="visually-hidden"> ({kindLabel})</span>
            </Button>
          ) : null}
          {/* A shown item, or one awaiting approval (hiding refuses it), may be hidden. */}
          {canModerate && (!hidden || pending) ? (
            <Button
              small
              variant="ghost"
              aria-expanded={panel === 'hide'}
              onClick={() => setPanel(panel === 'hide' ? null : 'hide')}
            >
              {t('moderation.hide')}
              <span class="visually-hidden"> ({kindLabel})</span>
            </Button>
          ) : null}
          {canModerate && hidden && !pending ? (
            <Button
              small
              variant="ghost"
              aria-expanded={panel === 'restore'}
              onClick={() => setPanel(panel === 'restore' ? null : 'restore')}
            >
              {t('moderation.restore')}
              <span class="visually-hidden"> ({kindLabel})</span>
            </Button>
          ) : null}
          {canModerate && comment.flagCount > 0 ? (
            <Button
              small
              variant="ghost"
              aria-expanded={panel === 'dismiss'}
              onClick={() => setPanel(panel === 'dismiss' ? null : 'dismiss')}
            >
              {t('moderation.dismiss')}
              <span class="visually-hidden"> ({kindLabel})</span>
            </Button>
          ) : null}
        </div>
      ) : null}

      {panel === 'flag' ? (
        <ReasonForm
          label={t('threads.flagReason')}
          submit={t('threads.flagSubmit')}
          onCancel={() => setPanel(null)}
          onSubmit={async (reason) => {
            await flagComment(comment.id, reason)
            done(t('threads.flagged'))
          }}
        />
      ) : panel === 'hide' ? (
        <ReasonForm
          label={t('moderation.hideReason')}
          submit={t('moderation.hideSubmit')}
          onCancel={() => setPanel(null)}
          onSubmit={async (reason) => {
            await hideComment(comment.id, reason)
            done(t('moderation.hiddenDone'))
          }}
        />
      ) : panel === 'restore' ? (
        <ReasonForm
          label={t('moderation.restoreReason')}
          submit={t('moderation.restoreSubmit')}
          onCancel={() => setPanel(null)}
          onSubmit={async (reason) => {
            await restoreComment(comment.id, reason)
            done(t('moderation.restoredDone'))
          }}
        />
      ) : panel === 'approve' ? (
        <ReasonForm
          label={t('moderation.approveReason')}
          submit={t('moderation.approveSubmit')}
          onCancel={() => setPanel(null)}
          onSubmit={async (reason) => {
            await approveComment(comment.id, reason)
            done(t('moderation.approvedDone'))
          }}
        />
      ) : panel === 'dismiss' ? (
        <ReasonForm
          label={t('moderation.dismissReason')}
          submit={t('moderation.dismissSubmit')}
          onCancel={() => setPanel(null)}
          onSubmit={async (reason) => {
            await dismissFlags(comment.id, reason)
            done(t('moderation.dismissedDone'))
          }}
        />
      ) : null}
    </div>
  )
}

/**
 * The thread's disposition and public answer when there is one, and for the secretariat the
 * button that opens the answer form (to record it, or change it later).
 */
function AnswerBlock({
  thread,
  onThread,
  announce,
}: {
  thread: ThreadSummary
  onThread: (thread: Thread) => void
  announce: (message: string) => void
}) {
  const [open, setOpen] = useState(false)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const canAnswer = allows('threads.answer')

  function close() {
    setOpen(false)
    requestAnimationFrame(() => buttonRef.current?.focus())
  }

  return (
    <>
      {thread.answer && !open ? (
        <ThreadAnswerView answer={thread.answer} number={thread.number} />
      ) : null}
      {canAnswer ? (
        open ? (
          <AnswerForm
            thread={thread}
            onCancel={close}
            onSaved={(fresh) => {
              onThread(fresh)
              close()
              announce(t('consultations.answerForm.saved'))
            }}
          />
        ) : (
          <div class="thread-answer-actions">
            <Button
              small
              variant={thread.answer ? 'ghost' : 'secondary'}
              buttonRef={buttonRef}
              aria-expanded={false}
              onClick={() => setOpen(true)}
            >
              {thread.answer
                ? t('consultations.answerForm.edit')
                : t('consultations.answerForm.open')}
              <span class="visually-hidden"> (#{thread.number})</span>
            </Button>
          </div>
        )
      ) : null}
    </>
  )
}

/**
 * A short form asking for a reason (flag, hide, restore, dismiss). Focus moves into it when
 * it opens and back to the page flow when it closes.
 */
export function ReasonForm({
  label,
  submit,
  onSubmit,
  onCancel,
}: {
  label: string
  submit: string
  onSubmit: (reason: string) => Promise<void>
  onCancel: () => void
}) {
  const id = useId()
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [missing, setMissing] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  useEffect(() => {
    formRef.current?.querySelector('input')?.focus()
  }, [])

  async function send(event: Event) {
    event.preventDefault()
    if (!reason.trim()) {
      setMissing(true)
      formRef.current?.querySelector('input')?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      await onSubmit(reason.trim())
    } catch (e) {
      setError(toApiError(e))
      setBusy(false)
    }
  }

  return (
    <form
      ref={formRef}
      class="reason-form"
      onSubmit={(e) => void send(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          onCancel()
        }
      }}
      noValidate
    >
      <FormError id={`${id}-error`} error={error} />
      <TextField
        id={`${id}-reason`}
        label={label}
        value={reason}
        onValue={(v) => {
          setReason(v)
          setMissing(false)
        }}
        maxLength={LIMITS.moderationReasonMax}
        error={missing ? t('validation.required') : undefined}
        required
      />
      <div class="form-actions">
        <Button type="submit" variant="primary" small busy={busy}>
          {submit}
        </Button>
        <Button small variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  )
}

function EditForm({
  comment,
  processId,
  onSaved,
  onCancel,
}: {
  comment: Comment
  processId: string
  onSaved: () => void
  onCancel: () => void
}) {
  const id = useId()
  const [body, setBody] = useState(comment.body ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [missing, setMissing] = useState(false)

  async function save(event?: Event) {
    event?.preventDefault()
    if (!body.trim()) {
      setMissing(true)
      return
    }
    setBusy(true)
    setError(null)
    try {
      await editComment(comment.id, body)
      onSaved()
    } catch (e) {
      setError(toApiError(e))
      setBusy(false)
    }
  }

  return (
    <form class="comment-edit" onSubmit={(e) => void save(e)} noValidate>
      <FormError id={`${id}-error`} error={error} />
      <MentionTextArea
        id={`${id}-body`}
        label={t('threads.editLabel')}
        processId={processId}
        value={body}
        onValue={(v) => {
          setBody(v)
          setMissing(false)
        }}
        error={missing ? t('validation.required') : undefined}
        onSubmitShortcut={() => void save()}
        autoFocus
      />
      <div class="form-actions">
        <Button type="submit" variant="primary" small busy={busy}>
          {t('common.save')}
        </Button>
        <Button small variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  )
}

function ReplyForm({ thread, onPosted }: { thread: Thread; onPosted: () => Promise<void> }) {
  const id = useId()
  const [body, setBody] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [missing, setMissing] = useState(false)

  async function send(event?: Event) {
    event?.preventDefault()
    if (!body.trim()) {
      setMissing(true)
      document.getElementById(`${id}-body`)?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      await replyToThread(thread.id, body)
      setBody('')
      await onPosted()
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="reply-form" onSubmit={(e) => void send(e)} noValidate>
      <FormError id={`${id}-error`} error={error} />
      <MentionTextArea
        id={`${id}-body`}
        label={t('threads.replyLabelField', { number: thread.number })}
        processId={thread.processId}
        value={body}
        onValue={(v) => {
          setBody(v)
          setMissing(false)
        }}
        rows={3}
        error={missing ? t('validation.required') : undefined}
        onSubmitShortcut={() => void send()}
      />
      <div class="form-actions">
        <Button type="submit" variant="primary" small busy={busy}>
          {t('threads.sendReply')}
        </Button>
      </div>
    </form>
  )
}

function ThreadActions({
  thread,
  onThread,
  onChanged,
  announce,
}: {
  thread: ThreadSummary
  onThread: (thread: Thread) => void
  onChanged: () => void
  announce: (message: string) => void
}) {
  const [endorsements, setEndorsements] = useState<Endorsements>(thread.endorsements)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [conflict, setConflict] = useState(false)
  const [preview, setPreview] = useState<ApplyPreview | null>(null)
  const [undoRefused, setUndoRefused] = useState(false)
  const errorId = useId()
  const undoErrorId = useId()

  useEffect(() => {
    setEndorsements(thread.endorsements)
  }, [thread.endorsements])

  async function run(name: string, action: () => Promise<void>) {
    setBusy(name)
    setError(null)
    try {
      await action()
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(null)
    }
  }

  const canEndorse = allows('threads.endorse') && thread.root.hidden === null
  const canResolve = allows('threads.resolve')
  const canApply =
    allows('threads.apply') &&
    thread.kind === 'proposal' &&
    thread.proposal !== null &&
    thread.status !== 'accepted'
  // Issue 15, item 3: an applied change can be undone from its thread.
  const canUndo = allows('threads.apply') && thread.applied !== null && thread.applied.undoable

  const groups = Object.entries(endorsements.byGroup).filter(([, count]) => count > 0)

  return (
    <div class="thread-actions">
      <div class="endorsements">
        {canEndorse ? (
          <Button
            small
            variant={endorsements.mine ? 'primary' : 'secondary'}
            aria-pressed={endorsements.mine}
            busy={busy === 'endorse'}
            onClick={() =>
              void run('endorse', async () => {
                const next = endorsements.mine
                  ? await unendorseThread(thread.id)
                  : await endorseThread(thread.id)
                setEndorsements(next)
                announce(next.mine ? t('threads.endorsed') : t('threads.unendorsed'))
                onChanged()
              })
            }
          >
            <span aria-hidden="true">{endorsements.mine ? '★' : '☆'}</span>
            {endorsements.mine ? t('threads.endorsedButton') : t('threads.endorse')}
            <span class="endorse-count">{formatNumber(endorsements.total)}</span>
            <span class="visually-hidden">
              {' '}
              {t('threads.endorsementCount', { count: endorsements.total })} (#{thread.number})
            </span>
          </Button>
        ) : (
          <span class="endorse-total">
            {t('threads.endorsementCount', { count: endorsements.total })}
          </span>
        )}
        {groups.length > 0 ? (
          <ul class="endorse-groups" aria-label={t('threads.endorsementsByGroup')}>
            {groups.map(([group, count]) => (
              <li key={group} class={`group-tag group-${group}`}>
                {groupLabel(group)}: {formatNumber(count)}
              </li>
            ))}
          </ul>
        ) : null}
      </div>

      {canResolve || canApply || canUndo ? (
        <div class="thread-decisions">
          {canResolve && thread.status === 'open' ? (
            <Button
              small
              busy={busy === 'resolve'}
              onClick={() =>
                void run('resolve', async () => {
                  onThread(await resolveThread(thread.id))
                  announce(t('threads.resolvedDone'))
                })
              }
            >
              {t('threads.resolve')}
              <span class="visually-hidden"> (#{thread.number})</span>
            </Button>
          ) : null}
          {canResolve && thread.status === 'resolved' ? (
            <Button
              small
              busy={busy === 'reopen'}
              onClick={() =>
                void run('reopen', async () => {
                  onThread(await reopenThread(thread.id))
                  announce(t('threads.reopenedDone'))
                })
              }
            >
              {t('threads.reopen')}
              <span class="visually-hidden"> (#{thread.number})</span>
            </Button>
          ) : null}
          {canApply ? (
            <Button
              small
              variant="primary"
              busy={busy === 'preview'}
              aria-expanded={preview !== null}
              onClick={() =>
                // Issue 15, item 3: show what the change replaces, and apply only once confirmed.
                void run('preview', async () => {
                  setConflict(false)
                  setPreview(await previewProposal(thread.id))
                })
              }
            >
              {t('threads.apply')}
              <span class="visually-hidden"> (#{thread.number})</span>
            </Button>
          ) : null}
          {canUndo ? (
            <Button
              small
              busy={busy === 'undo'}
              onClick={() =>
                void run('undo', async () => {
                  setUndoRefused(false)
                  try {
                    onThread(await undoAppliedProposal(thread.id))
                    announce(t('threads.undoneDone'))
                  } catch (e) {
                    const apiError = toApiError(e)
                    if (apiError.status !== 409) {
                      throw apiError
                    }
                    // The text was edited since: say so in the reader's words.
                    setUndoRefused(true)
                  }
                })
              }
            >
              {t('threads.undoApply')}
              <span class="visually-hidden"> (#{thread.number})</span>
            </Button>
          ) : null}
        </div>
      ) : null}

      {preview && canApply ? (
        <ApplyConfirm
          preview={preview}
          number={thread.number}
          busy={busy === 'apply'}
          onConfirm={() =>
            void run('apply', async () => {
              try {
                // The person saw the passage as it is now, changed or not: apply that.
                onThread(await applyProposal(thread.id, preview.passageChanged))
                setPreview(null)
                setConflict(false)
                announce(t('threads.appliedDone'))
              } catch (e) {
                const apiError = toApiError(e)
                if (apiError.status === 409 || apiError.code === 'conflict') {
                  setPreview(null)
                  setConflict(true)
                  return
                }
                throw apiError
              }
            })
          }
          onCancel={() => setPreview(null)}
        />
      ) : null}
      {conflict && canApply ? (
        <ConflictNotice
          busy={busy === 'force'}
          onForce={() =>
            void run('force', async () => {
              onThread(await applyProposal(thread.id, true))
              setConflict(false)
              announce(t('threads.appliedDone'))
            })
          }
          onCancel={() => setConflict(false)}
        />
      ) : null}
      {undoRefused && canUndo ? (
        <FormError id={undoErrorId} error={null} message={t('threads.undoConflict')} />
      ) : null}
      {error ? <FormError id={errorId} error={error} /> : null}
    </div>
  )
}

/** The change a proposal makes, before and after, with a button to confirm it. */
function ApplyConfirm({
  preview,
  number,
  busy,
  onConfirm,
  onCancel,
}: {
  preview: ApplyPreview
  number: number
  busy: boolean
  onConfirm: () => void
  onCancel: () => void
}) {
  const ref = useRef<HTMLDivElement>(null)
  const headingId = useId()
  useEffect(() => {
    ref.current?.focus()
  }, [])
  const paragraphs = (text: string) =>
    text.trim() === '' ? (
      <p class="apply-empty">{t('applyChange.empty')}</p>
    ) : (
      text.split(/\n\s*\n/).map((part, i) => <p key={i}>{part}</p>)
    )
  return (
    <div
      ref={ref}
      class="notice apply-confirm"
      role="group"
      aria-labelledby={headingId}
      tabIndex={-1}
    >
      <p class="notice-title" id={headingId}>
        {t(preview.scope === 'section' ? 'applyChange.titleSection' : 'applyChange.titleRange', {
          number,
        })}
      </p>
      {preview.passageChanged ? <p>{t('applyChange.passageChanged')}</p> : null}
      <div class="apply-compare">
        <div class="apply-before">
          <p class="apply-label">{t('applyChange.before')}</p>
          <del>{paragraphs(preview.before)}</del>
        </div>
        <div class="apply-after">
          <p class="apply-label">{t('applyChange.after')}</p>
          <ins>{paragraphs(preview.after)}</ins>
        </div>
      </div>
      <div class="form-actions">
        <Button small variant="primary" busy={busy} onClick={onConfirm}>
          {t('applyChange.confirm')}
        </Button>
        <Button small variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  )
}

function ConflictNotice({
  busy,
  onForce,
  onCancel,
}: {
  busy: boolean
  onForce: () => void
  onCancel: () => void
}) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    ref.current?.focus()
  }, [])
  return (
    <div ref={ref} class="notice notice-warning thread-conflict" role="alert" tabIndex={-1}>
      <p class="notice-title">{t('threads.conflict.title')}</p>
      <p>{t('threads.conflict.body')}</p>
      <div class="form-actions">
        <Button small variant="danger" busy={busy} onClick={onForce}>
          {t('threads.conflict.force')}
        </Button>
        <Button small variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  )
}

/** Which language a thread shown beside another language of its document was written in. */
function WrittenIn({ language }: { language: string }) {
  const name = LANGUAGE_NAMES[language as keyof typeof LANGUAGE_NAMES] ?? language
  return (
    <span class="badge badge-muted thread-language">
      {t('threads.writtenIn', { language: name })}
    </span>
  )
}
