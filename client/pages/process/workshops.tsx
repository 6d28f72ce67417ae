import { useEffect, useState } from 'preact/hooks'
import type { Section as DocSection } from '../../../shared/api/documents'
import type { ProcessDetail } from '../../../shared/api/processes'
import {
  ACTION_STATUSES,
  type ActionStatus,
  type AgendaItemInput,
  type Contribution,
  type ContributionKind,
  type LiveState,
  type Minutes,
  type Poll,
  type Registration,
  type Workshop,
  type WorkshopFormat,
} from '../../../shared/api/workshops'
import { toApiError, type ApiError } from '../../api/client'
import { listDocuments, listSections } from '../../api/documents'
import { listMembers } from '../../api/members'
import { useLiveEvents } from '../../api/events'
import * as api from '../../api/workshops'
import { Button } from '../../components/buttons'
import { FormError, fieldErrorsFrom } from '../../components/errors'
import { CheckboxGroup, SelectField, TextArea, TextField } from '../../components/fields'
import { Link } from '../../components/link'
import { threadHref } from '../../components/threads/thread-card'
import { RouteHeading } from '../../components/page'
import { Empty, Loading, Notice } from '../../components/status'
import { useResource } from '../../components/use-resource'
import { formatDateTimeIn, t } from '../../i18n'
import { navigate } from '../../router'
import { allows, currentProcess } from '../../state/process'
import '../../styles/workshops.css'
import { browserTimeZone, isoToZoned, timeZones, zonedToIso } from './zoned-time'

export function workshopsPath(processId: string, sub?: string): string {
  const base = `/processes/${encodeURIComponent(processId)}/workshops`
  return sub ? `${base}/${encodeURIComponent(sub)}` : base
}

const groupLabel = (key: string) => {
  const text = t(`groups.${key}`)
  return text === `groups.${key}` ? key : text
}

/** Runs an action, keeping its error for the form that shows it. */
function useAction() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true)
    setError(null)
    try {
      return await work()
    } catch (e) {
      setError(toApiError(e))
      return undefined
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, run, setError }
}

/**
 * The Workshops tab (issue 13): the list of the process's workshops; `/new` the preparation
 * form; `/<id>` one workshop, which is the facilitator's console or the participant's view
 * depending on the role, and its minutes once it closed.
 */
export function WorkshopsSection({ process, sub }: { process: ProcessDetail; sub?: string }) {
  if (sub && sub !== 'new') {
    return <WorkshopDetail process={process} workshopId={sub} />
  }
  return <WorkshopList process={process} creating={sub === 'new'} />
}

function StateBadge({ state }: { state: Workshop['state'] }) {
  return (
    <span class={`badge workshop-state workshop-state-${state}`}>
      {t(`workshops.state.${state}`)}
    </span>
  )
}

function WorkshopList({ process, creating }: { process: ProcessDetail; creating: boolean }) {
  const list = useResource(() => api.listWorkshops(process.id), [process.id])
  const actions = useResource(() => api.listActionItems(process.id), [process.id])
  const canManage = allows('workshops.manage')
  return (
    <section aria-labelledby="section-heading">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {creating ? t('workshops.form.title') : t('workshops.tab')}
        </RouteHeading>
        {canManage && !creating ? (
          <Link class="btn btn-primary btn-small" href={workshopsPath(process.id, 'new')}>
            {t('workshops.new')}
          </Link>
        ) : null}
      </div>
      {creating ? (
        canManage ? (
          <WorkshopForm
            process={process}
            onCreated={(w) => navigate(workshopsPath(process.id, w.id))}
            onCancel={() => navigate(workshopsPath(process.id))}
          />
        ) : (
          <p>{t('process.sectionForbidden')}</p>
        )
      ) : (
        <>
          <p class="section-lead">{t('workshops.lead')}</p>
          {list.error ? <FormError id="workshops-error" error={list.error} /> : null}
          {list.loading && !list.data ? <Loading /> : null}
          {list.data ? (
            list.data.length ? (
              <ul class="workshop-list" role="list">
                {list.data.map((w) => (
                  <li key={w.id} class="workshop-item" data-workshop-id={w.id}>
                    <h3 class="workshop-title">
                      <Link href={workshopsPath(process.id, w.id)}>{w.title}</Link>
                    </h3>
                    <StateBadge state={w.state} />
                    <p class="muted">
                      {formatDateTimeIn(w.startsAt, w.timeZone)} ({w.timeZone.replace(/_/g, ' ')}) ·{' '}
                      {t(`workshops.format.${w.format}`)} ·{' '}
                      {t('workshops.registeredCount', { count: w.registered })}
                    </p>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>{t('workshops.empty')}</Empty>
            )
          ) : null}
          {actions.data && actions.data.length > 0 ? (
            <section aria-labelledby="action-items-heading">
              <h3 id="action-items-heading">{t('workshops.actionItems')}</h3>
              <ul role="list" class="action-items">
                {actions.data.map((a) => (
                  <li key={a.id} data-action-id={a.id}>
                    {a.body} — {a.owner} · {a.dueDate ?? '—'}{' '}
                    <span class="muted">
                      (<Link href={workshopsPath(process.id, a.workshopId)}>{a.workshopTitle}</Link>
                      )
                    </span>{' '}
                    <ActionStatusControl
                      workshopId={a.workshopId}
                      item={a}
                      canManage={canManage}
                      onDone={() => void actions.reload()}
                    />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
    </section>
  )
}

interface AgendaRow {
  key: number
  source: string // a section id, or '' for a free topic
  topic: string
  minutes: string
  lead: string
}

const FORMATS: WorkshopFormat[] = ['in-person', 'online', 'hybrid']

/**
 * The preparation form: creates a draft, or (with `existing`) edits a draft or scheduled
 * workshop, sending every field and the whole agenda in its new order (issue 13, item 1).
 */
function WorkshopForm({
  process,
  existing,
  onCreated,
  onCancel,
}: {
  process: ProcessDetail
  existing?: Workshop
  onCreated: (w: Workshop) => void
  onCancel: () => void
}) {
  const documents = useResource(() => listDocuments(process.id), [process.id])
  // Undefined until chosen: a new workshop starts on the first document, an edited one keeps its own.
  const [documentId, setDocumentId] = useState<string | undefined>(
    existing ? (existing.documentId ?? '') : undefined,
  )
  const [sections, setSections] = useState<DocSection[]>([])
  const [title, setTitle] = useState(existing?.title ?? '')
  const [purpose, setPurpose] = useState(existing?.purpose ?? '')
  const [zone, setZone] = useState(existing?.timeZone ?? browserTimeZone())
  const [starts, setStarts] = useState(
    existing ? isoToZoned(existing.startsAt, existing.timeZone) : '',
  )
  const [ends, setEnds] = useState(existing ? isoToZoned(existing.endsAt, existing.timeZone) : '')
  const [format, setFormat] = useState<WorkshopFormat>(existing?.format ?? 'in-person')
  const [place, setPlace] = useState(existing?.place ?? '')
  const [link, setLink] = useState(existing?.meetingUrl ?? '')
  const [languages, setLanguages] = useState<string[]>(
    existing?.languages ?? [...process.languages],
  )
  const [capacity, setCapacity] = useState(existing?.capacity ? String(existing.capacity) : '')
  const [threshold, setThreshold] = useState(existing ? String(existing.groupThreshold) : '1')
  const [rows, setRows] = useState<AgendaRow[]>(
    existing && existing.agenda.length > 0
      ? existing.agenda.map((item, index) => ({
          key: index + 1,
          source: item.sectionId ?? '',
          topic: item.topic ?? '',
          minutes: String(item.minutes),
          lead: item.lead,
        }))
      : [{ key: 1, source: '', topic: '', minutes: '30', lead: '' }],
  )
  const action = useAction()
  const errors = fieldErrorsFrom(action.error)

  useEffect(() => {
    const first = documents.data?.[0]
    if (first && documentId === undefined) {
      setDocumentId(first.id)
    }
  }, [documents.data, documentId])
  useEffect(() => {
    if (documentId) {
      listSections(documentId).then(setSections, () => setSections([]))
    }
  }, [documentId])

  const update = (key: number, patch: Partial<AgendaRow>) =>
    setRows(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)))
  const move = (index: number, by: number) => {
    const next = [...rows]
    const [row] = next.splice(index, 1)
    next.splice(index + by, 0, row!)
    setRows(next)
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    const agenda: AgendaItemInput[] = rows.map((row) => ({
      ...(row.source ? { sectionId: row.source } : { topic: row.topic }),
      minutes: Number(row.minutes) || 0,
      ...(row.lead ? { lead: row.lead } : {}),
    }))
    const fields = {
      title,
      purpose,
      startsAt: zonedToIso(starts, zone) ?? '',
      endsAt: zonedToIso(ends, zone) ?? '',
      timeZone: zone,
      format,
      place,
      meetingUrl: link,
      languages: languages as ('en' | 'es' | 'fr' | 'pt')[],
      capacity: capacity ? Number(capacity) : null,
      groupThreshold: Number(threshold) || 0,
      documentId: documentId || null,
      agenda,
    }
    const created = await action.run(() =>
      existing ? api.updateWorkshop(existing.id, fields) : api.createWorkshop(process.id, fields),
    )
    if (created) {
      onCreated(created)
    }
  }

  return (
    <form class="workshop-form" onSubmit={submit} noValidate>
      <FormError id="workshop-form-error" error={action.error} />
      <TextField
        id="workshop-title"
        label={t('workshops.form.titleField')}
        value={title}
        onValue={setTitle}
        required
        error={errors.title}
      />
      <TextArea
        id="workshop-purpose"
        label={t('workshops.form.purpose')}
        value={purpose}
        onValue={setPurpose}
        optional
      />
      <SelectField
        id="workshop-zone"
        label={t('workshops.form.timeZone')}
        value={zone}
        onValue={setZone}
        options={timeZones().map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))}
        error={errors.timeZone}
      />
      <TextField
        id="workshop-starts"
        type="datetime-local"
        label={t('workshops.form.startsAt')}
        value={starts}
        onValue={setStarts}
        error={errors.startsAt}
      />
      <TextField
        id="workshop-ends"
        type="datetime-local"
        label={t('workshops.form.endsAt')}
        value={ends}
        onValue={setEnds}
        error={errors.endsAt}
      />
      <SelectField
        id="workshop-format"
        label={t('workshops.form.format')}
        value={format}
        onValue={(v) => setFormat(v as WorkshopFormat)}
        options={FORMATS.map((f) => ({ value: f, label: t(`workshops.format.${f}`) }))}
      />
      <TextField
        id="workshop-place"
        label={t('workshops.form.place')}
        value={place}
        onValue={setPlace}
        optional
      />
      <TextField
        id="workshop-link"
        type="url"
        label={t('workshops.form.link')}
        value={link}
        onValue={setLink}
        optional
        error={errors.meetingUrl}
        hint={t('workshops.form.linkHint')}
      />
      <TextField
        id="workshop-capacity"
        type="number"
        min={1}
        label={t('workshops.form.capacity')}
        value={capacity}
        onValue={setCapacity}
        optional
        error={errors.capacity}
      />
      <TextField
        id="workshop-threshold"
        type="number"
        min={0}
        label={t('workshops.form.threshold')}
        hint={t('workshops.form.thresholdHint')}
        value={threshold}
        onValue={setThreshold}
        error={errors.groupThreshold}
      />
      <CheckboxGroup
        id="workshop-languages"
        legend={t('fields.languages')}
        options={process.languages.map((code) => ({ value: code, label: t(`languages.${code}`) }))}
        values={languages}
        onValues={setLanguages}
        error={errors.languages}
      />
      <SelectField
        id="workshop-document"
        label={t('workshops.form.document')}
        value={documentId ?? ''}
        onValue={setDocumentId}
        options={[
          { value: '', label: t('workshops.form.noDocument') },
          ...(documents.data ?? []).map((d) => ({ value: d.id, label: d.title })),
        ]}
      />
      <fieldset class="agenda-editor">
        <legend>{t('workshops.agenda')}</legend>
        <ol>
          {rows.map((row, index) => (
            <li key={row.key} class="agenda-row">
              <SelectField
                id={`agenda-${row.key}-source`}
                label={t('workshops.form.item', { n: index + 1 })}
                value={row.source}
                onValue={(v) => update(row.key, { source: v })}
                options={[
                  { value: '', label: t('workshops.form.freeTopic') },
                  ...sections.filter((s) => s.id).map((s) => ({ value: s.id!, label: s.title })),
                ]}
                error={errors[`agenda/${index}/sectionId`] ?? errors[`agenda/${index}`]}
              />
              {row.source ? null : (
                <TextField
                  id={`agenda-${row.key}-topic`}
                  label={t('workshops.form.topic')}
                  value={row.topic}
                  onValue={(v) => update(row.key, { topic: v })}
                />
              )}
              <TextField
                id={`agenda-${row.key}-minutes`}
                type="number"
                min={1}
                label={t('workshops.form.minutes')}
                value={row.minutes}
                onValue={(v) => update(row.key, { minutes: v })}
                error={errors[`agenda/${index}/minutes`]}
              />
              <TextField
                id={`agenda-${row.key}-lead`}
                label={t('workshops.form.lead')}
                value={row.lead}
                onValue={(v) => update(row.key, { lead: v })}
                optional
              />
              <div class="agenda-row-actions">
                <Button small disabled={index === 0} onClick={() => move(index, -1)}>
                  {t('workshops.form.up')}
                </Button>
                <Button small disabled={index === rows.length - 1} onClick={() => move(index, 1)}>
                  {t('workshops.form.down')}
                </Button>
                <Button
                  small
                  variant="ghost"
                  onClick={() => setRows(rows.filter((r) => r.key !== row.key))}
                >
                  {t('workshops.form.remove')}
                </Button>
              </div>
            </li>
          ))}
        </ol>
        <Button
          small
          onClick={() =>
            setRows([...rows, { key: Date.now(), source: '', topic: '', minutes: '15', lead: '' }])
          }
        >
          {t('workshops.form.addItem')}
        </Button>
      </fieldset>
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={action.busy}>
          {existing ? t('workshops.form.save') : t('workshops.form.create')}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  )
}

function minutesSeconds(ms: number): string {
  const negative = ms < 0
  const total = Math.floor(Math.abs(ms) / 1000)
  const text = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`
  return negative ? `−${text}` : text
}

/** The countdown of the current agenda item, ticking locally from the server's clock. */
function Countdown({ live }: { live: LiveState }) {
  const [now, setNow] = useState(Date.now())
  const [fetchedAt] = useState(Date.now())
  useEffect(() => {
    if (!live.clock.running) {
      return
    }
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [live.clock.running, live.revision])
  const remaining = live.clock.remainingMs - (live.clock.running ? now - fetchedAt : 0)
  return (
    <p class={`countdown${remaining < 0 ? ' countdown-over' : ''}`} aria-live="off">
      <span class="fact-label">{t('workshops.live.remaining')}:</span>{' '}
      <strong>{minutesSeconds(remaining)}</strong>
      {live.clock.running ? null : <span class="badge">{t('workshops.live.paused')}</span>}
    </p>
  )
}

function WorkshopDetail({ process, workshopId }: { process: ProcessDetail; workshopId: string }) {
  const workshop = useResource(() => api.fetchWorkshop(workshopId), [workshopId])
  const live = useResource(() => api.fetchLive(workshopId), [workshopId])
  const contributions = useResource(() => api.listContributions(workshopId), [workshopId])
  const canManage = allows('workshops.manage')
  const canContribute = allows('workshops.contribute')
  const action = useAction()
  const [editing, setEditing] = useState(false)
  const [follow, setFollow] = useState(
    () => localStorage.getItem('concord.workshops.follow') !== 'off',
  )

  useLiveEvents(process.id, (event) => {
    if (event.type === 'workshop' && event.workshopId === workshopId) {
      void workshop.reload()
      void live.reload()
      void contributions.reload()
    }
  })

  const w = workshop.data
  const state = live.data
  const current = state?.currentItem
  useEffect(() => {
    localStorage.setItem('concord.workshops.follow', follow ? 'on' : 'off')
  }, [follow])

  if (workshop.error) {
    return <FormError id="workshop-error" error={workshop.error} />
  }
  if (!w) {
    return <Loading />
  }
  const act = async (work: () => Promise<unknown>) => {
    await action.run(work)
    await Promise.all([workshop.reload(), live.reload(), contributions.reload()])
  }
  const consoleAction = (
    name: 'start' | 'pause' | 'resume' | 'next' | 'extend' | 'close',
    extra: object = {},
  ) =>
    act(() =>
      api.control(w.id, { revision: state?.revision ?? w.revision, action: name, ...extra }),
    )
  const sectionLink =
    current?.sectionId && w.documentId
      ? `/documents/${encodeURIComponent(w.documentId)}?workshop=${encodeURIComponent(w.id)}`
      : null

  return (
    <section aria-labelledby="workshop-heading" class="workshop-detail">
      <p class="back-link">
        <Link href={workshopsPath(process.id)}>
          <span aria-hidden="true">← </span>
          {t('workshops.back')}
        </Link>
      </p>
      <RouteHeading level={2} id="workshop-heading">
        {w.title}
      </RouteHeading>
      <StateBadge state={w.state} />
      {w.purpose ? <p>{w.purpose}</p> : null}
      <ul class="workshop-facts" role="list">
        <li>
          {formatDateTimeIn(w.startsAt, w.timeZone)} – {formatDateTimeIn(w.endsAt, w.timeZone)} (
          {w.timeZone.replace(/_/g, ' ')})
        </li>
        <li>
          {t(`workshops.format.${w.format}`)}
          {w.place ? ` · ${w.place}` : ''}
        </li>
        {w.meetingUrl ? (
          <li>
            <a href={w.meetingUrl} rel="noopener noreferrer" target="_blank">
              {t('workshops.meetingLink')}
            </a>
          </li>
        ) : null}
        <li>
          {t('workshops.registeredCount', { count: w.registered })}
          {w.capacity ? ` / ${w.capacity}` : ''}
        </li>
      </ul>
      <FormError id="workshop-action-error" error={action.error} />

      <h3>{t('workshops.agenda')}</h3>
      <ol class="workshop-agenda">
        {w.agenda.map((item) => (
          <li
            key={item.id}
            aria-current={item.id === current?.id ? 'step' : undefined}
            class={item.id === current?.id ? 'agenda-current' : ''}
          >
            {item.title} ·{' '}
            {t('workshops.minutesCount', { count: item.minutes + item.extraMinutes })}
            {item.lead ? ` · ${item.lead}` : ''}
          </li>
        ))}
      </ol>

      {canManage ? (
        <div class="workshop-actions" role="group" aria-label={t('workshops.console')}>
          {w.state === 'draft' ? (
            <Button
              variant="primary"
              busy={action.busy}
              onClick={() => act(() => api.scheduleWorkshop(w.id))}
            >
              {t('workshops.actions.schedule')}
            </Button>
          ) : null}
          {w.state === 'scheduled' ? (
            <Button variant="primary" busy={action.busy} onClick={() => consoleAction('start')}>
              {t('workshops.actions.start')}
            </Button>
          ) : null}
          {w.state === 'running' && state ? (
            <>
              {state.clock.running ? (
                <Button busy={action.busy} onClick={() => consoleAction('pause')}>
                  {t('workshops.actions.pause')}
                </Button>
              ) : (
                <Button busy={action.busy} onClick={() => consoleAction('resume')}>
                  {t('workshops.actions.resume')}
                </Button>
              )}
              <Button busy={action.busy} onClick={() => consoleAction('next')}>
                {t('workshops.actions.next')}
              </Button>
              <Button busy={action.busy} onClick={() => consoleAction('extend', { minutes: 5 })}>
                {t('workshops.actions.extend')}
              </Button>
              {state.spotlight ? (
                <Button
                  busy={action.busy}
                  onClick={() =>
                    act(() =>
                      api.control(w.id, {
                        revision: state.revision,
                        action: 'spotlight',
                        spotlight: null,
                      }),
                    )
                  }
                >
                  {t('workshops.actions.clearSpotlight')}
                </Button>
              ) : null}
              <Button variant="danger" busy={action.busy} onClick={() => consoleAction('close')}>
                {t('workshops.actions.close')}
              </Button>
            </>
          ) : null}
          {(w.state === 'draft' || w.state === 'scheduled') && !editing ? (
            <Button busy={action.busy} onClick={() => setEditing(true)}>
              {t('workshops.actions.edit')}
            </Button>
          ) : null}
          {w.state === 'draft' || w.state === 'scheduled' ? (
            <Button
              variant="ghost"
              busy={action.busy}
              onClick={() => act(() => api.cancelWorkshop(w.id, t('workshops.cancelReason')))}
            >
              {t('workshops.actions.cancel')}
            </Button>
          ) : null}
          <Button
            variant="ghost"
            busy={action.busy}
            onClick={async () => {
              const copy = await action.run(() => api.duplicateWorkshop(w.id))
              if (copy) {
                navigate(workshopsPath(process.id, copy.id))
              }
            }}
          >
            {t('workshops.actions.duplicate')}
          </Button>
        </div>
      ) : null}

      {editing && canManage && (w.state === 'draft' || w.state === 'scheduled') ? (
        <section aria-labelledby="edit-heading" class="workshop-edit">
          <h3 id="edit-heading">{t('workshops.form.editTitle')}</h3>
          <WorkshopForm
            process={process}
            existing={w}
            onCreated={() => {
              setEditing(false)
              void workshop.reload()
              void live.reload()
            }}
            onCancel={() => setEditing(false)}
          />
        </section>
      ) : null}

      {w.state === 'scheduled' || w.state === 'running' ? (
        <Participation workshop={w} live={state} onChange={() => act(async () => undefined)} />
      ) : null}

      {w.state === 'running' && state ? (
        <section aria-labelledby="live-heading" class="workshop-live">
          <h3 id="live-heading">{t('workshops.live.title')}</h3>
          {current ? (
            <p class="current-item">
              <span class="fact-label">{t('workshops.live.now')}:</span>{' '}
              <strong>{current.title}</strong>
            </p>
          ) : null}
          <Countdown live={state} />
          <label class="checkbox">
            <input
              type="checkbox"
              checked={follow}
              onChange={(e) => setFollow(e.currentTarget.checked)}
            />{' '}
            {t('workshops.live.follow')}
          </label>
          {follow && sectionLink ? (
            <p>
              <Link href={sectionLink}>{t('workshops.live.openSection')}</Link>
            </p>
          ) : null}
          <SpotlightView workshop={w} live={state} contributions={contributions.data ?? []} />
          <AttendancePanel live={state} />
          <QueuePanel
            workshop={w}
            live={state}
            canManage={canManage}
            onDone={() => void live.reload()}
          />
          {canContribute ? (
            <ContributionForm
              workshop={w}
              canManage={canManage}
              live={state}
              onSaved={() => void contributions.reload()}
            />
          ) : null}
          {canManage ? (
            <SpotlightPassageForm workshop={w} live={state} onDone={() => void live.reload()} />
          ) : null}
          <ContributionsPanel
            workshop={w}
            live={state}
            contributions={contributions.data ?? []}
            canManage={canManage}
            onDone={() => {
              void live.reload()
              void contributions.reload()
            }}
          />
          <PollsPanel
            workshop={w}
            live={state}
            canManage={canManage}
            canVote={canContribute}
            onDone={() => void live.reload()}
          />
        </section>
      ) : null}

      {w.state === 'closed' || w.state === 'published' ? (
        <MinutesPanel workshop={w} canManage={canManage} onDone={() => void workshop.reload()} />
      ) : null}
    </section>
  )
}

function Participation({
  workshop,
  live,
  onChange,
}: {
  workshop: Workshop
  live: LiveState | undefined
  onChange: () => void
}) {
  const action = useAction()
  const [code, setCode] = useState('')
  const [checked, setChecked] = useState<string | null>(null)
  const registrations = useResource(
    () =>
      allows('workshops.manage')
        ? api.listRegistrations(workshop.id)
        : Promise.resolve([] as Registration[]),
    [workshop.id, workshop.registered],
  )
  const groups = currentProcess.value?.groups ?? []
  const [guest, setGuest] = useState({
    name: '',
    organisation: '',
    group: groups[0]?.key ?? 'civil-society',
    email: '',
    consent: false,
  })
  const me = live?.me
  return (
    <section aria-labelledby="participation-heading" class="workshop-participation">
      <h3 id="participation-heading">{t('workshops.participation')}</h3>
      <FormError id="participation-error" error={action.error} />
      {me && !me.registrationId ? (
        <Button
          busy={action.busy}
          onClick={async () => {
            await action.run(() => api.register(workshop.id, {}))
            onChange()
          }}
        >
          {t('workshops.register')}
        </Button>
      ) : null}
      {me?.registrationId ? <p>{t('workshops.registered')}</p> : null}
      {workshop.state === 'running' && me && !me.attendeeId ? (
        <Button
          variant="primary"
          busy={action.busy}
          onClick={async () => {
            await action.run(() => api.joinWorkshop(workshop.id))
            onChange()
          }}
        >
          {t('workshops.join')}
        </Button>
      ) : null}
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault()
          const result = await action.run(() => api.checkInWithCode(workshop.id, code))
          if (result) {
            setChecked(result.name)
            setCode('')
            onChange()
          }
        }}
      >
        <TextField
          id="checkin-code"
          label={t('workshops.checkInCode')}
          value={code}
          onValue={setCode}
          autocomplete="off"
          autocapitalize="characters"
        />
        <Button type="submit" busy={action.busy}>
          {t('workshops.checkIn')}
        </Button>
      </form>
      {checked ? (
        <Notice live tone="success">
          {t('workshops.checkedIn', { name: checked })}
        </Notice>
      ) : null}
      {allows('workshops.manage') ? (
        <>
          <Invitations
            workshop={workshop}
            registrations={registrations.data ?? []}
            onDone={() => {
              void registrations.reload()
              onChange()
            }}
          />
          <form
            class="inline-form"
            aria-labelledby="guest-heading"
            onSubmit={async (e) => {
              e.preventDefault()
              const saved = await action.run(() =>
                api.register(workshop.id, {
                  name: guest.name,
                  organisation: guest.organisation,
                  stakeholderGroup: guest.group,
                  ...(guest.email.trim() ? { email: guest.email.trim() } : {}),
                  consentPublic: guest.consent,
                }),
              )
              if (saved) {
                setGuest({ ...guest, name: '', organisation: '', email: '', consent: false })
              }
              void registrations.reload()
              onChange()
            }}
          >
            <h4 id="guest-heading" class="form-row-title">
              {t('workshops.invite.guestTitle')}
            </h4>
            <TextField
              id="guest-name"
              label={t('workshops.guestName')}
              value={guest.name}
              onValue={(v) => setGuest({ ...guest, name: v })}
            />
            <TextField
              id="guest-organisation"
              label={t('fields.organisation')}
              value={guest.organisation}
              onValue={(v) => setGuest({ ...guest, organisation: v })}
              optional
            />
            <SelectField
              id="guest-group"
              label={t('workshops.guestGroup')}
              value={guest.group}
              onValue={(v) => setGuest({ ...guest, group: v })}
              options={groups.map((g) => ({ value: g.key, label: groupLabel(g.key) }))}
            />
            <TextField
              id="guest-email"
              type="email"
              label={t('workshops.invite.guestEmail')}
              value={guest.email}
              onValue={(v) => setGuest({ ...guest, email: v })}
              optional
            />
            <label class="checkbox" for="guest-consent">
              <input
                id="guest-consent"
                type="checkbox"
                checked={guest.consent}
                onChange={(e) => setGuest({ ...guest, consent: e.currentTarget.checked })}
              />{' '}
              {t('workshops.invite.guestConsent')}
            </label>
            <Button type="submit" busy={action.busy}>
              {t('workshops.addGuest')}
            </Button>
          </form>
          {registrations.data && registrations.data.length > 0 ? (
            <div class="table-scroll">
              <table class="registrations">
                <caption>{t('workshops.registrations')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('fields.name')}</th>
                    <th scope="col">{t('workshops.group')}</th>
                    <th scope="col">{t('workshops.code')}</th>
                    <th scope="col">{t('workshops.attendance')}</th>
                  </tr>
                </thead>
                <tbody>
                  {registrations.data.map((r) => (
                    <tr key={r.id}>
                      <td>
                        {r.name}
                        {r.organisation ? ` (${r.organisation})` : ''}
                      </td>
                      <td>{groupLabel(r.stakeholderGroup)}</td>
                      <td>
                        <code>{r.code}</code>
                      </td>
                      <td>
                        {r.checkedIn ? (
                          t('workshops.present')
                        ) : (
                          <Button
                            small
                            busy={action.busy}
                            onClick={async () => {
                              await action.run(() => api.checkInAtDoor(workshop.id, r.id))
                              void registrations.reload()
                              onChange()
                            }}
                          >
                            {t('workshops.checkIn')}
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  )
}

/**
 * Invitations (issue 13, item 2): register one member of the process, or every member of a
 * stakeholder group at once (all or none, within the capacity); each gets a check-in code.
 */
function Invitations({
  workshop,
  registrations,
  onDone,
}: {
  workshop: Workshop
  registrations: Registration[]
  onDone: () => void
}) {
  const members = useResource(() => listMembers(workshop.processId), [workshop.processId])
  const groups = currentProcess.value?.groups ?? []
  const action = useAction()
  const [userId, setUserId] = useState('')
  const [group, setGroup] = useState(groups[0]?.key ?? '')
  const [result, setResult] = useState<string | null>(null)
  const registered = new Set(registrations.map((r) => r.userId).filter(Boolean))
  const invitable = (members.data ?? []).filter((m) => !registered.has(m.userId))
  return (
    <section aria-labelledby="invite-heading" class="workshop-invitations">
      <h4 id="invite-heading">{t('workshops.invite.title')}</h4>
      <FormError id="invite-error" error={action.error} />
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault()
          setResult(null)
          const member = invitable.find((m) => m.userId === userId)
          const saved = await action.run(() => api.register(workshop.id, { userId }))
          if (saved) {
            setResult(t('workshops.invite.memberDone', { name: member?.name ?? saved.name }))
            setUserId('')
            onDone()
          }
        }}
      >
        <SelectField
          id="invite-member"
          label={t('workshops.invite.member')}
          value={userId}
          onValue={setUserId}
          options={[
            { value: '', label: t('workshops.invite.chooseMember') },
            ...invitable.map((m) => ({
              value: m.userId,
              label: `${m.name} (${groupLabel(m.stakeholderGroup)})`,
            })),
          ]}
        />
        <Button type="submit" busy={action.busy} disabled={!userId}>
          {t('workshops.invite.memberSubmit')}
        </Button>
      </form>
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault()
          setResult(null)
          const saved = await action.run(() => api.inviteGroup(workshop.id, group))
          if (saved) {
            setResult(
              t('workshops.invite.groupDone', {
                group: groupLabel(group),
                registered: saved.registered,
                already: saved.alreadyRegistered,
              }),
            )
            onDone()
          }
        }}
      >
        <SelectField
          id="invite-group"
          label={t('workshops.invite.group')}
          value={group}
          onValue={setGroup}
          options={groups.map((g) => ({ value: g.key, label: groupLabel(g.key) }))}
        />
        <Button type="submit" busy={action.busy}>
          {t('workshops.invite.groupSubmit')}
        </Button>
      </form>
      {result ? (
        <Notice live tone="success">
          {result}
        </Notice>
      ) : null}
    </section>
  )
}

function AttendancePanel({ live }: { live: LiveState }) {
  const low = live.attendance.byGroup.filter((g) => g.low)
  return (
    <section aria-labelledby="attendance-heading">
      <h4 id="attendance-heading">
        {t('workshops.attendanceTotal', { count: live.attendance.total })}
      </h4>
      <ul role="list" class="attendance-groups">
        {live.attendance.byGroup.map((g) => (
          <li key={g.group} class={g.low ? 'group-low' : ''}>
            {groupLabel(g.group)}: {g.count}
          </li>
        ))}
      </ul>
      {low.length > 0 ? (
        <Notice tone="warning">
          {t('workshops.lowGroups', { groups: low.map((g) => groupLabel(g.group)).join(', ') })}
        </Notice>
      ) : null}
    </section>
  )
}

function QueuePanel({
  workshop,
  live,
  canManage,
  onDone,
}: {
  workshop: Workshop
  live: LiveState
  canManage: boolean
  onDone: () => void
}) {
  const action = useAction()
  const mine = live.queue.find((e) => e.attendeeId === live.me.attendeeId)
  const suggested = live.suggestedOrder
    .map((id) => live.queue.find((e) => e.id === id)!)
    .filter(Boolean)
  const run = async (work: () => Promise<unknown>) => {
    await action.run(work)
    onDone()
  }
  return (
    <section aria-labelledby="queue-heading">
      <h4 id="queue-heading">{t('workshops.queue.title')}</h4>
      <FormError id="queue-error" error={action.error} />
      {live.me.attendeeId && !mine ? (
        <Button
          variant="primary"
          busy={action.busy}
          onClick={() => run(() => api.raiseHand(workshop.id))}
        >
          {t('workshops.queue.raise')}
        </Button>
      ) : null}
      {mine ? (
        <Button
          busy={action.busy}
          onClick={() => run(() => api.settleHand(workshop.id, mine.id, 'remove'))}
        >
          {t('workshops.queue.lower')}
        </Button>
      ) : null}
      {live.queue.length === 0 ? (
        <Empty>{t('workshops.queue.empty')}</Empty>
      ) : (
        <ol class="queue">
          {live.queue.map((entry) => (
            <li key={entry.id}>
              {entry.name} <span class="muted">({groupLabel(entry.stakeholderGroup)})</span>
              {canManage ? (
                <>
                  {' '}
                  <Button
                    small
                    busy={action.busy}
                    onClick={() => run(() => api.settleHand(workshop.id, entry.id, 'call'))}
                  >
                    {t('workshops.queue.call')}
                  </Button>{' '}
                  <Button
                    small
                    variant="ghost"
                    busy={action.busy}
                    onClick={() => run(() => api.settleHand(workshop.id, entry.id, 'remove'))}
                  >
                    {t('workshops.queue.remove')}
                  </Button>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {canManage && live.queue.length > 1 ? (
        <p>
          {t('workshops.queue.suggested')}: {suggested.map((e) => e.name).join(', ')}{' '}
          <Button
            small
            busy={action.busy}
            onClick={() => run(() => api.orderQueue(workshop.id, live.suggestedOrder))}
          >
            {t('workshops.queue.useSuggested')}
          </Button>
        </p>
      ) : null}
    </section>
  )
}

/** The section a spotlighted passage is in, by its agenda item's title. */
function sectionTitleOf(workshop: Workshop, sectionId: string): string {
  return workshop.agenda.find((item) => item.sectionId === sectionId)?.title ?? ''
}

/**
 * What the facilitator put in the spotlight (issue 13, item 4), highlighted for everyone: a
 * thread recorded here (its text, its author, a link to it in the document) or a passage.
 * It is a live region, so a screen reader hears it change with the live stream.
 */
function SpotlightView({
  workshop,
  live,
  contributions,
}: {
  workshop: Workshop
  live: LiveState
  contributions: Contribution[]
}) {
  const spotlight = live.spotlight
  return (
    <div class="workshop-spotlight-region" aria-live="polite">
      {spotlight ? (
        <section
          class="workshop-spotlight"
          aria-labelledby="spotlight-heading"
          data-spotlight={'threadId' in spotlight ? spotlight.threadId : spotlight.sectionId}
        >
          <h4 id="spotlight-heading">{t('workshops.live.spotlight')}</h4>
          {'threadId' in spotlight ? (
            (() => {
              const item = contributions.find((c) => c.threadId === spotlight.threadId)
              return (
                <>
                  <p class="spotlight-text">
                    {item?.body ? item.body : t('workshops.live.spotlightThread')}
                  </p>
                  {item ? (
                    <p class="muted">
                      {t(`workshops.kind.${item.kind}`)} · {item.authorName} (
                      {groupLabel(item.authorGroup)})
                    </p>
                  ) : null}
                  {workshop.documentId ? (
                    <p>
                      <Link
                        href={threadHref({
                          documentId: workshop.documentId,
                          id: spotlight.threadId,
                        })}
                      >
                        {t('workshops.spotlight.openThread')}
                      </Link>
                    </p>
                  ) : null}
                </>
              )
            })()
          ) : (
            <>
              <blockquote class="spotlight-text">{spotlight.quote}</blockquote>
              <p class="muted">
                {t('workshops.spotlight.inSection', {
                  title: sectionTitleOf(workshop, spotlight.sectionId),
                })}
              </p>
            </>
          )}
        </section>
      ) : null}
    </div>
  )
}

/** The facilitator puts a passage of an agenda section in the spotlight (by its words). */
function SpotlightPassageForm({
  workshop,
  live,
  onDone,
}: {
  workshop: Workshop
  live: LiveState
  onDone: () => void
}) {
  const action = useAction()
  const sections = workshop.agenda.filter((item) => item.sectionId !== null)
  const [sectionId, setSectionId] = useState(
    live.currentItem?.sectionId ?? sections[0]?.sectionId ?? '',
  )
  const [quote, setQuote] = useState('')
  if (sections.length === 0) {
    return null
  }
  const errors = fieldErrorsFrom(action.error)
  return (
    <form
      class="spotlight-form"
      onSubmit={async (e) => {
        e.preventDefault()
        const done = await action.run(() =>
          api.control(workshop.id, {
            revision: live.revision,
            action: 'spotlight',
            spotlight: { sectionId, quote: quote.trim() },
          }),
        )
        if (done) {
          setQuote('')
          onDone()
        }
      }}
    >
      <h4>{t('workshops.spotlight.passageTitle')}</h4>
      <FormError id="spotlight-error" error={action.error} />
      <SelectField
        id="spotlight-section"
        label={t('workshops.spotlight.section')}
        value={sectionId}
        onValue={setSectionId}
        options={sections.map((item) => ({ value: item.sectionId!, label: item.title }))}
      />
      <TextArea
        id="spotlight-quote"
        label={t('workshops.spotlight.quote')}
        value={quote}
        onValue={setQuote}
        error={errors['spotlight/quote'] ?? errors.spotlight}
      />
      <Button type="submit" busy={action.busy}>
        {t('workshops.spotlight.passage')}
      </Button>
    </form>
  )
}

/** An action item's status with, for those who run workshops, the button that moves it on. */
function ActionStatusControl({
  workshopId,
  item,
  canManage,
  onDone,
}: {
  workshopId: string
  item: Contribution
  canManage: boolean
  onDone: () => void
}) {
  const action = useAction()
  const status: ActionStatus = item.status ?? 'open'
  return (
    <span class="action-status">
      {canManage ? null : (
        <span class={`badge action-status-${status}`}>{t(`workshops.actionStatus.${status}`)}</span>
      )}
      {canManage ? (
        <SelectField
          id={`action-status-${item.id}`}
          class="action-status-select"
          label={t('workshops.actionStatusLabel', { item: item.body })}
          value={status}
          disabled={action.busy}
          onValue={async (value) => {
            const saved = await action.run(() => api.setActionStatus(workshopId, item.id, value))
            if (saved) {
              onDone()
            }
          }}
          options={ACTION_STATUSES.map((s) => ({
            value: s,
            label: t(`workshops.actionStatus.${s}`),
          }))}
        />
      ) : null}
      <FormError id={`action-status-error-${item.id}`} error={action.error} />
    </span>
  )
}

/**
 * What was recorded so far, newest first: each thread with the facilitator's spotlight button
 * (pressed while it is in the spotlight), each action item with its status control.
 */
function ContributionsPanel({
  workshop,
  live,
  contributions,
  canManage,
  onDone,
}: {
  workshop: Workshop
  live: LiveState
  contributions: Contribution[]
  canManage: boolean
  onDone: () => void
}) {
  const action = useAction()
  const spotlit = live.spotlight && 'threadId' in live.spotlight ? live.spotlight.threadId : null
  return (
    <section aria-labelledby="contributions-heading" class="workshop-contributions">
      <h4 id="contributions-heading">{t('workshops.contributions.title')}</h4>
      <FormError id="contributions-error" error={action.error} />
      {contributions.length === 0 ? (
        <Empty>{t('workshops.contributions.empty')}</Empty>
      ) : (
        <ul role="list" class="contribution-list">
          {[...contributions].reverse().map((c) => (
            <li
              key={c.id}
              class={
                c.threadId !== null && c.threadId === spotlit
                  ? 'contribution contribution-spotlit'
                  : 'contribution'
              }
              data-contribution-id={c.id}
            >
              <p>
                <span class="badge">{t(`workshops.kind.${c.kind}`)}</span>{' '}
                {c.body || <em>{t('workshops.contributions.concealed')}</em>}
              </p>
              <p class="muted">
                {c.authorName ? `${c.authorName} ` : ''}({groupLabel(c.authorGroup)})
                {c.recordedBy
                  ? ` · ${t('threads.workshop.recordedBy', { name: c.recordedBy })}`
                  : ''}
                {c.kind === 'action' ? ` · ${c.owner ?? ''} · ${c.dueDate ?? '—'}` : ''}
              </p>
              {c.kind === 'action' ? (
                <ActionStatusControl
                  workshopId={workshop.id}
                  item={c}
                  canManage={canManage}
                  onDone={onDone}
                />
              ) : null}
              {c.threadId !== null && workshop.documentId ? (
                <p class="contribution-actions">
                  <Link href={threadHref({ documentId: workshop.documentId, id: c.threadId })}>
                    {t('workshops.spotlight.openThread')}
                  </Link>
                  {canManage ? (
                    <>
                      {' '}
                      <Button
                        small
                        aria-pressed={c.threadId === spotlit}
                        busy={action.busy}
                        onClick={async () => {
                          const done = await action.run(() =>
                            api.control(workshop.id, {
                              revision: live.revision,
                              action: 'spotlight',
                              spotlight: c.threadId === spotlit ? null : { threadId: c.threadId! },
                            }),
                          )
                          if (done) {
                            onDone()
                          }
                        }}
                      >
                        {/* A toggle keeps its name; aria-pressed says whether it is on (WAI-ARIA APG). */}
                        {t('workshops.spotlight.thread')}
                      </Button>
                    </>
                  ) : null}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

const KINDS: ContributionKind[] = ['comment', 'question', 'proposal', 'decision', 'action']

function ContributionForm({
  workshop,
  canManage,
  live,
  onSaved,
}: {
  workshop: Workshop
  canManage: boolean
  live: LiveState
  onSaved: () => void
}) {
  const action = useAction()
  const [kind, setKind] = useState<ContributionKind>('comment')
  const [body, setBody] = useState('')
  const [proposal, setProposal] = useState('')
  const [owner, setOwner] = useState('')
  const [attendeeId, setAttendeeId] = useState('')
  const [sectionId, setSectionId] = useState('')
  const [quote, setQuote] = useState('')
  const [dueDate, setDueDate] = useState('')
  const [done, setDone] = useState(false)
  const kinds = canManage ? KINDS : KINDS.slice(0, 3)
  const onThread = kind === 'comment' || kind === 'question' || kind === 'proposal'
  const sections = workshop.agenda.filter((item) => item.sectionId !== null)
  const errors = fieldErrorsFrom(action.error)
  return (
    <form
      class="contribution-form"
      onSubmit={async (e) => {
        e.preventDefault()
        setDone(false)
        const saved = await action.run(() =>
          api.contribute(workshop.id, {
            kind,
            body,
            ...(kind === 'proposal' ? { proposal } : {}),
            ...(kind === 'action' ? { owner, ...(dueDate ? { dueDate } : {}) } : {}),
            ...(onThread && sectionId ? { sectionId } : {}),
            ...(onThread && quote.trim() ? { quote: quote.trim() } : {}),
            ...(attendeeId ? { attendeeId } : {}),
          }),
        )
        if (saved) {
          setBody('')
          setProposal('')
          setQuote('')
          setDone(true)
          onSaved()
        }
      }}
    >
      <h4>{t('workshops.contribute.title')}</h4>
      <FormError id="contribution-error" error={action.error} />
      <SelectField
        id="contribution-kind"
        label={t('workshops.contribute.kind')}
        value={kind}
        onValue={(v) => setKind(v as ContributionKind)}
        options={kinds.map((k) => ({ value: k, label: t(`workshops.kind.${k}`) }))}
      />
      {canManage && live.attendance.attendees.length > 0 ? (
        <SelectField
          id="contribution-attendee"
          label={t('workshops.contribute.onBehalf')}
          value={attendeeId}
          onValue={setAttendeeId}
          options={[
            { value: '', label: t('workshops.contribute.myself') },
            ...live.attendance.attendees.map((a) => ({
              value: a.id,
              label: `${a.name} (${groupLabel(a.stakeholderGroup)})`,
            })),
          ]}
        />
      ) : null}
      {onThread && workshop.documentId && sections.length > 0 ? (
        <>
          <SelectField
            id="contribution-section"
            label={t('workshops.contribute.section')}
            value={sectionId}
            onValue={setSectionId}
            options={[
              { value: '', label: t('workshops.contribute.currentSection') },
              ...sections.map((item) => ({ value: item.sectionId!, label: item.title })),
            ]}
            error={errors.sectionId}
          />
          <TextField
            id="contribution-quote"
            label={t('workshops.contribute.quote')}
            hint={t('workshops.contribute.quoteHint')}
            value={quote}
            onValue={setQuote}
            optional
            error={errors.quote}
          />
        </>
      ) : null}
      <TextArea
        id="contribution-body"
        label={t('workshops.contribute.body')}
        value={body}
        onValue={setBody}
        error={errors.body}
      />
      {kind === 'proposal' ? (
        <TextArea
          id="contribution-proposal"
          label={t('workshops.contribute.proposal')}
          value={proposal}
          onValue={setProposal}
          error={errors.proposal}
        />
      ) : null}
      {kind === 'action' ? (
        <TextField
          id="contribution-owner"
          label={t('workshops.contribute.owner')}
          value={owner}
          onValue={setOwner}
          error={errors.owner}
        />
      ) : null}
      {kind === 'action' ? (
        <TextField
          id="contribution-due"
          type="date"
          label={t('workshops.contribute.dueDate')}
          value={dueDate}
          onValue={setDueDate}
          optional
          error={errors.dueDate}
        />
      ) : null}
      <Button type="submit" variant="primary" busy={action.busy}>
        {t('workshops.contribute.submit')}
      </Button>
      {done ? (
        <Notice live tone="success">
          {t('workshops.contribute.saved')}
        </Notice>
      ) : null}
    </form>
  )
}

/** An attendee's ballot: one option (radio buttons) or several (check boxes), sent once. */
function PollBallot({
  poll,
  busy,
  onVote,
}: {
  poll: Poll
  busy: boolean
  onVote: (choices: number[]) => Promise<unknown>
}) {
  const [choices, setChoices] = useState<number[]>([])
  const [missing, setMissing] = useState(false)
  const name = `ballot-${poll.id}`
  return (
    <form
      class="poll-ballot"
      onSubmit={async (e) => {
        e.preventDefault()
        if (choices.length === 0) {
          setMissing(true)
          return
        }
        await onVote([...choices].sort((a, b) => a - b))
      }}
    >
      <fieldset aria-describedby={missing ? `${name}-error` : undefined}>
        <legend>{poll.question}</legend>
        {missing ? (
          <p id={`${name}-error`} class="field-error">
            {t('workshops.polls.chooseOne')}
          </p>
        ) : null}
        {poll.options.map((option, i) => (
          <label key={option} class="checkbox" for={`${name}-${i}`}>
            <input
              id={`${name}-${i}`}
              type={poll.multiple ? 'checkbox' : 'radio'}
              name={name}
              checked={choices.includes(i)}
              onChange={(e) => {
                setMissing(false)
                const on = e.currentTarget.checked
                setChoices(
                  poll.multiple ? (on ? [...choices, i] : choices.filter((c) => c !== i)) : [i],
                )
              }}
            />{' '}
            {option}
          </label>
        ))}
      </fieldset>
      <Button type="submit" variant="primary" small busy={busy}>
        {t('workshops.polls.vote')}
      </Button>
    </form>
  )
}

function PollsPanel({
  workshop,
  live,
  canManage,
  canVote,
  onDone,
}: {
  workshop: Workshop
  live: LiveState
  canManage: boolean
  canVote: boolean
  onDone: () => void
}) {
  const action = useAction()
  const [question, setQuestion] = useState('')
  const [options, setOptions] = useState('')
  const [multiple, setMultiple] = useState(false)
  const run = async (work: () => Promise<unknown>) => {
    await action.run(work)
    onDone()
  }
  return (
    <section aria-labelledby="polls-heading">
      <h4 id="polls-heading">{t('workshops.polls.title')}</h4>
      <FormError id="polls-error" error={action.error} />
      {live.polls.map((poll: Poll) => (
        <article key={poll.id} class="poll">
          <p>
            <strong>{poll.question}</strong>{' '}
            <span class="badge">{t(`workshops.polls.state.${poll.state}`)}</span>
          </p>
          <p class="muted">
            {poll.multiple ? t('workshops.polls.multipleNote') : t('workshops.polls.singleNote')}
          </p>
          {canVote && poll.state === 'open' && live.me.attendeeId && poll.myChoices === null ? (
            <PollBallot
              poll={poll}
              busy={action.busy}
              onVote={(choices) => run(() => api.vote(workshop.id, poll.id, choices))}
            />
          ) : null}
          <ul role="list" class="poll-results" aria-label={t('workshops.polls.results')}>
            {poll.options.map((option, i) => (
              <li key={option}>
                {option}: {poll.results[i] ?? 0}
                {poll.myChoices?.includes(i) ? (
                  <span class="badge"> {t('workshops.polls.mine')}</span>
                ) : null}
              </li>
            ))}
          </ul>
          {poll.byGroup.length > 0 ? (
            <p class="muted">
              {poll.byGroup
                .map((g) => `${groupLabel(g.group)}: ${g.results.join(' / ')}`)
                .join(' · ')}
            </p>
          ) : null}
          {canManage && poll.state === 'draft' ? (
            <Button
              small
              busy={action.busy}
              onClick={() => run(() => api.setPollState(workshop.id, poll.id, 'open'))}
            >
              {t('workshops.polls.open')}
            </Button>
          ) : null}
          {canManage && poll.state === 'open' ? (
            <Button
              small
              busy={action.busy}
              onClick={() => run(() => api.setPollState(workshop.id, poll.id, 'close'))}
            >
              {t('workshops.polls.close')}
            </Button>
          ) : null}
        </article>
      ))}
      {canManage ? (
        <form
          class="inline-form"
          onSubmit={async (e) => {
            e.preventDefault()
            await run(() =>
              api.createPoll(workshop.id, {
                question,
                options: options
                  .split('\n')
                  .map((o) => o.trim())
                  .filter(Boolean),
                multiple,
              }),
            )
            setQuestion('')
            setOptions('')
            setMultiple(false)
          }}
        >
          <TextField
            id="poll-question"
            label={t('workshops.polls.question')}
            value={question}
            onValue={setQuestion}
          />
          <TextArea
            id="poll-options"
            label={t('workshops.polls.options')}
            hint={t('workshops.polls.optionsHint')}
            value={options}
            onValue={setOptions}
          />
          <label class="checkbox" for="poll-multiple">
            <input
              id="poll-multiple"
              type="checkbox"
              checked={multiple}
              onChange={(e) => setMultiple(e.currentTarget.checked)}
            />{' '}
            {t('workshops.polls.multiple')}
          </label>
          <Button type="submit" busy={action.busy}>
            {t('workshops.polls.create')}
          </Button>
        </form>
      ) : null}
    </section>
  )
}

function MinutesPanel({
  workshop,
  canManage,
  onDone,
}: {
  workshop: Workshop
  canManage: boolean
  onDone: () => void
}) {
  const minutes = useResource<Minutes | null>(
    () =>
      workshop.state === 'published' || canManage
        ? api.fetchMinutes(workshop.id)
        : Promise.resolve(null),
    [workshop.id, workshop.state],
  )
  const action = useAction()
  const [summary, setSummary] = useState<string | null>(null)
  const m = minutes.data
  if (!m) {
    return minutes.loading ? <Loading /> : <p>{t('workshops.minutes.notYet')}</p>
  }
  return (
    <section aria-labelledby="minutes-heading" class="workshop-minutes">
      <h3 id="minutes-heading">{t('workshops.minutes.title')}</h3>
      <FormError id="minutes-error" error={action.error} />
      {canManage && workshop.state === 'closed' ? (
        <form
          onSubmit={async (e) => {
            e.preventDefault()
            await action.run(() => api.editMinutes(workshop.id, summary ?? m.summary))
            void minutes.reload()
          }}
        >
          <TextArea
            id="minutes-summary"
            label={t('workshops.minutes.summary')}
            value={summary ?? m.summary}
            onValue={setSummary}
          />
          <div class="form-actions">
            <Button type="submit" busy={action.busy}>
              {t('common.save')}
            </Button>
            <Button
              variant="primary"
              busy={action.busy}
              onClick={async () => {
                await action.run(() => api.publishMinutes(workshop.id, false))
                onDone()
              }}
            >
              {t('workshops.minutes.publishMembers')}
            </Button>
            <Button
              busy={action.busy}
              onClick={async () => {
                await action.run(() => api.publishMinutes(workshop.id, true))
                onDone()
              }}
            >
              {t('workshops.minutes.publishPublic')}
            </Button>
          </div>
        </form>
      ) : m.summary ? (
        <p class="minutes-summary">{m.summary}</p>
      ) : null}
      <p>
        {t('workshops.attendanceTotal', { count: m.attendance.total })}:{' '}
        {m.attendance.byGroup.map((g) => `${groupLabel(g.group)} ${g.count}`).join(', ')}
      </p>
      <h4>{t('workshops.minutes.decisions')}</h4>
      <ul>
        {m.decisions.map((d) => (
          <li key={d.id}>{d.body}</li>
        ))}
      </ul>
      <h4>{t('workshops.actionItems')}</h4>
      <ul>
        {m.actions.map((a) => (
          <li key={a.id}>
            {a.body} — {a.owner} · {a.dueDate ?? '—'} ·{' '}
            {t(`workshops.actionStatus.${a.status ?? 'open'}`)}
          </li>
        ))}
      </ul>
      <p>
        <a href={api.minutesUrl(workshop.id, 'docx')} download>
          {t('workshops.minutes.docx')}
        </a>
        {' · '}
        <a href={api.minutesUrl(workshop.id, 'md')} download>
          {t('workshops.minutes.md')}
        </a>
      </p>
    </section>
  )
}
