import type { ComponentChildren } from 'preact'
import type { RedlinePart } from '../../../shared/api/comparison'
import type { ThreadSummary } from '../../../shared/api/threads'
import { t } from '../../i18n'
import { Link } from '../link'

const isSafeHref = (href: unknown): href is string =>
  typeof href === 'string' && /^(https:|mailto:)/i.test(href)

/** A word-level redline: insertions underlined, deletions struck through, text always inert. */
export function Redline({ parts, label }: { parts: RedlinePart[]; label: string }) {
  return (
    <div class="redline thread-redline" role="group" aria-label={label}>
      {parts.map((part, i) => renderPart(part, i))}
    </div>
  )
}

function renderPart(part: RedlinePart, key: number): ComponentChildren {
  let out: ComponentChildren = part.text
  if (part.strong) {
    out = <strong>{out}</strong>
  }
  if (part.em) {
    out = <em>{out}</em>
  }
  if (part.href !== undefined && isSafeHref(part.href)) {
    out = (
      <a href={part.href} rel="noopener noreferrer nofollow">
        {out}
      </a>
    )
  }
  if (part.op === 'insert') {
    return (
      <ins key={key} title={t('versions.compare.inserted')}>
        {out}
      </ins>
    )
  }
  if (part.op === 'delete') {
    return (
      <del key={key} title={t('versions.compare.deleted')}>
        {out}
      </del>
    )
  }
  return <span key={key}>{out}</span>
}

/**
 * "Text changed since this comment" (issue 14, item 3): when a thread's section or passage
 * reads otherwise now than when the thread was written, the note and, on opening it, the
 * redline of just that part: the passage for a passage thread, then the section.
 */
export function TextChangeView({ thread }: { thread: ThreadSummary }) {
  const change = thread.textChange
  if (!change?.isChanged) {
    return null
  }
  const { section, passage } = change
  return (
    <details class="thread-changed">
      <summary>
        <span class="thread-changed-title">{t('threads.changed.title')}</span>
      </summary>
      {change.writtenOn ? (
        <p class="thread-changed-meta">
          {t('threads.changed.writtenOn', {
            number: change.writtenOn.number,
            name: change.writtenOn.name,
          })}
        </p>
      ) : null}
      {passage && passage.status !== 'unchanged' ? (
        <div class="thread-changed-part">
          <p class="thread-changed-label">
            {passage.status === 'removed'
              ? t('threads.changed.passageRemoved')
              : t('threads.changed.passage')}
          </p>
          <Redline parts={passage.redline} label={t('threads.changed.passage')} />
        </div>
      ) : null}
      {section.status === 'renamed' ||
      (section.titleNow !== null && section.titleNow !== section.titleThen) ? (
        <p class="thread-changed-meta">
          {t('threads.changed.renamed', { title: section.titleThen })}
        </p>
      ) : null}
      {section.status === 'removed' ? (
        <div class="thread-changed-part">
          <p class="thread-changed-label">{t('threads.changed.sectionRemoved')}</p>
          <Redline parts={section.redline} label={t('threads.changed.sectionRemoved')} />
        </div>
      ) : section.status === 'changed' ? (
        <div class="thread-changed-part">
          <p class="thread-changed-label">{t('threads.changed.section')}</p>
          <Redline parts={section.redline} label={t('threads.changed.section')} />
        </div>
      ) : null}
    </details>
  )
}

/**
 * The change that answered a thread: the version it first appears in (with a link to compare
 * that version with the one before) and its redline, or the applied change while no version
 * holds it yet.
 */
export function AnsweredInView({ thread }: { thread: ThreadSummary }) {
  const answered = thread.answeredIn
  if (!answered) {
    return null
  }
  const version = answered.version
  const compareHref = version
    ? `/documents/${encodeURIComponent(thread.documentId)}/versions?${new URLSearchParams(
        answered.previousVersionId
          ? { from: answered.previousVersionId, to: version.versionId }
          : { from: version.versionId, to: 'live' },
      ).toString()}`
    : null
  return (
    <details class="thread-answered-in">
      <summary>
        {version
          ? t('threads.answeredIn.version', { number: version.number, name: version.name })
          : t('threads.answeredIn.applied')}
      </summary>
      {answered.redline.length > 0 ? (
        <Redline parts={answered.redline} label={t('threads.answeredIn.change')} />
      ) : null}
      {compareHref ? (
        <p class="thread-changed-meta">
          <Link href={compareHref}>{t('threads.answeredIn.compare')}</Link>
        </p>
      ) : null}
    </details>
  )
}
