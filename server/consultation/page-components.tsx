/** @jsxRuntime automatic */
/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact'
import {
  CONSULTATION_LIMITS,
  INDIVIDUAL_GROUP,
  type ConsultationReport,
  type ReportThread,
} from '../../shared/api/consultations'
import { LIMITS } from '../../shared/limits'
import type { SubmissionRow } from '../db/database'
import {
  formatDateTime,
  localised,
  Paragraphs,
  Time,
  TrustedHtml,
  withLang,
} from '../public/components'
import type { FormState, PageContext, SectionPageData } from './pages'
import { groupLabel } from './public-i18n'
import type { PublicThreadRow } from './public-queries'
import { referenceOf, type FieldProblem } from './public-service'

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

// ---------------------------------------------------------------------------------------
// Comments beside their sections (the consultation page and the section page)

function AuthorLine({ ctx, thread }: { ctx: PageContext; thread: PublicThreadRow }) {
  const { t, pc } = ctx
  const name =
    thread.author_name.trim() === '' ? t('publicConsultation.anonymous') : thread.author_name
  return (
    <p class="comment-meta">
      <span class="author">{name}</span> ·{' '}
      <span class="group">
        {groupLabel(t, thread.author_group, pc.groups)}
        {thread.consultation_id !== null && thread.self_declared ? (
          <>
            {' '}
            <span class="badge">{t('publicConsultation.selfDeclared')}</span>
          </>
        ) : null}
      </span>
      {thread.author_organisation.trim() !== '' ? (
        <>
          {' · '}
          <span class="organisation">{thread.author_organisation}</span>
        </>
      ) : null}
      {thread.workshop_id !== null ? (
        <>
          {' · '}
          <span class="badge member">{t('publicConsultation.workshopThread')}</span>
        </>
      ) : thread.consultation_id === null ? (
        <>
          {' · '}
          <span class="badge member">{t('publicConsultation.memberThread')}</span>
        </>
      ) : null}
      {' · '}
      <When ctx={ctx} at={thread.created_at} />
    </p>
  )
}

function AnswerBlock({ ctx, thread }: { ctx: PageContext; thread: PublicThreadRow }) {
  const { t } = ctx
  if (thread.disposition === null || thread.answer === null || thread.answered_at === null) {
    return <p class="no-answer">{t('publicConsultation.awaitingAnswer')}</p>
  }
  return (
    <div class="answer">
      <p class="answer-head">
        <strong>{t('publicConsultation.answer')}</strong>{' '}
        <span class={`disposition disposition-${thread.disposition}`}>
          {t(`publicConsultation.dispositions.${thread.disposition}`)}
        </span>
      </p>
      <Paragraphs value={thread.answer} />
      {thread.answer_version_name !== null || thread.answer_section_title !== null ? (
        <p class="answer-where">
          {t('publicConsultation.answerWhere', {
            version: thread.answer_version_name ?? '—',
            section: thread.answer_section_title ?? '—',
          })}
        </p>
      ) : null}
      <p class="answer-by">
        {thread.answered_by_name ?? ''} · <When ctx={ctx} at={thread.answered_at} />
      </p>
    </div>
  )
}

function CommentItem({ ctx, thread }: { ctx: PageContext; thread: PublicThreadRow }) {
  const { t } = ctx
  const campaign =
    thread.submission_count > 1 ? (
      <p class="campaign">
        {t('publicConsultation.identicalSubmissions', { count: thread.submission_count })}
      </p>
    ) : null
  if (thread.hidden_at !== null) {
    return (
      <li class="comment comment-hidden" id={`thread-${thread.number}`}>
        <p class="hidden-note">
          {t('publicConsultation.hiddenByModerator', {
            reason: thread.hidden_reason?.trim() || t('publicConsultation.noReason'),
          })}
        </p>
        {campaign}
        <AnswerBlock ctx={ctx} thread={thread} />
      </li>
    )
  }
  return (
    <li class="comment" id={`thread-${thread.number}`}>
      <AuthorLine ctx={ctx} thread={thread} />
      {thread.quote ? (
        <blockquote class="quote">
          <p>{thread.quote}</p>
        </blockquote>
      ) : null}
      <div class="comment-body">
        <Paragraphs value={thread.body} />
      </div>
      {campaign}
      <AnswerBlock ctx={ctx} thread={thread} />
    </li>
  )
}

/** The comments on a section, answered or waiting, hidden ones with the moderator's reason. */
export function CommentList(props: {
  ctx: PageContext
  threads: PublicThreadRow[]
  headingId: string
  title: string
}) {
  const { ctx, threads, headingId } = props
  if (threads.length === 0) {
    return null
  }
  return (
    <section class="comments" aria-labelledby={headingId}>
      <h3 id={headingId} class="comments-heading">
        {ctx.t('publicConsultation.commentsOn', { section: props.title })}
      </h3>
      <ol class="comment-list">
        {threads.map((thread) => (
          <CommentItem ctx={ctx} thread={thread} />
        ))}
      </ol>
    </section>
  )
}

export function CountLine({ ctx, count }: { ctx: PageContext; count: number }) {
  return <p class="count">{ctx.t('publicConsultation.commentCount', { count })}</p>
}

// ---------------------------------------------------------------------------------------
// The section page with the comment form (GET /c/:slug/sections/:sectionId)

const FIELD_ORDER = [
  'sectionId',
  'name',
  'email',
  'stakeholderGroup',
  'organisation',
  'quote',
  'body',
  'consent',
  'form',
] as const

function problemText(ctx: PageContext, problem: FieldProblem): string {
  const key = `publicConsultation.errors.${problem.key}`
  const translated = ctx.t(key)
  return translated === key ? problem.message : translated
}

/** What a control of the form is told: which texts describe it, and whether it is invalid. */
interface ControlProps {
  'aria-describedby'?: string
  'aria-invalid'?: 'true'
}

/** A labelled field with its hint and its problems, which the control points to. */
function Field(props: {
  ctx: PageContext
  state: FormState
  name: string
  label: string
  hint?: string
  required?: boolean
  control: (aria: ControlProps) => ComponentChildren
}) {
  const { ctx, state, name } = props
  const problems = state.problems.filter((p) => p.field === name)
  const ids: string[] = []
  if (props.hint) {
    ids.push(`${name}-hint`)
  }
  if (problems.length > 0) {
    ids.push(`${name}-error`)
  }
  const aria: ControlProps = {}
  if (ids.length > 0) {
    aria['aria-describedby'] = ids.join(' ')
  }
  if (problems.length > 0) {
    aria['aria-invalid'] = 'true'
  }
  return (
    <div class={problems.length > 0 ? 'field has-error' : 'field'}>
      <label for={name}>
        {props.label}{' '}
        {props.required ? (
          <span class="required">({ctx.t('publicConsultation.form.required')})</span>
        ) : (
          <span class="optional">({ctx.t('publicConsultation.form.optional')})</span>
        )}
      </label>
      {props.hint ? (
        <p class="hint" id={`${name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {problems.length > 0 ? (
        <p class="field-error" id={`${name}-error`}>
          {problems.map((p) => problemText(ctx, p)).join(' ')}
        </p>
      ) : null}
      {props.control(aria)}
    </div>
  )
}

function CommentForm({ ctx, data }: { ctx: PageContext; data: SectionPageData }) {
  const { t, pc } = ctx
  const c = pc.consultation
  const state = data.form
  const v = (name: string) => state.values[name] ?? ''
  const verified = c.access === 'verified'
  const summary =
    state.problems.length > 0 || state.refusal ? (
      <div class="error-summary" role="alert" aria-labelledby="error-summary-heading">
        <h2 id="error-summary-heading">{t('publicConsultation.form.problemHeading')}</h2>
        {state.refusal ? <p>{state.refusal}</p> : null}
        {state.problems.length > 0 ? (
          <ul>
            {[...state.problems]
              .sort(
                (a, b) =>
                  FIELD_ORDER.indexOf(a.field as never) - FIELD_ORDER.indexOf(b.field as never),
              )
              .map((p) => (
                <li>
                  <a href={`#${p.field === 'form' || p.field === 'sectionId' ? 'body' : p.field}`}>
                    {t(`publicConsultation.fields.${p.field}`)}: {problemText(ctx, p)}
                  </a>
                </li>
              ))}
          </ul>
        ) : null}
      </div>
    ) : null
  if (pc.phase !== 'open') {
    return (
      <>
        {summary}
        <p class="note">
          {t(
            pc.phase === 'scheduled'
              ? 'publicConsultation.notOpenYet'
              : 'publicConsultation.closedNote',
          )}
        </p>
      </>
    )
  }
  if (c.access === 'members' && !data.member) {
    const next = `/c/${c.slug}/sections/${data.sectionId}`
    return (
      <>
        {summary}
        <p class="note">
          {t(
            data.signedIn
              ? 'publicConsultation.membersOnlyNotMember'
              : 'publicConsultation.membersOnly',
          )}
        </p>
        {data.signedIn ? null : (
          <p>
            <a class="button" href={`/sign-in?next=${encodeURIComponent(next)}`}>
              {t('publicConsultation.signIn')}
            </a>
          </p>
        )}
      </>
    )
  }
  const groupKeys = pc.groups
    .filter((g) => g.key !== INDIVIDUAL_GROUP)
    .map((g) => g.key)
    .concat(INDIVIDUAL_GROUP)
  const consentProblems = state.problems.filter((p) => p.field === 'consent')
  return (
    <>
      {summary}
      <form class="comment-form" method="post" action={`/c/${c.slug}/comments`} novalidate>
        <input type="hidden" name="sectionId" value={data.sectionId} />
        <input type="hidden" name="lang" value={ctx.lang} />
        {data.member ? (
          <>
            {data.csrfToken ? <input type="hidden" name="csrf" value={data.csrfToken} /> : null}
            <p class="as-member">
              {t('publicConsultation.form.asMember', {
                name: data.member.name,
                group: groupLabel(t, data.member.stakeholderGroup, pc.groups),
              })}
            </p>
          </>
        ) : (
          <fieldset>
            <legend>{t('publicConsultation.form.aboutYou')}</legend>
            <Field
              ctx={ctx}
              state={state}
              name="name"
              label={t('publicConsultation.form.name')}
              hint={verified ? undefined : t('publicConsultation.form.nameHint')}
              required={verified}
              control={(aria) => (
                <input
                  id="name"
                  name="name"
                  type="text"
                  autoComplete="name"
                  maxLength={LIMITS.nameMax}
                  value={v('name')}
                  required={verified}
                  {...aria}
                />
              )}
            />
            <Field
              ctx={ctx}
              state={state}
              name="email"
              label={t('publicConsultation.form.email')}
              hint={
                verified
                  ? t('publicConsultation.form.emailHintVerified', {
                      count: CONSULTATION_LIMITS.verifyHours,
                    })
                  : t('publicConsultation.form.emailHint')
              }
              required={verified}
              control={(aria) => (
                <input
                  id="email"
                  name="email"
                  type="email"
                  autoComplete="email"
                  maxLength={LIMITS.emailMax}
                  value={v('email')}
                  required={verified}
                  {...aria}
                />
              )}
            />
            <Field
              ctx={ctx}
              state={state}
              name="stakeholderGroup"
              label={t('publicConsultation.form.stakeholderGroup')}
              hint={t('publicConsultation.form.stakeholderGroupHint')}
              required
              control={(aria) => (
                <select id="stakeholderGroup" name="stakeholderGroup" required {...aria}>
                  <option value="">{t('publicConsultation.form.chooseGroup')}</option>
                  {groupKeys.map((key) => (
                    <option value={key} selected={v('stakeholderGroup') === key}>
                      {groupLabel(t, key, pc.groups)}
                    </option>
                  ))}
                </select>
              )}
            />
            <Field
              ctx={ctx}
              state={state}
              name="organisation"
              label={t('publicConsultation.form.organisation')}
              control={(aria) => (
                <input
                  id="organisation"
                  name="organisation"
                  type="text"
                  autoComplete="organization"
                  maxLength={LIMITS.organisationMax}
                  value={v('organisation')}
                  {...aria}
                />
              )}
            />
          </fieldset>
        )}
        <Field
          ctx={ctx}
          state={state}
          name="quote"
          label={t('publicConsultation.form.quote')}
          hint={t('publicConsultation.form.quoteHint')}
          control={(aria) => (
            <textarea id="quote" name="quote" rows={2} maxLength={LIMITS.quoteMax} {...aria}>
              {v('quote')}
            </textarea>
          )}
        />
        <Field
          ctx={ctx}
          state={state}
          name="body"
          label={t('publicConsultation.form.body')}
          hint={t('publicConsultation.form.bodyHint', { count: LIMITS.commentBodyMax })}
          required
          control={(aria) => (
            <textarea
              id="body"
              name="body"
              rows={8}
              required
              maxLength={LIMITS.commentBodyMax}
              {...aria}
            >
              {v('body')}
            </textarea>
          )}
        />
        {/* The honeypot: hidden from people by the style sheet and skipped by keyboard; bots fill it. */}
        <div class="hp">
          <label for="website">{t('publicConsultation.form.website')}</label>
          <input
            id="website"
            name="website"
            type="text"
            tabIndex={-1}
            autoComplete="off"
            value=""
          />
        </div>
        <div class={consentProblems.length > 0 ? 'field checkbox has-error' : 'field checkbox'}>
          {consentProblems.length > 0 ? (
            <p class="field-error" id="consent-error">
              {consentProblems.map((p) => problemText(ctx, p)).join(' ')}
            </p>
          ) : null}
          <input
            id="consent"
            name="consent"
            type="checkbox"
            value="yes"
            required
            checked={v('consent') !== ''}
            aria-invalid={consentProblems.length > 0 ? 'true' : undefined}
            aria-describedby={consentProblems.length > 0 ? 'consent-error' : undefined}
          />{' '}
          <label for="consent">{t(`publicConsultation.form.consent.${c.visibility}`)}</label>
        </div>
        <p>
          <button type="submit">{t('publicConsultation.form.submit')}</button>
        </p>
        <p class="hint">
          {t(
            c.moderation === 'before'
              ? 'publicConsultation.form.moderatedBefore'
              : 'publicConsultation.form.moderatedAfter',
          )}
        </p>
      </form>
    </>
  )
}

/** The body of GET /c/:slug/sections/:sectionId: one section, its comments and the form. */
export function SectionBody({ ctx, data }: { ctx: PageContext; data: SectionPageData }) {
  const { t, pc } = ctx
  const sectionTitle = data.title || t('publicConsultation.untitledSection')
  return (
    <>
      <p class="back">
        <a href={`${withLang(`/c/${pc.consultation.slug}`, ctx.lang)}#${data.sectionId}`}>
          {t('publicConsultation.backToDocument')}
        </a>
      </p>
      <h1>{t('publicConsultation.commentOnTitle', { section: sectionTitle })}</h1>
      <p class="consultation-name">{titleOf(ctx)}</p>
      <section class="section-text" aria-labelledby="section-text-heading">
        <h2 id="section-text-heading">{t('publicConsultation.sectionText')}</h2>
        <TrustedHtml html={data.html} />
      </section>
      <CountLine ctx={ctx} count={data.count} />
      <section class="form-section" aria-labelledby="form-heading">
        <h2 id="form-heading">{t('publicConsultation.form.heading')}</h2>
        <CommentForm ctx={ctx} data={data} />
      </section>
      {data.commentsVisible || data.threads.length > 0 ? (
        <CommentList
          ctx={ctx}
          threads={data.threads}
          headingId="section-comments"
          title={sectionTitle}
        />
      ) : null}
    </>
  )
}

// ---------------------------------------------------------------------------------------
// The consultation page (GET /c/:slug)

/** "in 12 days", "in 5 hours", in the page's language. */
function relative(ctx: PageContext, to: Date | string): string {
  const ms = new Date(to).getTime() - ctx.now.getTime()
  const format = new Intl.RelativeTimeFormat(ctx.lang, { numeric: 'auto' })
  const abs = Math.abs(ms)
  if (abs >= 2 * 86_400_000) {
    return format.format(Math.round(ms / 86_400_000), 'day')
  }
  if (abs >= 2 * 3_600_000) {
    return format.format(Math.round(ms / 3_600_000), 'hour')
  }
  return format.format(Math.max(1, Math.round(ms / 60_000)) * Math.sign(ms || 1), 'minute')
}

function WindowBox({ ctx }: { ctx: PageContext }) {
  const { t, pc } = ctx
  const c = pc.consultation
  return (
    <section class="window-box" aria-labelledby="window-heading">
      <h2 id="window-heading">{t('publicConsultation.windowHeading')}</h2>
      <p class={`phase phase-${pc.phase}`}>
        <strong>{t(`publicConsultation.phase.${pc.phase}`)}</strong>
      </p>
      <dl class="window">
        <dt>{t('publicConsultation.opensAt')}</dt>
        <dd>
          <When ctx={ctx} at={c.opens_at} />
        </dd>
        <dt>{t('publicConsultation.closesAt')}</dt>
        <dd>
          <When ctx={ctx} at={c.closes_at} />
        </dd>
        <dt>{t('publicConsultation.timeZone')}</dt>
        <dd>{c.time_zone}</dd>
      </dl>
      {pc.phase === 'open' ? (
        <p class="time-left">
          {t('publicConsultation.closesIn', { relative: relative(ctx, c.closes_at) })}
        </p>
      ) : pc.phase === 'scheduled' ? (
        <p class="time-left">
          {t('publicConsultation.opensIn', { relative: relative(ctx, c.opens_at) })}
        </p>
      ) : null}
    </section>
  )
}

// Where the <time> elements go in a translated sentence: markers no translation contains.
const WHEN = '⟦when⟧'
const UNTIL = '⟦until⟧'

function ChangesList({ ctx }: { ctx: PageContext }) {
  const { t, pc } = ctx
  if (pc.changes.length === 0) {
    return null
  }
  return (
    <section class="changes" aria-labelledby="changes-heading">
      <h2 id="changes-heading">{t('publicConsultation.changes.heading')}</h2>
      <ul>
        {pc.changes.map((change) => {
          const line =
            change.kind === 'closed-early'
              ? t('publicConsultation.changes.closedEarly', { when: WHEN })
              : change.kind === 'extended'
                ? t('publicConsultation.changes.extended', { when: WHEN, until: UNTIL })
                : t('publicConsultation.changes.published', { when: WHEN })
          return (
            <li>
              {line
                .split(/(⟦when⟧|⟦until⟧)/)
                .map((piece) =>
                  piece === WHEN ? (
                    <When ctx={ctx} at={change.created_at} />
                  ) : piece === UNTIL ? (
                    change.closes_after ? (
                      <When ctx={ctx} at={change.closes_after} />
                    ) : null
                  ) : (
                    piece
                  ),
                )}
              {change.reason.trim() !== '' ? (
                <>
                  {' '}
                  <span class="reason">
                    {t('publicConsultation.changes.reason', { reason: change.reason })}
                  </span>
                </>
              ) : null}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/** A part of the version: the text before the first heading, or a heading and what follows it. */
export interface VersionPart {
  sectionId: string | null
  level: number
  title: string
  /** Its blocks as HTML (render/html.ts, which escapes every text). */
  html: string
}

/** A heading one level below the page's own h1 (and the section's h2 of the page). */
function Heading(props: { level: number; id?: string; children: ComponentChildren }) {
  const Tag = `h${Math.min(6, Math.max(2, props.level + 1))}` as 'h2'
  return <Tag id={props.id}>{props.children}</Tag>
}

export interface ConsultationBodyData {
  parts: VersionPart[]
  threads: PublicThreadRow[]
  counts: Map<string, number>
  commentsVisible: boolean
}

/** The body of GET /c/:slug: the frozen version with its contents, window, changes and comments. */
export function ConsultationBody({ ctx, data }: { ctx: PageContext; data: ConsultationBodyData }) {
  const { t, pc } = ctx
  const c = pc.consultation
  const slug = c.slug
  const introduction = localised(c.introduction, ctx.lang, pc.process.languages)
  const bySection = new Map<string, PublicThreadRow[]>()
  for (const thread of data.threads) {
    const list = bySection.get(thread.section_id) ?? []
    list.push(thread)
    bySection.set(thread.section_id, list)
  }
  const open = pc.phase === 'open'
  const toc = c.version_sections.filter((s) => s.id !== null)
  return (
    <>
      <h1>{titleOf(ctx)}</h1>
      <p class="version-name">
        {t('publicConsultation.versionLine', { name: c.version_name, number: c.version_number })}
      </p>
      {introduction ? (
        <div class="introduction">
          <Paragraphs value={introduction} />
        </div>
      ) : null}
      <WindowBox ctx={ctx} />
      <p>
        {open
          ? t(`publicConsultation.how.${c.access}`)
          : pc.phase === 'scheduled'
            ? t('publicConsultation.notOpenYet')
            : t('publicConsultation.closedNote')}
      </p>
      {data.commentsVisible ? null : (
        <p class="note">
          {t(
            c.visibility === 'never'
              ? 'publicConsultation.visibility.never'
              : 'publicConsultation.visibility.afterClose',
          )}
        </p>
      )}
      {pc.phase === 'closed' ? (
        <p>
          <a href={withLang(`/c/${slug}/report`, ctx.lang)}>
            {t('publicConsultation.report.link')}
          </a>
        </p>
      ) : null}
      <ChangesList ctx={ctx} />
      {toc.length > 0 ? (
        <nav class="toc" aria-labelledby="toc-heading">
          <h2 id="toc-heading">{t('publicConsultation.contents')}</h2>
          <ol>
            {toc.map((s) => (
              <li class={`toc-level-${Math.min(3, Math.max(1, s.level))}`}>
                <a href={`#${s.id}`}>{s.title || t('publicConsultation.untitledSection')}</a>{' '}
                <span class="toc-count">
                  {t('publicConsultation.commentCountShort', {
                    count: data.counts.get(s.id!) ?? 0,
                  })}
                </span>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <article class="document" aria-labelledby="document-heading">
        <h2 id="document-heading" class="visually-hidden">
          {t('publicConsultation.documentHeading')}
        </h2>
        {data.parts.map((part) => {
          if (part.sectionId === null) {
            return (
              <div class="doc-part">
                {part.title !== '' ? <Heading level={part.level}>{part.title}</Heading> : null}
                <TrustedHtml html={part.html} />
              </div>
            )
          }
          const id = part.sectionId
          const sectionTitle = part.title || t('publicConsultation.untitledSection')
          return (
            <section class="doc-section" aria-labelledby={id}>
              <Heading level={part.level} id={id}>
                {sectionTitle}
              </Heading>
              <TrustedHtml html={part.html} />
              <div class="section-footer">
                <CountLine ctx={ctx} count={data.counts.get(id) ?? 0} />
                {open ? (
                  <p class="comment-link">
                    <a href={withLang(`/c/${slug}/sections/${id}`, ctx.lang)}>
                      {t('publicConsultation.commentOnSection')}
                      <span class="visually-hidden">: {sectionTitle}</span>
                    </a>
                  </p>
                ) : null}
              </div>
              <CommentList
                ctx={ctx}
                threads={bySection.get(id) ?? []}
                headingId={`comments-${id}`}
                title={sectionTitle}
              />
            </section>
          )
        })}
      </article>
    </>
  )
}
