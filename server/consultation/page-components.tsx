/** @jsxRuntime automatic */
/** @jsxImportSource preact */
import { CONSULTATION_LIMITS } from '../../shared/api/consultations'
import type { SubmissionRow } from '../db/database'
import { Paragraphs, Time, withLang } from '../public/components'
import type { PageContext } from './pages'

// The consultation pages already moved over to components (issue 14, item 8): the receipt,
// the confirmation of an e-mailed link and the message page. Text is escaped by Preact.

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

export function receiptHeading(ctx: PageContext, submission: SubmissionRow, confirmed?: boolean): string {
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
