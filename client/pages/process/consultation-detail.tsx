import { useRef, useState } from 'preact/hooks'
import type {
  Consultation,
  ConsultationChange,
  ConsultationProgress,
} from '../../../shared/api/consultations'
import { CONSULTATION_LIMITS } from '../../../shared/api/consultations'
import type { ProcessDetail } from '../../../shared/api/processes'
import { toApiError, type ApiError } from '../../api/client'
import {
  closeConsultation,
  extendConsultation,
  fetchConsultation,
  fetchProgress,
  publishConsultation,
  reportHref,
} from '../../api/consultations'
import { useLiveEvents } from '../../api/events'
import { Button } from '../../components/buttons'
import { FormError } from '../../components/errors'
import { TextField, focusFirstInvalid } from '../../components/fields'
import { Link } from '../../components/link'
import { RouteHeading } from '../../components/page'
import { Empty, Loading, Notice } from '../../components/status'
import { ReasonForm } from '../../components/threads/thread-card'
import { useResource } from '../../components/use-resource'
import { formatDateTime, formatDateTimeIn, formatNumber, t } from '../../i18n'
import { allows, groupLabel } from '../../state/process'
import { problems, validateRequired } from '../validation'
import { AdequacyView, ConsultationForm, serverFieldErrors } from './consultation-form'
import { PhaseBadge, consultationsPath, inLanguage, windowText } from './consultations'
import { isoToZoned, zonedToIso } from './zoned-time'

function createdFromHistory(): boolean {
  const state: unknown = window.history.state
  return Boolean(state && typeof state === 'object' && 'created' in state && state.created)
}

type Panel = 'close' | 'extend' | 'edit' | null

/**
 * One consultation as the secretariat and members see it: its settings, public link, the
 * logged changes of its window, the progress of the answers, the exports, and (for the
 * secretariat) publish, close early and extend.
 */
export function ConsultationDetail({
  process,
  consultationId,
}: {
  process: ProcessDetail
  consultationId: string
}) {
  const consultation = useResource(() => fetchConsultation(consultationId), [consultationId])
  const [created] = useState(createdFromHistory)
  const [done, setDone] = useState('')

  const c = consultation.data
  return (
    <section aria-labelledby="section-heading" class="consultation-detail">
      <p class="back-link">
        <Link href={consultationsPath(process.id)}>
          <span aria-hidden="true">← </span>
          {t('consultations.allConsultations')}
        </Link>
      </p>
      {consultation.error ? (
        <>
          <RouteHeading level={2} id="section-heading">
            {t('process.sections.consultations')}
          </RouteHeading>
          <FormError id="consultation-error" error={consultation.error} />
        </>
      ) : !c ? (
        <Loading />
      ) : (
        <>
          <div class="section-header consultation-detail-head">
            <RouteHeading level={2} id="section-heading">
              {inLanguage(c.title, process.languages)}
            </RouteHeading>
            <PhaseBadge phase={c.phase} />
          </div>
          {created && !done ? (
            <Notice tone="success" live>
              {c.phase === 'draft'
                ? t('consultations.detail.createdDraft')
                : t('consultations.detail.createdPublished')}
            </Notice>
          ) : null}
          {done ? (
            <Notice tone="success" live>
              {done}
            </Notice>
          ) : null}
          <Settings process={process} consultation={c} />
          {allows('consultations.manage') ? (
            <Actions
              process={process}
              consultation={c}
              onChanged={(fresh, message) => {
                consultation.setData(fresh)
                setDone(message)
                // The form that did it is gone: keyboard focus resumes at the heading.
                requestAnimationFrame(() => document.getElementById('section-heading')?.focus())
              }}
            />
          ) : null}
          <Changes changes={c.changes} timeZone={c.timeZone} />
          {allows('threads.read') ? <Progress process={process} consultation={c} /> : null}
          <Exports consultation={c} />
        </>
      )}
    </section>
  )
}

function Settings({
  process,
  consultation: c,
}: {
  process: ProcessDetail
  consultation: Consultation
}) {
  const yesNo = (value: boolean) => (value ? t('common.yes') : t('common.no'))
  return (
    <div class="panel stack" role="group" aria-labelledby="consultation-settings-heading">
      <h3 id="consultation-settings-heading">{t('consultations.detail.settings')}</h3>
      <dl class="summary-list">
        <div>
          <dt>{t('consultations.publicLink')}</dt>
          <dd>
            {c.phase === 'draft' ? (
              <>
                <code>{c.publicUrl}</code> ({t('consultations.notPublicYet')})
              </>
            ) : (
              <a href={c.publicUrl} target="_blank" rel="noopener" class="public-link">
                {c.publicUrl}
                <span class="visually-hidden"> ({t('consultations.newTab')})</span>
              </a>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('consultations.version')}</dt>
          <dd>
            {t('consultations.versionLabel', { number: c.versionNumber, name: c.versionName })}
          </dd>
        </div>
        <div>
          <dt>{t('consultations.windowLabel')}</dt>
          <dd>{windowText(c)}</dd>
        </div>
        <div>
          <dt>{t('consultations.form.access')}</dt>
          <dd>{t(`consultations.access.${c.access}`)}</dd>
        </div>
        <div>
          <dt>{t('consultations.form.moderation')}</dt>
          <dd>{t(`consultations.moderation.${c.moderation}`)}</dd>
        </div>
        <div>
          <dt>{t('consultations.form.visibility')}</dt>
          <dd>{t(`consultations.visibility.${c.visibility}`)}</dd>
        </div>
        <div>
          <dt>{t('consultations.detail.memberThreads')}</dt>
          <dd>{yesNo(c.showMemberThreads)}</dd>
        </div>
        <div>
          <dt>{t('consultations.detail.counts')}</dt>
          <dd>
            {t('consultations.submissions', {
              count: c.submissions,
              formatted: formatNumber(c.submissions),
            })}
            {' · '}
            {t('consultations.threads', { count: c.threads, formatted: formatNumber(c.threads) })}
          </dd>
        </div>
        <div>
          <dt>{t('consultations.detail.createdBy')}</dt>
          <dd>
            {t('consultations.detail.byAt', { name: c.createdBy, at: formatDateTime(c.createdAt) })}
          </dd>
        </div>
        {c.publishedAt ? (
          <div>
            <dt>{t('consultations.detail.publishedAt')}</dt>
            <dd>{formatDateTimeIn(c.publishedAt, c.timeZone)}</dd>
          </div>
        ) : null}
      </dl>
      {Object.values(c.introduction).some(Boolean) ? (
        <div class="consultation-intro">
          <h4>{t('consultations.detail.introduction')}</h4>
          <p class="pre-line">{inLanguage(c.introduction, process.languages)}</p>
        </div>
      ) : null}
      <AdequacyView id="consultation-detail-adequacy" adequacy={c.adequacy} />
      <p>
        <Link
          href={`/processes/${encodeURIComponent(process.id)}/threads?document=${encodeURIComponent(c.documentId)}`}
        >
          {t('consultations.detail.threadsLink')}
        </Link>
      </p>
      <p>
        <Link
          href={`/processes/${encodeURIComponent(process.id)}/threads?consultation=${encodeURIComponent(c.id)}`}
        >
          {t('consultations.detail.consultationThreadsLink')}
        </Link>
      </p>
    </div>
  )
}

function Actions({
  process,
  consultation: c,
  onChanged,
}: {
  process: ProcessDetail
  consultation: Consultation
  onChanged: (fresh: Consultation, message: string) => void
}) {
  const [panel, setPanel] = useState<Panel>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const canClose = c.phase === 'scheduled' || c.phase === 'open'
  const canExtend = c.phase !== 'draft'

  async function publish() {
    setBusy(true)
    setError(null)
    try {
      onChanged(await publishConsultation(c.id), t('consultations.detail.publishedDone'))
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="panel stack" role="group" aria-labelledby="consultation-actions-heading">
      <h3 id="consultation-actions-heading">{t('consultations.detail.actions')}</h3>
      <FormError id="consultation-actions-error" error={error} />
      <div class="form-actions">
        {c.phase === 'draft' ? (
          <Button variant="primary" busy={busy} onClick={() => void publish()}>
            {t('consultations.detail.publish')}
          </Button>
        ) : null}
        {c.phase === 'draft' ? (
          <Button
            aria-expanded={panel === 'edit'}
            onClick={() => setPanel(panel === 'edit' ? null : 'edit')}
          >
            {t('consultations.detail.edit')}
          </Button>
        ) : null}
        {canClose ? (
          <Button
            variant="danger"
            aria-expanded={panel === 'close'}
            onClick={() => setPanel(panel === 'close' ? null : 'close')}
          >
            {t('consultations.detail.closeEarly')}
          </Button>
        ) : null}
        {canExtend ? (
          <Button
            aria-expanded={panel === 'extend'}
            onClick={() => setPanel(panel === 'extend' ? null : 'extend')}
          >
            {c.phase === 'closed'
              ? t('consultations.detail.reopen')
              : t('consultations.detail.extend')}
          </Button>
        ) : null}
      </div>
      {c.phase === 'draft' ? <p class="field-hint">{t('consultations.detail.draftHint')}</p> : null}
      {panel === 'close' ? (
        <ReasonForm
          label={t('consultations.detail.closeReason')}
          submit={t('consultations.detail.closeSubmit')}
          onCancel={() => setPanel(null)}
          onSubmit={async (reason) => {
            const fresh = await closeConsultation(c.id, reason)
            setPanel(null)
            onChanged(fresh, t('consultations.detail.closedDone'))
          }}
        />
      ) : panel === 'edit' && c.phase === 'draft' ? (
        <ConsultationForm
          process={process}
          editing={c}
          minimumDaysPerPage={c.adequacy.minimumDaysPerPage}
          onCancel={() => setPanel(null)}
          onCreated={(fresh) => {
            setPanel(null)
            onChanged(fresh, t('consultations.detail.editedDone'))
          }}
        />
      ) : panel === 'extend' ? (
        <ExtendForm
          consultation={c}
          onCancel={() => setPanel(null)}
          onDone={(fresh) => {
            setPanel(null)
            onChanged(fresh, t('consultations.detail.extendedDone'))
          }}
        />
      ) : null}
    </div>
  )
}

function ExtendForm({
  consultation: c,
  onDone,
  onCancel,
}: {
  consultation: Consultation
  onDone: (fresh: Consultation) => void
  onCancel: () => void
}) {
  const base = Math.max(Date.parse(c.closesAt), Date.now())
  const [closes, setCloses] = useState(() =>
    isoToZoned(new Date(base + 7 * 86_400_000).toISOString(), c.timeZone),
  )
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  async function submit(event: Event) {
    event.preventDefault()
    const closesAt = zonedToIso(closes, c.timeZone)
    const found = problems({
      closesAt: !closesAt
        ? t('consultations.form.dateInvalid')
        : closesAt <= c.closesAt || Date.parse(closesAt) <= Date.now()
          ? t('consultations.detail.extendLater')
          : null,
      reason: validateRequired(reason),
    })
    setErrors(found)
    setError(null)
    if (Object.keys(found).length || !closesAt) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      onDone(await extendConsultation(c.id, closesAt, reason.trim()))
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setErrors(serverFieldErrors(apiError, []))
      setBusy(false)
    }
  }

  return (
    <form
      ref={formRef}
      class="reason-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          onCancel()
        }
      }}
    >
      <FormError id="extend-error" error={error} />
      <TextField
        id="extend-closes"
        label={t('consultations.detail.newClosesAt', { zone: c.timeZone.replace(/_/g, ' ') })}
        hint={t('consultations.detail.currentlyCloses', {
          at: formatDateTimeIn(c.closesAt, c.timeZone),
        })}
        type="datetime-local"
        value={closes}
        onValue={setCloses}
        error={errors.closesAt}
        required
      />
      <TextField
        id="extend-reason"
        label={t('consultations.detail.extendReason')}
        maxLength={CONSULTATION_LIMITS.reasonMax}
        value={reason}
        onValue={setReason}
        error={errors.reason}
        required
      />
      <div class="form-actions">
        <Button type="submit" variant="primary" small busy={busy}>
          {t('consultations.detail.extendSubmit')}
        </Button>
        <Button small variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  )
}

function changeText(change: ConsultationChange, timeZone: string): string {
  const at = formatDateTimeIn(change.at, timeZone)
  const before = change.closesBefore ? formatDateTimeIn(change.closesBefore, timeZone) : ''
  const after = change.closesAfter ? formatDateTimeIn(change.closesAfter, timeZone) : ''
  return t(`consultations.changes.${change.kind}`, { name: change.by, at, before, after })
}

function Changes({ changes, timeZone }: { changes: ConsultationChange[]; timeZone: string }) {
  return (
    <div class="panel stack" role="group" aria-labelledby="consultation-changes-heading">
      <h3 id="consultation-changes-heading">{t('consultations.detail.changes')}</h3>
      {changes.length ? (
        <ol class="change-list">
          {changes.map((change, index) => (
            <li key={index} class={`change change-${change.kind}`}>
              <p class="change-what">{changeText(change, timeZone)}</p>
              {change.reason ? (
                <p class="change-reason">
                  <span class="fact-label">{t('consultations.changes.reason')}:</span>{' '}
                  {change.reason}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <Empty>{t('consultations.changes.none')}</Empty>
      )}
    </div>
  )
}

function Progress({
  process,
  consultation: c,
}: {
  process: ProcessDetail
  consultation: Consultation
}) {
  const progress = useResource(() => fetchProgress(c.id), [c.id])
  const timer = useRef<number | undefined>(undefined)
  useLiveEvents(process.id, (event) => {
    if (event.type === 'thread') {
      window.clearTimeout(timer.current)
      timer.current = window.setTimeout(() => void progress.reload(), 150)
    }
  })
  const data = progress.data
  return (
    <div class="panel stack" role="group" aria-labelledby="consultation-progress-heading">
      <h3 id="consultation-progress-heading">{t('consultations.progress.title')}</h3>
      {progress.error ? <FormError id="progress-error" error={progress.error} /> : null}
      {progress.loading && !data ? <Loading /> : null}
      {data ? <ProgressTables process={process} progress={data} /> : null}
    </div>
  )
}

function ProgressTables({
  process,
  progress,
}: {
  process: ProcessDetail
  progress: ConsultationProgress
}) {
  if (progress.total === 0) {
    return <Empty>{t('consultations.progress.none')}</Empty>
  }
  const columns = (
    <>
      <th scope="col" class="num">
        {t('consultations.progress.total')}
      </th>
      <th scope="col" class="num">
        {t('consultations.progress.unanswered')}
      </th>
    </>
  )
  return (
    <>
      <p class="progress-summary" role="status">
        {t('consultations.progress.summary', {
          unanswered: formatNumber(progress.unanswered),
          total: formatNumber(progress.total),
          answered: formatNumber(progress.answered),
          // The noun that varies is "threads", after the total (issue 15, item 8).
          count: progress.total,
        })}
      </p>
      <div
        class="table-wrap"
        tabIndex={0}
        role="region"
        aria-labelledby="progress-sections-caption"
      >
        <table class="data-table progress-table" data-progress="sections">
          <caption id="progress-sections-caption">{t('consultations.progress.bySection')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('consultations.progress.section')}</th>
              {columns}
            </tr>
          </thead>
          <tbody>
            {progress.bySection.map((row) => (
              <tr key={row.sectionId}>
                <th scope="row">{row.sectionTitle}</th>
                <td class="num">{formatNumber(row.total)}</td>
                <td class="num">{formatNumber(row.unanswered)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('consultations.progress.allSections')}</th>
              <td class="num">{formatNumber(progress.total)}</td>
              <td class="num">{formatNumber(progress.unanswered)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="progress-groups-caption">
        <table class="data-table progress-table" data-progress="groups">
          <caption id="progress-groups-caption">{t('consultations.progress.byGroup')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('consultations.progress.group')}</th>
              {columns}
            </tr>
          </thead>
          <tbody>
            {progress.byGroup.map((row) => (
              <tr key={row.group}>
                <th scope="row">{groupLabel(row.group, process.groups)}</th>
                <td class="num">{formatNumber(row.total)}</td>
                <td class="num">{formatNumber(row.unanswered)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('consultations.progress.allGroups')}</th>
              <td class="num">{formatNumber(progress.total)}</td>
              <td class="num">{formatNumber(progress.unanswered)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  )
}

function Exports({ consultation: c }: { consultation: Consultation }) {
  if (!allows('consultations.manage')) {
    return null
  }
  const formats = ['csv', 'json', 'docx'] as const
  return (
    <div class="panel stack" role="group" aria-labelledby="consultation-exports-heading">
      <h3 id="consultation-exports-heading">{t('consultations.exports.title')}</h3>
      <p class="panel-intro">{t('consultations.exports.lead')}</p>
      <ul class="export-links" role="list">
        {formats.map((format) => (
          <li key={format}>
            <a class="btn btn-secondary btn-small" href={reportHref(c.id, format)} download>
              {t(`consultations.exports.${format}`)}
            </a>
          </li>
        ))}
      </ul>
      {c.phase === 'closed' ? (
        <p>
          <a href={`${c.publicUrl}/report`} target="_blank" rel="noopener">
            {t('consultations.exports.publicReport')}
            <span class="visually-hidden"> ({t('consultations.newTab')})</span>
          </a>
        </p>
      ) : null}
    </div>
  )
}
