import { useState } from 'preact/hooks'
import type { ProcessDetail } from '../../../shared/api/processes'
import {
  COMMITMENT_STATUSES,
  COMMITMENT_TITLE_MAX,
  INSTRUMENT_MAX,
  UPDATE_BODY_MAX,
  type Adoption,
  type Commitment,
  type CommitmentStatus,
  type Indicator,
  type StrategyState,
} from '../../../shared/api/strategy'
import type { Version } from '../../../shared/api/versions'
import { toApiError, type ApiError } from '../../api/client'
import { listDocuments } from '../../api/documents'
import {
  addIndicator,
  addMeasurement,
  addProgressUpdate,
  adoptVersion,
  createCommitment,
  fetchStrategy,
  listCommitments,
  openReviewCycle,
  updateCommitment,
  withdrawStrategy,
} from '../../api/strategy'
import { DOWNLOAD_FORMATS, listDocumentVersions, versionDownloadUrl } from '../../api/versions'
import { Button } from '../../components/buttons'
import { FormError, fieldErrorsFrom } from '../../components/errors'
import { SelectField, TextArea, TextField } from '../../components/fields'
import { Link } from '../../components/link'
import { RouteHeading } from '../../components/page'
import { Empty, Loading } from '../../components/status'
import { useResource } from '../../components/use-resource'
import { formatDateTime, formatNumber, language, t } from '../../i18n'
import { allows, loadProcess } from '../../state/process'
import '../../styles/strategy.css'

/** A calendar day (YYYY-MM-DD) in the interface language, without shifting it by a time zone. */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) {
    return day
  }
  return new Intl.DateTimeFormat(language.value === 'es' ? 'es-419' : 'en-GB', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  }).format(date)
}

const today = () => new Date().toISOString().slice(0, 10)

/** Runs a write, keeping its error and field problems for the form. */
function useSubmit() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  async function run(work: () => Promise<void>) {
    if (busy) {
      return
    }
    setBusy(true)
    setError(null)
    setErrors({})
    try {
      await work()
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setErrors(fieldErrorsFrom(apiError))
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, errors, run, setErrors }
}

/**
 * The Strategy tab (issue 14, items 5 and 6): the strategy in force with its downloads and the
 * record of adoptions; for the secretariat the adoption, withdrawal and review-cycle forms; and
 * the commitments dashboard with status filters, indicators and progress updates.
 */
export function StrategySection({ process }: { process: ProcessDetail }) {
  const strategy = useResource(() => fetchStrategy(process.id), [process.id])
  const [filter, setFilter] = useState<CommitmentStatus | ''>('')
  const commitments = useResource(
    () => listCommitments(process.id, filter || undefined),
    [process.id, filter],
  )
  const canAdopt = allows('strategy.adopt')
  const canManage = allows('commitments.manage')

  const refresh = async () => {
    await Promise.all([strategy.reload(), commitments.reload(), loadProcess(process.id)])
  }

  const state = strategy.data
  return (
    <section aria-labelledby="section-heading" class="strategy">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {t('strategy.tab')}
        </RouteHeading>
      </div>
      <p class="section-lead">{t('strategy.lead')}</p>
      {strategy.error ? <FormError id="strategy-error" error={strategy.error} /> : null}
      {strategy.loading && !state ? <Loading /> : null}
      {state ? (
        <>
          <CurrentStrategy adoption={state.current} />
          {canAdopt ? <SecretariatPanels process={process} state={state} onDone={refresh} /> : null}
          <AdoptionRecord record={state.record} />
        </>
      ) : null}

      <section aria-labelledby="commitments-heading" class="commitments">
        <h3 id="commitments-heading">{t('strategy.commitments.title')}</h3>
        <p>{t('strategy.commitments.lead')}</p>
        {commitments.data ? (
          <fieldset class="status-filter">
            <legend>{t('strategy.commitments.filter')}</legend>
            {(['', ...COMMITMENT_STATUSES] as const).map((status) => {
              const count =
                status === ''
                  ? Object.values(commitments.data!.counts).reduce((a, b) => a + b, 0)
                  : commitments.data!.counts[status]
              return (
                <label key={status || 'all'} class="filter-choice">
                  <input
                    type="radio"
                    name="commitment-status"
                    value={status}
                    checked={filter === status}
                    onChange={() => setFilter(status)}
                  />
                  {status ? t(`strategy.statuses.${status}`) : t('strategy.commitments.all')} (
                  {formatNumber(count)})
                </label>
              )
            })}
          </fieldset>
        ) : null}
        {commitments.error ? <FormError id="commitments-error" error={commitments.error} /> : null}
        {commitments.loading && !commitments.data ? <Loading /> : null}
        {commitments.data ? (
          commitments.data.items.length ? (
            <ul class="commitment-list" role="list">
              {commitments.data.items.map((c) => (
                <li key={c.id}>
                  <CommitmentCard
                    process={process}
                    commitment={c}
                    canManage={canManage}
                    onChange={() => commitments.reload()}
                  />
                </li>
              ))}
            </ul>
          ) : (
            <Empty>
              {filter ? t('strategy.commitments.noneInStatus') : t('strategy.commitments.empty')}
            </Empty>
          )
        ) : null}
        {canManage && state?.current ? (
          <AddCommitmentForm
            process={process}
            adoption={state.current}
            onDone={() => commitments.reload()}
          />
        ) : null}
      </section>
    </section>
  )
}

function CurrentStrategy({ adoption }: { adoption: Adoption | null }) {
  if (!adoption) {
    return (
      <div class="panel">
        <h3>{t('strategy.current.title')}</h3>
        <Empty>{t('strategy.current.none')}</Empty>
      </div>
    )
  }
  return (
    <div class="panel current-strategy" aria-labelledby="current-strategy-heading">
      <h3 id="current-strategy-heading">{t('strategy.current.title')}</h3>
      <dl class="facts">
        <dt>{t('strategy.fields.instrument')}</dt>
        <dd>{adoption.instrument}</dd>
        <dt>{t('strategy.fields.adoptedOn')}</dt>
        <dd>{formatDay(adoption.adoptedOn)}</dd>
        <dt>{t('strategy.fields.adoptedBy')}</dt>
        <dd>{adoption.adoptedBy}</dd>
      </dl>
      {adoption.note ? <p class="note">{adoption.note}</p> : null}
      <ul class="adopted-texts" role="list">
        {adoption.texts.map((text) => (
          <li key={text.language}>
            <p>
              <strong>{text.title}</strong> ·{' '}
              {t('strategy.current.version', {
                number: text.versionNumber,
                name: text.versionName,
              })}{' '}
              · {t(`languages.${text.language}`)}
            </p>
            <p class="downloads">
              <span>{t('strategy.current.download')}</span>{' '}
              {DOWNLOAD_FORMATS.map((format) => {
                const label = format === 'md' ? 'Markdown' : format.toUpperCase()
                return (
                  <a
                    key={format}
                    class="btn btn-secondary btn-small"
                    href={versionDownloadUrl(text.versionId, format)}
                    download
                    aria-label={t('strategy.current.downloadAs', {
                      format: label,
                      title: text.title,
                    })}
                  >
                    {label}
                  </a>
                )
              })}
            </p>
          </li>
        ))}
      </ul>
    </div>
  )
}

function AdoptionRecord({ record }: { record: Adoption[] }) {
  if (record.length === 0) {
    return null
  }
  return (
    <div class="panel">
      <h3>{t('strategy.record.title')}</h3>
      <ol class="adoption-record">
        {record.map((a) => (
          <li key={a.id}>
            <span class={`badge adoption-${a.state}`}>
              {t(`strategy.record.states.${a.state}`)}
            </span>{' '}
            {t('strategy.record.entry', {
              instrument: a.instrument,
              date: formatDay(a.adoptedOn),
              name: a.texts[0]?.versionName ?? '',
            })}
            {a.withdrawal ? (
              <p class="withdrawal">
                {t('strategy.record.withdrawn', {
                  date: formatDay(a.withdrawal.withdrawnOn),
                  by: a.withdrawal.withdrawnBy,
                })}{' '}
                <q>{a.withdrawal.reason}</q>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  )
}

function SecretariatPanels({
  process,
  state,
  onDone,
}: {
  process: ProcessDetail
  state: StrategyState
  onDone: () => Promise<void>
}) {
  const adoptable = state.stage === 'response' || state.stage === 'adopted'
  const reviewable =
    state.current !== null && (state.stage === 'adopted' || state.stage === 'implementation-review')
  return (
    <>
      {adoptable ? (
        <AdoptForm process={process} superseding={state.current !== null} onDone={onDone} />
      ) : (
        <p class="hint panel">
          {t('strategy.adopt.notNow', { stage: t(`stages.${state.stage}`) })}
        </p>
      )}
      {reviewable ? <ReviewCycleForm process={process} onDone={onDone} /> : null}
      {state.current ? <WithdrawForm process={process} onDone={onDone} /> : null}
    </>
  )
}

function AdoptForm({
  process,
  superseding,
  onDone,
}: {
  process: ProcessDetail
  superseding: boolean
  onDone: () => Promise<void>
}) {
  const versions = useResource(async () => {
    const documents = await listDocuments(process.id)
    const all: Array<{ version: Version; title: string }> = []
    for (const d of documents) {
      for (const v of await listDocumentVersions(d.id)) {
        all.push({ version: v, title: d.title })
      }
    }
    return all
  }, [process.id])
  const [versionId, setVersionId] = useState('')
  const [adoptedOn, setAdoptedOn] = useState(today())
  const [instrument, setInstrument] = useState('')
  const [note, setNote] = useState('')
  const [done, setDone] = useState(false)
  const submit = useSubmit()
  const chosen = versionId || versions.data?.[versions.data.length - 1]?.version.id || ''

  return (
    <form
      class="panel stack"
      noValidate
      aria-labelledby="adopt-heading"
      onSubmit={(event) => {
        event.preventDefault()
        setDone(false)
        const local: Record<string, string> = {}
        if (!chosen) {
          local.versionId = t('validation.required')
        }
        if (!instrument.trim()) {
          local.instrument = t('validation.required')
        }
        if (!/^\d{4}-\d{2}-\d{2}$/.test(adoptedOn)) {
          local.adoptedOn = t('validation.invalid')
        }
        if (Object.keys(local).length) {
          submit.setErrors(local)
          return
        }
        void submit.run(async () => {
          await adoptVersion(process.id, {
            versionId: chosen,
            adoptedOn,
            instrument: instrument.trim(),
            ...(note.trim() ? { note: note.trim() } : {}),
          })
          setInstrument('')
          setNote('')
          setDone(true)
          await onDone()
        })
      }}
    >
      <h3 id="adopt-heading">
        {superseding ? t('strategy.adopt.supersede') : t('strategy.adopt.title')}
      </h3>
      <p class="hint">{t('strategy.adopt.hint')}</p>
      <FormError id="adopt-error" error={submit.error} />
      {versions.loading && !versions.data ? <Loading /> : null}
      {versions.data && versions.data.length === 0 ? (
        <Empty>{t('strategy.adopt.noVersions')}</Empty>
      ) : null}
      {versions.data && versions.data.length > 0 ? (
        <SelectField
          id="adopt-version"
          label={t('strategy.fields.version')}
          value={chosen}
          onValue={setVersionId}
          error={submit.errors.versionId}
          options={versions.data.map(({ version, title }) => ({
            value: version.id,
            label: `${title} · ${t('strategy.current.version', { number: version.number, name: version.name })}`,
          }))}
        />
      ) : null}
      <TextField
        id="adopt-date"
        type="date"
        label={t('strategy.fields.adoptedOn')}
        value={adoptedOn}
        onValue={setAdoptedOn}
        error={submit.errors.adoptedOn}
        required
      />
      <TextField
        id="adopt-instrument"
        label={t('strategy.fields.instrument')}
        hint={t('strategy.adopt.instrumentHint')}
        maxLength={INSTRUMENT_MAX}
        value={instrument}
        onValue={setInstrument}
        error={submit.errors.instrument}
        required
      />
      <TextArea
        id="adopt-note"
        label={t('strategy.fields.note')}
        optional
        rows={2}
        maxLength={2000}
        value={note}
        onValue={setNote}
        error={submit.errors.note}
      />
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={submit.busy}>
          {t('strategy.adopt.submit')}
        </Button>
        <span role="status" class="inline-status">
          {done ? t('strategy.adopt.done') : null}
        </span>
      </div>
    </form>
  )
}

function WithdrawForm({
  process,
  onDone,
}: {
  process: ProcessDetail
  onDone: () => Promise<void>
}) {
  const [reason, setReason] = useState('')
  const [withdrawnOn, setWithdrawnOn] = useState(today())
  const submit = useSubmit()
  return (
    <details class="panel">
      <summary>{t('strategy.withdraw.title')}</summary>
      <form
        class="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (!reason.trim()) {
            submit.setErrors({ reason: t('validation.required') })
            return
          }
          void submit.run(async () => {
            await withdrawStrategy(process.id, { withdrawnOn, reason: reason.trim() })
            setReason('')
            await onDone()
          })
        }}
      >
        <p class="hint">{t('strategy.withdraw.hint')}</p>
        <FormError id="withdraw-error" error={submit.error} />
        <TextField
          id="withdraw-date"
          type="date"
          label={t('strategy.fields.withdrawnOn')}
          value={withdrawnOn}
          onValue={setWithdrawnOn}
          error={submit.errors.withdrawnOn}
          required
        />
        <TextArea
          id="withdraw-reason"
          label={t('strategy.fields.reason')}
          rows={2}
          maxLength={2000}
          value={reason}
          onValue={setReason}
          error={submit.errors.reason}
          required
        />
        <div class="form-actions">
          <Button type="submit" variant="danger" busy={submit.busy}>
            {t('strategy.withdraw.submit')}
          </Button>
        </div>
      </form>
    </details>
  )
}

function ReviewCycleForm({
  process,
  onDone,
}: {
  process: ProcessDetail
  onDone: () => Promise<void>
}) {
  const [reason, setReason] = useState('')
  const [opened, setOpened] = useState<Array<{ id: string; title: string }>>([])
  const submit = useSubmit()
  return (
    <details class="panel">
      <summary>{t('strategy.review.title')}</summary>
      <form
        class="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          void submit.run(async () => {
            const result = await openReviewCycle(process.id, reason.trim())
            setOpened(result.documents)
            setReason('')
            await onDone()
          })
        }}
      >
        <p class="hint">{t('strategy.review.hint')}</p>
        <FormError id="review-error" error={submit.error} />
        <TextArea
          id="review-reason"
          label={t('strategy.fields.reason')}
          optional
          rows={2}
          maxLength={2000}
          value={reason}
          onValue={setReason}
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={submit.busy}>
            {t('strategy.review.submit')}
          </Button>
        </div>
      </form>
      {opened.length ? (
        <p role="status">
          {t('strategy.review.opened')}{' '}
          {opened.map((d) => (
            <Link key={d.id} href={`/documents/${encodeURIComponent(d.id)}`}>
              {d.title}
            </Link>
          ))}
        </p>
      ) : null}
    </details>
  )
}

function IndicatorRow({ indicator: i }: { indicator: Indicator }) {
  const unit = i.unit ? ` ${i.unit}` : ''
  const value = (n: number) => `${formatNumber(n)}${unit}`
  const start = i.baseline ?? 0
  const span = i.target - start
  const reached =
    i.latest && span !== 0 ? Math.max(0, Math.min(1, (i.latest.value - start) / span)) : 0
  return (
    <tr>
      <th scope="row">{i.name}</th>
      <td>{i.baseline === null ? '—' : value(i.baseline)}</td>
      <td>{value(i.target)}</td>
      <td>
        {i.latest ? (
          <>
            {value(i.latest.value)} <span class="muted">({formatDay(i.latest.measuredOn)})</span>
            <meter
              min={0}
              max={1}
              value={reached}
              aria-label={t('strategy.indicators.progress', { percent: Math.round(reached * 100) })}
              title={t('strategy.indicators.progress', { percent: Math.round(reached * 100) })}
            />
          </>
        ) : (
          t('strategy.indicators.notMeasured')
        )}
      </td>
    </tr>
  )
}

function CommitmentCard({
  process,
  commitment: c,
  canManage,
  onChange,
}: {
  process: ProcessDetail
  commitment: Commitment
  canManage: boolean
  onChange: () => Promise<void>
}) {
  const headingId = `commitment-${c.id}`
  return (
    <article class="commitment panel" aria-labelledby={headingId}>
      <header>
        <span class={`badge status status-${c.status}`}>{t(`strategy.statuses.${c.status}`)}</span>
        <h4 id={headingId}>
          #{c.number} {c.title}
        </h4>
      </header>
      <ul class="commitment-facts" role="list">
        <li>
          {t('strategy.commitments.section', { title: c.sectionTitle })}
          {c.source === 'thread' && c.threadNumber !== null
            ? ` · ${t('strategy.commitments.fromThread', { number: c.threadNumber })}`
            : ''}
        </li>
        <li>
          {t('strategy.fields.organisation')}:{' '}
          {c.organisation || t('strategy.commitments.unassigned')}
        </li>
        <li>
          {t('strategy.fields.dueOn')}: {c.dueOn ? formatDay(c.dueOn) : '—'}
        </li>
      </ul>
      {c.description ? <p class="description">{c.description}</p> : null}
      {c.status === 'dropped' && c.droppedReason ? (
        <p class="dropped-reason">
          {t('strategy.commitments.droppedBecause')} <q>{c.droppedReason}</q>
        </p>
      ) : null}
      {c.indicators.length ? (
        <div
          class="table-scroll"
          tabIndex={0}
          role="region"
          aria-label={t('strategy.indicators.ofCommitment', { number: c.number })}
        >
          <table class="indicators">
            <caption>{t('strategy.indicators.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('strategy.indicators.name')}</th>
                <th scope="col">{t('strategy.indicators.baseline')}</th>
                <th scope="col">{t('strategy.indicators.target')}</th>
                <th scope="col">{t('strategy.indicators.latest')}</th>
              </tr>
            </thead>
            <tbody>
              {c.indicators.map((i) => (
                <IndicatorRow key={i.id} indicator={i} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {c.updates.length ? (
        <div class="updates">
          <h5>{t('strategy.updates.title')}</h5>
          <ol role="list">
            {c.updates.map((u) => (
              <li key={u.id}>
                <p class="muted">
                  {formatDateTime(u.writtenAt)} · {u.writtenBy} ·{' '}
                  {t(`strategy.statuses.${u.status}`)}
                </p>
                <p class="update-body">{u.body}</p>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {canManage ? <CommitmentEditor process={process} commitment={c} onChange={onChange} /> : null}
    </article>
  )
}

function CommitmentEditor({
  process,
  commitment: c,
  onChange,
}: {
  process: ProcessDetail
  commitment: Commitment
  onChange: () => Promise<void>
}) {
  const [organisation, setOrganisation] = useState(c.organisation)
  const [status, setStatus] = useState<CommitmentStatus>(c.status)
  const [droppedReason, setDroppedReason] = useState(c.droppedReason)
  const [dueOn, setDueOn] = useState(c.dueOn ?? '')
  const [update, setUpdate] = useState('')
  const [indicator, setIndicator] = useState({ name: '', unit: '', baseline: '', target: '' })
  const [measure, setMeasure] = useState({
    indicatorId: c.indicators[0]?.id ?? '',
    value: '',
    measuredOn: today(),
  })
  const details = useSubmit()
  const progress = useSubmit()
  const adding = useSubmit()
  const measuring = useSubmit()
  const p = `c-${c.id}`
  const number = (s: string) => (s.trim() === '' ? NaN : Number(s))

  return (
    <details class="commitment-editor">
      <summary>{t('strategy.commitments.edit', { number: c.number })}</summary>
      <form
        class="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (status === 'dropped' && !droppedReason.trim()) {
            details.setErrors({ droppedReason: t('validation.required') })
            return
          }
          void details.run(async () => {
            await updateCommitment(process.id, c.id, {
              organisation: organisation.trim(),
              status,
              dueOn: dueOn || null,
              ...(status === 'dropped' ? { droppedReason: droppedReason.trim() } : {}),
            })
            await onChange()
          })
        }}
      >
        <FormError id={`${p}-error`} error={details.error} />
        <TextField
          id={`${p}-organisation`}
          label={t('strategy.fields.organisation')}
          maxLength={200}
          value={organisation}
          onValue={setOrganisation}
          error={details.errors.organisation}
        />
        <SelectField
          id={`${p}-status`}
          label={t('strategy.fields.status')}
          value={status}
          onValue={(v) => setStatus(v as CommitmentStatus)}
          options={COMMITMENT_STATUSES.map((s) => ({
            value: s,
            label: t(`strategy.statuses.${s}`),
          }))}
        />
        {status === 'dropped' ? (
          <TextArea
            id={`${p}-dropped`}
            label={t('strategy.fields.droppedReason')}
            rows={2}
            maxLength={2000}
            value={droppedReason}
            onValue={setDroppedReason}
            error={details.errors.droppedReason}
            required
          />
        ) : null}
        <TextField
          id={`${p}-due`}
          type="date"
          label={t('strategy.fields.dueOn')}
          optional
          value={dueOn}
          onValue={setDueOn}
          error={details.errors.dueOn}
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" small busy={details.busy}>
            {t('strategy.commitments.save')}
          </Button>
        </div>
      </form>

      <form
        class="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (!update.trim()) {
            progress.setErrors({ body: t('validation.required') })
            return
          }
          void progress.run(async () => {
            await addProgressUpdate(process.id, c.id, update.trim())
            setUpdate('')
            await onChange()
          })
        }}
      >
        <FormError id={`${p}-update-error`} error={progress.error} />
        <TextArea
          id={`${p}-update`}
          label={t('strategy.updates.add')}
          rows={2}
          maxLength={UPDATE_BODY_MAX}
          value={update}
          onValue={setUpdate}
          error={progress.errors.body}
        />
        <div class="form-actions">
          <Button type="submit" small busy={progress.busy}>
            {t('strategy.updates.submit')}
          </Button>
        </div>
      </form>

      <form
        class="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          const target = number(indicator.target)
          const baseline = number(indicator.baseline)
          const local: Record<string, string> = {}
          if (!indicator.name.trim()) {
            local.name = t('validation.required')
          }
          if (!Number.isFinite(target)) {
            local.target = t('validation.invalid')
          }
          if (indicator.baseline.trim() && !Number.isFinite(baseline)) {
            local.baseline = t('validation.invalid')
          }
          if (Object.keys(local).length) {
            adding.setErrors(local)
            return
          }
          void adding.run(async () => {
            const fresh = await addIndicator(process.id, c.id, {
              name: indicator.name.trim(),
              unit: indicator.unit.trim(),
              baseline: indicator.baseline.trim() ? baseline : null,
              target,
            })
            setIndicator({ name: '', unit: '', baseline: '', target: '' })
            setMeasure((m) => ({
              ...m,
              indicatorId: m.indicatorId || fresh.indicators[0]?.id || '',
            }))
            await onChange()
          })
        }}
      >
        <fieldset>
          <legend>{t('strategy.indicators.add')}</legend>
          <FormError id={`${p}-indicator-error`} error={adding.error} />
          <TextField
            id={`${p}-indicator-name`}
            label={t('strategy.indicators.name')}
            maxLength={200}
            value={indicator.name}
            onValue={(v) => setIndicator({ ...indicator, name: v })}
            error={adding.errors.name}
          />
          <TextField
            id={`${p}-indicator-unit`}
            label={t('strategy.indicators.unit')}
            optional
            maxLength={50}
            value={indicator.unit}
            onValue={(v) => setIndicator({ ...indicator, unit: v })}
          />
          <TextField
            id={`${p}-indicator-baseline`}
            label={t('strategy.indicators.baseline')}
            optional
            inputMode="decimal"
            value={indicator.baseline}
            onValue={(v) => setIndicator({ ...indicator, baseline: v })}
            error={adding.errors.baseline}
          />
          <TextField
            id={`${p}-indicator-target`}
            label={t('strategy.indicators.target')}
            inputMode="decimal"
            value={indicator.target}
            onValue={(v) => setIndicator({ ...indicator, target: v })}
            error={adding.errors.target}
          />
          <div class="form-actions">
            <Button type="submit" small busy={adding.busy}>
              {t('strategy.indicators.submit')}
            </Button>
          </div>
        </fieldset>
      </form>

      {c.indicators.length ? (
        <form
          class="stack"
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            const value = number(measure.value)
            const indicatorId = measure.indicatorId || c.indicators[0]!.id
            if (!Number.isFinite(value)) {
              measuring.setErrors({ value: t('validation.invalid') })
              return
            }
            void measuring.run(async () => {
              await addMeasurement(process.id, c.id, indicatorId, {
                value,
                measuredOn: measure.measuredOn,
              })
              setMeasure({ ...measure, value: '' })
              await onChange()
            })
          }}
        >
          <fieldset>
            <legend>{t('strategy.indicators.measure')}</legend>
            <FormError id={`${p}-measure-error`} error={measuring.error} />
            <SelectField
              id={`${p}-measure-indicator`}
              label={t('strategy.indicators.name')}
              value={measure.indicatorId || c.indicators[0]!.id}
              onValue={(v) => setMeasure({ ...measure, indicatorId: v })}
              options={c.indicators.map((i) => ({ value: i.id, label: i.name }))}
            />
            <TextField
              id={`${p}-measure-value`}
              label={t('strategy.indicators.value')}
              inputMode="decimal"
              value={measure.value}
              onValue={(v) => setMeasure({ ...measure, value: v })}
              error={measuring.errors.value}
            />
            <TextField
              id={`${p}-measure-date`}
              type="date"
              label={t('strategy.indicators.measuredOn')}
              value={measure.measuredOn}
              onValue={(v) => setMeasure({ ...measure, measuredOn: v })}
              error={measuring.errors.measuredOn}
            />
            <div class="form-actions">
              <Button type="submit" small busy={measuring.busy}>
                {t('strategy.indicators.record')}
              </Button>
            </div>
          </fieldset>
        </form>
      ) : null}
    </details>
  )
}

function AddCommitmentForm({
  process,
  adoption,
  onDone,
}: {
  process: ProcessDetail
  adoption: Adoption
  onDone: () => Promise<void>
}) {
  const source = adoption.texts.find((x) => x.isSource) ?? adoption.texts[0]
  const sections = useResource(
    async () =>
      source
        ? ((await listDocumentVersions(source.documentId)).find((v) => v.id === source.versionId)
            ?.sections ?? [])
        : [],
    [source?.versionId],
  )
  const [sectionId, setSectionId] = useState('')
  const [title, setTitle] = useState('')
  const [organisation, setOrganisation] = useState('')
  const submit = useSubmit()
  const options = (sections.data ?? [])
    .filter((s) => s.id !== null)
    .map((s) => ({ value: s.id!, label: s.title }))
  const chosen = sectionId || options[0]?.value || ''
  return (
    <details class="panel">
      <summary>{t('strategy.commitments.add')}</summary>
      <form
        class="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (!title.trim()) {
            submit.setErrors({ title: t('validation.required') })
            return
          }
          void submit.run(async () => {
            await createCommitment(process.id, {
              sectionId: chosen,
              title: title.trim(),
              ...(organisation.trim() ? { organisation: organisation.trim() } : {}),
            })
            setTitle('')
            setOrganisation('')
            await onDone()
          })
        }}
      >
        <FormError id="add-commitment-error" error={submit.error} />
        <SelectField
          id="add-commitment-section"
          label={t('strategy.fields.section')}
          value={chosen}
          onValue={setSectionId}
          options={options}
          error={submit.errors.sectionId}
        />
        <TextField
          id="add-commitment-title"
          label={t('strategy.fields.commitment')}
          maxLength={COMMITMENT_TITLE_MAX}
          value={title}
          onValue={setTitle}
          error={submit.errors.title}
          required
        />
        <TextField
          id="add-commitment-organisation"
          label={t('strategy.fields.organisation')}
          optional
          maxLength={200}
          value={organisation}
          onValue={setOrganisation}
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" small busy={submit.busy}>
            {t('strategy.commitments.addSubmit')}
          </Button>
        </div>
      </form>
    </details>
  )
}
