/** @jsxRuntime automatic */
/** @jsxImportSource preact */
import {
  CONSULTATION_LIMITS,
  type ConsultationReport,
  type ReportThread,
} from '../../shared/api/consultations'
import type { SubmissionRow } from '../db/database'
import { formatDateTime, Paragraphs, Time, withLang } from '../public/components'
import type { PageContext } from './pages'
import { groupLabel } from './public-i18n'
import { referenceOf } from './public-service'

// The consultation pages as components (issue 14, item 8): the receipt, the confirmation of an
// e-mailed link, the message page and the report. Text is escaped by Preact.

function titleOf(ctx: PageContext): string {
  const values = ctx.pc.consultation.title
  return (
    values[ctx.lang] ||
    ctx.pc.process.languages.map((l) => values[l]).find(Boolean) ||
    Object.values(values).find((v) => v !== '') ||
    ''
  )
}

function When({ ctx, at }: { ctx: PageContext; at: Date | string }) {
  return <Time at={at} lang={ctx.lang} timeZone={ctx.pc.consultation.time_zone} />
}

export function receiptHeading(
  ctx: PageContext,
  submission: SubmissionRow,
  confirmed?: boolean,
): string {
  const { t } = ctx
  return submission.status === 'unverified'
    ? t('publicConsultation.receipt.waitingHeading')
    : confirmed
      ? t('publicConsultation.receipt.confirmedHeading')
      : t('publicConsultation.receipt.heading')
}

/** The receipt of a submission: its reference and where it stands. It names no person. */
export function ReceiptBody(props: {
  ctx: PageContext
  submission: SubmissionRow
  options: { pending: boolean; hidden?: boolean; confirmed?: boolean }
}) {
  const { ctx, submission, options } = props
  const { t, pc } = ctx
  const section = pc.consultation.version_sections.find((s) => s.id === submission.section_id)
  let status: string
  if (submission.status === 'unverified') {
    status = t('publicConsultation.receipt.checkEmail', { count: CONSULTATION_LIMITS.verifyHours })
  } else if (options.pending) {
    status = t('publicConsultation.receipt.pending')
  } else if (options.hidden) {
    status = t('publicConsultation.receipt.hidden')
  } else if (pc.consultation.visibility === 'immediately') {
    status = t('publicConsultation.receipt.published')
  } else {
    status = t(
      pc.consultation.visibility === 'never'
        ? 'publicConsultation.receipt.notPublic'
        : 'publicConsultation.receipt.afterClose',
    )
  }
  return (
    <>
      <h1>{receiptHeading(ctx, submission, options.confirmed)}</h1>
      <p class="consultation-name">{titleOf(ctx)}</p>
      <dl class="receipt">
        <dt>{t('publicConsultation.receipt.reference')}</dt>
        <dd>
          <strong class="reference">{submission.reference}</strong>
        </dd>
        <dt>{t('publicConsultation.receipt.received')}</dt>
        <dd>
          <When ctx={ctx} at={submission.created_at} />
        </dd>
        {section ? (
          <>
            <dt>{t('publicConsultation.receipt.section')}</dt>
            <dd>{section.title}</dd>
          </>
        ) : null}
      </dl>
      <p class="receipt-status">{status}</p>
      <p>{t('publicConsultation.receipt.keep')}</p>
      <p>
        <a href={`${withLang(`/c/${pc.consultation.slug}`, ctx.lang)}#${submission.section_id}`}>
          {t('publicConsultation.backToDocument')}
        </a>
      </p>
    </>
  )
}

/**
 * What a confirmation link opens. It confirms nothing by itself (mail scanners open links
 * too): the person reads what they wrote and presses the button.
 */
export function ConfirmBody(props: { ctx: PageContext; submission: SubmissionRow; token: string }) {
  const { ctx, submission, token } = props
  const { t, pc } = ctx
  const section = pc.consultation.version_sections.find((s) => s.id === submission.section_id)
  return (
    <>
      <h1>{t('publicConsultation.verify.confirmHeading')}</h1>
      <p class="consultation-name">{titleOf(ctx)}</p>
      <dl class="receipt">
        <dt>{t('publicConsultation.receipt.reference')}</dt>
        <dd>
          <strong class="reference">{submission.reference}</strong>
        </dd>
        {section ? (
          <>
            <dt>{t('publicConsultation.receipt.section')}</dt>
            <dd>{section.title}</dd>
          </>
        ) : null}
      </dl>
      <h2>{t('publicConsultation.verify.yourComment')}</h2>
      <blockquote class="submitted-comment">
        <Paragraphs value={submission.body} />
      </blockquote>
      <form method="post" action={`/c/${pc.consultation.slug}/verify`}>
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="lang" value={ctx.lang} />
        <p>{t('publicConsultation.verify.confirmText')}</p>
        <p>
          <button type="submit">{t('publicConsultation.verify.confirmButton')}</button>
        </p>
      </form>
    </>
  )
}

/** Something went wrong (an expired link, a refusal), with a link back. */
export function MessageBody(props: { ctx: PageContext; heading: string; message: string }) {
  const { ctx } = props
  return (
    <>
      <h1>{props.heading}</h1>
      <p>{props.message}</p>
      <p>
        <a href={withLang(`/c/${ctx.pc.consultation.slug}`, ctx.lang)}>
          {ctx.t('publicConsultation.backToDocument')}
        </a>
      </p>
    </>
  )
}

// ---------------------------------------------------------------------------------------
// What we heard (GET /c/:slug/report)

/** How many of a campaign's references a thread shows; the search finds every one. */
const REFERENCES_SHOWN = 5

/** A reference as people type it: spaces around it and lower case do not matter. */
export function normaliseReference(value: string): string {
  return value.trim().toUpperCase()
}

function BackToDocument({ ctx }: { ctx: PageContext }) {
  return (
    <p class="back">
      <a href={withLang(`/c/${ctx.pc.consultation.slug}`, ctx.lang)}>
        {ctx.t('publicConsultation.backToDocument')}
      </a>
    </p>
  )
}

/** The search form of the report: a GET form, so it works without script (issue 15, item 1). */
function ReferenceSearch({ ctx, value }: { ctx: PageContext; value: string | undefined }) {
  const { t, pc } = ctx
  const example = referenceOf(pc.consultation.slug, 1)
  return (
    <form
      class="reference-search"
      method="get"
      action={`/c/${pc.consultation.slug}/report`}
      role="search"
      aria-labelledby="reference-search-heading"
    >
      <h3 id="reference-search-heading">{t('reportReferences.search.heading')}</h3>
      <input type="hidden" name="lang" value={ctx.lang} />
      <div class="field">
        <label for="ref">{t('reportReferences.search.label')}</label>
        <p class="hint" id="ref-hint">
          {t('reportReferences.search.hint', { example })}
        </p>
        <input
          type="text"
          id="ref"
          name="ref"
          value={value ?? ''}
          maxLength={100}
          autoComplete="off"
          spellcheck={false}
          aria-describedby="ref-hint"
        />
      </div>
      <button type="submit">{t('reportReferences.search.submit')}</button>
    </form>
  )
}

/** A thread's references: a few of them, the one searched for first and marked. */
function ReferenceLine(props: { ctx: PageContext; references: string[]; found: string | null }) {
  const { ctx, references, found } = props
  if (references.length === 0) {
    return null
  }
  const { t } = ctx
  const ordered =
    found !== null && references.includes(found)
      ? [found, ...references.filter((r) => r !== found)]
      : references
  const more = ordered.length - REFERENCES_SHOWN
  return (
    <p class="references">
      {t('reportReferences.reference', { count: references.length })}:{' '}
      {ordered.slice(0, REFERENCES_SHOWN).map((r, i) => (
        <>
          {i > 0 ? ', ' : null}
          {r === found ? (
            <mark>
              <span class="reference">{r}</span>
            </mark>
          ) : (
            <span class="reference">{r}</span>
          )}
        </>
      ))}
      {more > 0 ? ` ${t('reportReferences.moreReferences', { count: more })}` : null}
    </p>
  )
}

/** What a search by reference found, and the way back to every comment. */
function SearchOutcome(props: { ctx: PageContext; wanted: string; found: ReportThread[] }) {
  const { ctx, wanted, found } = props
  const { t, pc } = ctx
  const message =
    found[0] === undefined
      ? t('reportReferences.search.notFound', { reference: wanted })
      : t('reportReferences.search.found', { reference: wanted, number: found[0].number })
  return (
    <>
      <p class="search-outcome" role="status">
        {message}
      </p>
      <p>
        <a href={`${withLang(`/c/${pc.consultation.slug}/report`, ctx.lang)}#threads-heading`}>
          {t('reportReferences.search.showAll')}
        </a>
      </p>
    </>
  )
}

function ReportThreadItem(props: {
  ctx: PageContext
  thread: ReportThread
  wanted: string | null
  commentsPublished: boolean
}) {
  const { ctx, thread: th, wanted } = props
  const { t, pc } = ctx
  const groupName = (key: string) => groupLabel(t, key, pc.groups)
  return (
    <li class="comment" id={`comment-${th.number}`}>
      <p class="report-thread-head">
        <strong>#{th.number}</strong> · {th.sectionTitle} ·{' '}
        {th.disposition ? (
          <span class={`disposition disposition-${th.disposition}`}>
            {t(`publicConsultation.dispositions.${th.disposition}`)}
          </span>
        ) : (
          <span class="disposition">{t('publicConsultation.awaitingAnswer')}</span>
        )}
        {th.submissions > 1
          ? ` · ${t('publicConsultation.identicalSubmissions', { count: th.submissions })}`
          : null}
      </p>
      <ReferenceLine ctx={ctx} references={th.references} found={wanted} />
      {th.hidden ? null : (
        <p class="comment-meta">
          <span class="author">
            {th.author.trim() === '' ? t('publicConsultation.anonymous') : th.author}
          </span>{' '}
          ·{' '}
          <span class="group">
            {groupName(th.stakeholderGroup)}
            {th.selfDeclared ? (
              <>
                {' '}
                <span class="badge">{t('publicConsultation.selfDeclared')}</span>
              </>
            ) : null}
          </span>
          {th.organisation ? (
            <>
              {' · '}
              <span class="organisation">{th.organisation}</span>
            </>
          ) : null}
        </p>
      )}
      {th.hidden ? (
        <p class="hidden-note">
          {t('publicConsultation.hiddenByModerator', {
            reason: (th.hiddenReason ?? th.comment).trim() || t('publicConsultation.noReason'),
          })}
        </p>
      ) : props.commentsPublished ? (
        <div class="comment-body">
          <Paragraphs value={th.comment} />
        </div>
      ) : null}
      {th.answer ? (
        <div class="answer">
          <p class="answer-head">
            <strong>{t('publicConsultation.answer')}</strong>
          </p>
          <Paragraphs value={th.answer} />
        </div>
      ) : null}
    </li>
  )
}

/**
 * The body of GET /c/:slug/report: totals by group × section, submissions over time, every
 * thread with its references. With `ref`, the thread list holds only the comment with that
 * reference (or says that none has it), so a person finds the answer to theirs (issue 15,
 * item 1). Before the window closes (`report` null) it says when the report comes.
 */
export function ReportBody(props: {
  ctx: PageContext
  report: ConsultationReport | null
  /** The reference searched for (`?ref=`); not `ref`, which Preact keeps for itself. */
  searched?: string
}) {
  const { ctx, report } = props
  const { t, pc } = ctx
  const heading = t('publicConsultation.report.heading')
  if (report === null) {
    return (
      <>
        <BackToDocument ctx={ctx} />
        <h1>{heading}</h1>
        <p class="consultation-name">{titleOf(ctx)}</p>
        <p>
          {t('publicConsultation.report.notYet', {
            when: formatDateTime(ctx.lang, pc.consultation.closes_at, pc.consultation.time_zone),
          })}
        </p>
      </>
    )
  }
  const sections = report.sections.filter((s) => s.id !== null)
  const groups = Object.keys(report.totals.byGroup)
  const groupName = (key: string) => groupLabel(t, key, pc.groups)
  const number = (n: number) => new Intl.NumberFormat(ctx.lang).format(n)
  const maxDay = Math.max(1, ...report.overTime.map((d) => d.submissions))
  const dayFormat = new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'medium', timeZone: 'UTC' })
  const wanted =
    props.searched === undefined || props.searched.trim() === ''
      ? null
      : normaliseReference(props.searched)
  const listed =
    wanted === null ? report.threads : report.threads.filter((th) => th.references.includes(wanted))
  const dispositions = Object.entries(report.totals.byDisposition)
  const commentsPublished = report.commentsPublished !== false
  return (
    <>
      <BackToDocument ctx={ctx} />
      <h1>{heading}</h1>
      <p class="consultation-name">{titleOf(ctx)}</p>
      <p>
        {t('publicConsultation.report.summary', {
          submissions: t('newcomer.report.submissions', { count: report.totals.submissions }),
          threads: t('newcomer.report.threads', { count: report.totals.threads }),
          answered: t('newcomer.report.answered', { count: report.totals.answered }),
        })}
      </p>
      {dispositions.length > 0 ? (
        <ul class="dispositions">
          {dispositions.map(([key, n]) => (
            <li>
              {key === 'none'
                ? t('publicConsultation.awaitingAnswer')
                : t(`publicConsultation.dispositions.${key}`)}
              : {number(n)}
            </li>
          ))}
        </ul>
      ) : null}
      <section aria-labelledby="matrix-heading">
        <h2 id="matrix-heading">{t('publicConsultation.report.matrixHeading')}</h2>
        <div class="table-scroll" role="region" tabIndex={0} aria-labelledby="matrix-heading">
          <table class="matrix">
            <caption class="visually-hidden">
              {t('publicConsultation.report.matrixCaption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('publicConsultation.report.section')}</th>
                {groups.map((g) => (
                  <th scope="col">{groupName(g)}</th>
                ))}
                <th scope="col">{t('publicConsultation.report.total')}</th>
              </tr>
            </thead>
            <tbody>
              {sections.map((s) => {
                const row = report.totals.matrix[s.id!] ?? {}
                return (
                  <tr>
                    <th scope="row">{s.title}</th>
                    {groups.map((g) => (
                      <td>{number(row[g] ?? 0)}</td>
                    ))}
                    <td>{number(report.totals.bySection[s.id!] ?? 0)}</td>
                  </tr>
                )
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('publicConsultation.report.total')}</th>
                {groups.map((g) => (
                  <td>{number(report.totals.byGroup[g] ?? 0)}</td>
                ))}
                <td>{number(report.totals.submissions)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
      <section aria-labelledby="over-time-heading">
        <h2 id="over-time-heading">{t('publicConsultation.report.overTimeHeading')}</h2>
        {report.overTime.length === 0 ? (
          <p>{t('publicConsultation.report.noSubmissions')}</p>
        ) : (
          <table class="over-time">
            <caption class="visually-hidden">
              {t('publicConsultation.report.overTimeCaption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('publicConsultation.report.date')}</th>
                <th scope="col">{t('publicConsultation.report.submissions')}</th>
              </tr>
            </thead>
            <tbody>
              {report.overTime.map((d) => (
                <tr>
                  <th scope="row">
                    <time dateTime={d.date}>
                      {dayFormat.format(new Date(`${d.date}T12:00:00Z`))}
                    </time>
                  </th>
                  <td>
                    <span class="bar" data-value={d.submissions}>
                      <meter min={0} max={maxDay} value={d.submissions} aria-hidden="true" />{' '}
                      {number(d.submissions)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="threads-heading">
        <h2 id="threads-heading">{t('publicConsultation.report.threadsHeading')}</h2>
        {commentsPublished ? null : (
          <p class="note">{t('publicConsultation.report.commentsNotPublic')}</p>
        )}
        {report.threads.length > 0 ? (
          <ReferenceSearch ctx={ctx} value={wanted ?? undefined} />
        ) : null}
        {wanted === null ? null : <SearchOutcome ctx={ctx} wanted={wanted} found={listed} />}
        {listed.length > 0 ? (
          <ol class="comment-list">
            {listed.map((thread) => (
              <ReportThreadItem
                ctx={ctx}
                thread={thread}
                wanted={wanted}
                commentsPublished={commentsPublished}
              />
            ))}
          </ol>
        ) : wanted === null ? (
          <p>{t('publicConsultation.report.noSubmissions')}</p>
        ) : null}
      </section>
    </>
  )
}
