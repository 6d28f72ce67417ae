import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import {
  CONSULTATION_ACCESS,
  CONSULTATION_LIMITS,
  CONSULTATION_MODERATION,
  CONSULTATION_VISIBILITY,
  SLUG_PATTERN,
  adequacyOf,
  type Adequacy,
  type Consultation,
  type ConsultationAccess,
  type ConsultationModeration,
  type ConsultationVisibility,
  type CreateConsultationBody,
} from '../../../shared/api/consultations'
import type { ProcessDetail } from '../../../shared/api/processes'
import { toApiError, type ApiError } from '../../api/client'
import {
  checkAdequacy,
  createConsultation,
  listVersions,
  updateConsultation,
} from '../../api/consultations'
import { listDocuments } from '../../api/documents'
import { Button } from '../../components/buttons'
import { FormError, fieldErrorsFrom } from '../../components/errors'
import {
  SelectField,
  TextArea,
  TextField,
  focusFirstInvalid,
  type Option,
} from '../../components/fields'
import { Empty, Loading, Notice } from '../../components/status'
import { useResource } from '../../components/use-resource'
import { formatDate, formatNumber, t } from '../../i18n'
import { problems, validateRequired } from '../validation'
import { browserTimeZone, isoToZoned, timeZones, zonedToIso } from './zoned-time'

type Source = 'document' | 'version'

const SLUG = new RegExp(SLUG_PATTERN)

/** A set of radio buttons in a fieldset, each with a label and a hint. */
export function RadioChoices<T extends string>({
  id,
  legend,
  values,
  value,
  onValue,
  label,
  hint,
}: {
  id: string
  legend: string
  values: readonly T[]
  value: T
  onValue: (value: T) => void
  label: (value: T) => string
  hint?: (value: T) => string
}) {
  return (
    <fieldset class="field fieldset" id={id}>
      <legend>{legend}</legend>
      <div class="choice-list">
        {values.map((v) => (
          <label key={v} class="choice" for={`${id}-${v}`}>
            <input
              type="radio"
              id={`${id}-${v}`}
              name={id}
              value={v}
              checked={value === v}
              onChange={() => onValue(v)}
            />
            <span>
              <span class="choice-label">{label(v)}</span>
              {hint ? <span class="choice-hint">{hint(v)}</span> : null}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}

/** "1 day", "3 days": a number of days through the plural rules of the language. */
function daysPhrase(days: number): string {
  return t('consultations.adequacy.days', { count: days, days: formatNumber(days) })
}

/**
 * The minimum as people say it: "one day for every 10 pages" rather than "0.1 days a page"
 * (issue 15, item 8). Rounded to a tenth, so an odd setting still reads.
 */
function pagesPerDay(minimumDaysPerPage: number): number {
  return minimumDaysPerPage > 0 ? Math.round(10 / minimumDaysPerPage) / 10 : 0
}

/** The days, pages and verdict of a window, with the warning when it is too short. */
export function AdequacyView({ adequacy, id }: { adequacy: Adequacy | null; id: string }) {
  return (
    <div id={id} class="adequacy" aria-live="polite">
      {adequacy ? (
        <>
          <ul class="adequacy-facts" role="list">
            <li>
              <span class="fact-label">{t('consultations.adequacy.length')}:</span>{' '}
              {t('consultations.adequacy.words', {
                count: adequacy.words,
                words: formatNumber(adequacy.words),
              })}
              {', '}
              {t('consultations.adequacy.pages', {
                count: adequacy.estimatedPages,
                pages: formatNumber(adequacy.estimatedPages),
              })}
            </li>
            <li>
              <span class="fact-label">{t('consultations.adequacy.window')}:</span>{' '}
              {t('consultations.adequacy.days', {
                count: adequacy.days,
                days: formatNumber(adequacy.days),
              })}
            </li>
          </ul>
          {adequacy.tooShort ? (
            <Notice tone="warning" title={t('consultations.adequacy.tooShortTitle')}>
              <p>
                {t('consultations.adequacy.tooShortBody', {
                  window: daysPhrase(adequacy.days),
                  length: t('consultations.adequacy.pages', {
                    count: adequacy.estimatedPages,
                    pages: formatNumber(adequacy.estimatedPages),
                  }),
                  least: daysPhrase(adequacy.recommendedDays),
                  rule: t('newcomer.adequacyRule', {
                    count: pagesPerDay(adequacy.minimumDaysPerPage),
                  }),
                })}
              </p>
            </Notice>
          ) : adequacy.estimatedPages > 0 ? (
            <p class="adequacy-ok">
              <span aria-hidden="true">✓ </span>
              {t('consultations.adequacy.enough', {
                least: daysPhrase(adequacy.recommendedDays),
              })}
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  )
}

/**
 * The server's per-field problems, translated, keyed by this form's field names: schema
 * problems (`path`), the service's own checks (`field`), and a `field: message` answer.
 */
export function serverFieldErrors(
  error: ApiError,
  languages: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, message] of Object.entries(fieldErrorsFrom(error))) {
    out[languages.includes(name) ? `title-${name}` : name] = message
  }
  const details = Array.isArray(error.details) ? (error.details as unknown[]) : []
  const pairs: [string, string][] = details.flatMap((d) =>
    d && typeof d === 'object' && 'field' in d && typeof d.field === 'string'
      ? [[d.field, 'message' in d && typeof d.message === 'string' ? d.message : '']]
      : [],
  )
  const prefixed = /^(\w+): (.*)$/.exec(error.message)
  if (error.code === 'validation_failed' && prefixed?.[1] && prefixed[2] !== undefined) {
    pairs.push([prefixed[1], prefixed[2]])
  }
  for (const [field, message] of pairs) {
    const name = field === 'title' ? `title-${languages[0] ?? ''}` : field
    if (name in out) {
      continue
    }
    out[name] =
      field === 'closesAt' && /after it opens/.test(message)
        ? t('consultations.form.closesBeforeOpens')
        : field === 'closesAt' && /at most/.test(message)
          ? t('consultations.form.windowTooLong', {
              count: CONSULTATION_LIMITS.windowDaysMax,
            })
          : field === 'closesAt' && /future/.test(message)
            ? t('consultations.form.closesInPast')
            : field === 'title'
              ? t('validation.required')
              : t('validation.invalid')
  }
  if (error.code === 'conflict' && /slug|address/i.test(error.message)) {
    out.slug = t('consultations.form.slugTaken')
  }
  return out
}

/** The first instant of the next hour, and thirty days after it, on the zone's wall clock. */
function defaultWindow(timeZone: string): { opens: string; closes: string } {
  const next = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000)
  const opens = isoToZoned(next.toISOString(), timeZone)
  const closes = isoToZoned(new Date(next.getTime() + 30 * 86_400_000).toISOString(), timeZone)
  return { opens, closes }
}

/**
 * The secretariat's form to open a consultation: the text (freeze a document now, or a
 * version made earlier), the public address, title and introduction per language, the
 * window in a time zone, who may comment, moderation, visibility, and whether to publish now.
 * It shows the text's length against the window as it is filled in.
 */
export function ConsultationForm({
  process,
  minimumDaysPerPage,
  onCreated,
  onCancel,
  editing,
}: {
  process: ProcessDetail
  minimumDaysPerPage: number
  onCreated: (consultation: Consultation) => void
  onCancel: () => void
  /** A draft to change (PATCH): its settings only, since its version stays. */
  editing?: Consultation
}) {
  const documents = useResource(() => listDocuments(process.id), [process.id])
  const zones = useMemo(timeZones, [])
  const [initialZone] = useState(() => editing?.timeZone ?? browserTimeZone())
  const [initialWindow] = useState(() =>
    editing
      ? {
          opens: isoToZoned(editing.opensAt, editing.timeZone),
          closes: isoToZoned(editing.closesAt, editing.timeZone),
        }
      : defaultWindow(initialZone),
  )

  const [source, setSource] = useState<Source>('document')
  const [documentId, setDocumentId] = useState('')
  const [versionName, setVersionName] = useState('')
  const [versionId, setVersionId] = useState('')
  const [slug, setSlug] = useState(editing?.slug ?? '')
  const [titles, setTitles] = useState<Record<string, string>>(editing?.title ?? {})
  const [intros, setIntros] = useState<Record<string, string>>(editing?.introduction ?? {})
  const [opens, setOpens] = useState(initialWindow.opens)
  const [closes, setCloses] = useState(initialWindow.closes)
  // What is typed in the searchable zone field; the window is computed in the last zone
  // that was a real one, so typing half a name never breaks the dates.
  const [zoneText, setZoneText] = useState(initialZone)
  const zoneKnown = zones.includes(zoneText)
  const [timeZone, setTimeZone] = useState(initialZone)
  useEffect(() => {
    if (zoneKnown) {
      setTimeZone(zoneText)
    }
  }, [zoneText, zoneKnown])
  const [access, setAccess] = useState<ConsultationAccess>(editing?.access ?? 'anonymous')
  const [moderation, setModeration] = useState<ConsultationModeration>(
    editing?.moderation ?? 'after',
  )
  const [visibility, setVisibility] = useState<ConsultationVisibility>(
    editing?.visibility ?? 'immediately',
  )
  const [showMemberThreads, setShowMemberThreads] = useState(editing?.showMemberThreads ?? false)
  const [publish, setPublish] = useState(false)

  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  // The first document is the usual choice.
  useEffect(() => {
    const first = documents.data?.[0]
    if (!documentId && first) {
      setDocumentId(first.id)
    }
  }, [documents.data])

  const versions = useResource(
    () => (documentId ? listVersions(documentId) : Promise.resolve([])),
    [documentId],
  )
  useEffect(() => {
    const list = versions.data ?? []
    if (!list.some((v) => v.id === versionId)) {
      setVersionId(list[list.length - 1]?.id ?? '')
    }
  }, [versions.data])

  const opensAt = zonedToIso(opens, timeZone)
  const closesAt = zonedToIso(closes, timeZone)
  const version = versions.data?.find((v) => v.id === versionId)

  // A version's length is known here; a document's current length is the server's to count.
  const [serverAdequacy, setServerAdequacy] = useState<Adequacy | null>(null)
  const windowValid = opensAt !== null && closesAt !== null && closesAt > opensAt
  useEffect(() => {
    setServerAdequacy(null)
    if (editing || source !== 'document' || !documentId || !windowValid) {
      return
    }
    const controller = new AbortController()
    const timer = window.setTimeout(() => {
      checkAdequacy(
        process.id,
        { documentId, opensAt: opensAt ?? '', closesAt: closesAt ?? '' },
        controller.signal,
      )
        .then(setServerAdequacy)
        .catch(() => setServerAdequacy(null))
    }, 250)
    return () => {
      window.clearTimeout(timer)
      controller.abort()
    }
  }, [source, documentId, opensAt, closesAt])

  const adequacy: Adequacy | null = editing
    ? windowValid
      ? adequacyOf(
          editing.adequacy.words,
          editing.adequacy.estimatedPages,
          new Date(opensAt ?? ''),
          new Date(closesAt ?? ''),
          minimumDaysPerPage,
        )
      : null
    : source === 'version'
      ? version && windowValid
        ? adequacyOf(
            version.words,
            version.estimatedPages,
            new Date(opensAt ?? ''),
            new Date(closesAt ?? ''),
            minimumDaysPerPage,
          )
        : null
      : serverAdequacy

  function validate(): Record<string, string> {
    const found: Record<string, string | null> = {
      documentId: editing || documentId ? null : t('consultations.form.chooseDocument'),
      versionName: !editing && source === 'document' ? validateRequired(versionName) : null,
      versionId:
        !editing && source === 'version' && !versionId
          ? t('consultations.form.chooseVersion')
          : null,
      slug: !slug.trim()
        ? t('validation.required')
        : slug.length < 2 || !SLUG.test(slug)
          ? t('consultations.form.slugInvalid')
          : null,
      timeZone: zoneKnown ? null : t('newcomer.timeZoneUnknown'),
      opensAt: opensAt ? null : t('consultations.form.dateInvalid'),
      closesAt: !closesAt
        ? t('consultations.form.dateInvalid')
        : opensAt && closesAt <= opensAt
          ? t('consultations.form.closesBeforeOpens')
          : opensAt &&
              Date.parse(closesAt) - Date.parse(opensAt) >
                CONSULTATION_LIMITS.windowDaysMax * 86_400_000
            ? t('consultations.form.windowTooLong', { count: CONSULTATION_LIMITS.windowDaysMax })
            : null,
    }
    for (const language of process.languages) {
      found[`title-${language}`] = validateRequired(titles[language] ?? '')
    }
    return problems(found)
  }

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const found = validate()
    setErrors(found)
    setError(null)
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    const title: Record<string, string> = {}
    const introduction: Record<string, string> = {}
    for (const language of process.languages) {
      title[language] = (titles[language] ?? '').trim()
      introduction[language] = (intros[language] ?? '').trim()
    }
    const settings = {
      slug: slug.trim(),
      title,
      introduction,
      opensAt: opensAt ?? '',
      closesAt: closesAt ?? '',
      timeZone,
      access,
      moderation,
      visibility,
      showMemberThreads,
    }
    const body: CreateConsultationBody = {
      ...(source === 'document' ? { documentId, versionName: versionName.trim() } : { versionId }),
      ...settings,
      publish,
    }
    setBusy(true)
    try {
      onCreated(
        editing
          ? await updateConsultation(editing.id, settings)
          : await createConsultation(process.id, body),
      )
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      const mapped = serverFieldErrors(apiError, process.languages)
      setErrors(mapped)
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
    } finally {
      setBusy(false)
    }
  }

  if (documents.loading && !documents.data) {
    return <Loading />
  }
  if (documents.error) {
    return <FormError id="consultation-documents-error" error={documents.error} />
  }
  if (!documents.data?.length) {
    return <Empty>{t('consultations.form.noDocuments')}</Empty>
  }

  const documentOptions: Option[] = documents.data.map((d) => ({ value: d.id, label: d.title }))
  const versionOptions: Option[] = (versions.data ?? []).map((v) => ({
    value: v.id,
    label: t('consultations.form.versionOption', {
      number: v.number,
      name: v.name,
      date: formatDate(v.createdAt),
    }),
  }))
  const zoneListId = 'consultation-time-zones'
  const multilingual = process.languages.length > 1

  return (
    <form
      ref={formRef}
      class="panel stack consultation-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={editing ? 'consultation-form-heading' : 'section-heading'}
    >
      {editing ? <h3 id="consultation-form-heading">{t('consultations.form.editTitle')}</h3> : null}
      <p class="panel-intro">
        {editing ? t('consultations.form.editLead') : t('consultations.form.lead')}
      </p>
      <FormError id="consultation-form-error" error={error} />

      {editing ? null : (
        <fieldset class="form-section">
          <legend>{t('consultations.form.textLegend')}</legend>
          <SelectField
            id="consultation-document"
            label={t('consultations.form.document')}
            value={documentId}
            options={documentOptions}
            onValue={(v) => {
              setDocumentId(v)
              setVersionId('')
            }}
            error={errors.documentId}
          />
          <RadioChoices<Source>
            id="consultation-source"
            legend={t('consultations.form.source')}
            values={['document', 'version']}
            value={source}
            onValue={setSource}
            label={(v) => t(`consultations.form.sources.${v}`)}
            hint={(v) => t(`consultations.form.sourceHints.${v}`)}
          />
          {source === 'document' ? (
            <TextField
              id="consultation-version-name"
              label={t('consultations.form.versionName')}
              hint={t('consultations.form.versionNameHint')}
              maxLength={200}
              value={versionName}
              onValue={setVersionName}
              error={errors.versionName}
              required
            />
          ) : versions.loading && !versions.data ? (
            <Loading />
          ) : versionOptions.length ? (
            <SelectField
              id="consultation-version"
              label={t('consultations.form.version')}
              value={versionId}
              options={versionOptions}
              onValue={setVersionId}
              error={errors.versionId}
            />
          ) : (
            <p class="field-error" id="consultation-version-error">
              {t('consultations.form.noVersions')}
            </p>
          )}
        </fieldset>
      )}

      <fieldset class="form-section">
        <legend>{t('consultations.form.publicLegend')}</legend>
        <TextField
          id="consultation-slug"
          label={t('consultations.form.slug')}
          hint={t('consultations.form.slugHint', {
            url: `${window.location.origin}/c/${slug || '…'}`,
          })}
          maxLength={CONSULTATION_LIMITS.slugMax}
          autoComplete="off"
          spellcheck={false}
          value={slug}
          onValue={(v) => setSlug(v.toLowerCase())}
          error={errors.slug}
          required
        />
        {process.languages.map((language) => (
          <div key={language} class="language-block">
            <TextField
              id={`consultation-title-${language}`}
              label={
                multilingual
                  ? t('consultations.form.titleIn', { language: t(`languages.${language}`) })
                  : t('consultations.form.titleField')
              }
              maxLength={CONSULTATION_LIMITS.titleMax}
              value={titles[language] ?? ''}
              onValue={(v) => setTitles({ ...titles, [language]: v })}
              error={errors[`title-${language}`]}
              lang={language}
              required
            />
            <TextArea
              id={`consultation-introduction-${language}`}
              label={
                multilingual
                  ? t('consultations.form.introductionIn', {
                      language: t(`languages.${language}`),
                    })
                  : t('consultations.form.introductionField')
              }
              optional
              rows={4}
              maxLength={CONSULTATION_LIMITS.introductionMax}
              value={intros[language] ?? ''}
              onValue={(v) => setIntros({ ...intros, [language]: v })}
              lang={language}
            />
          </div>
        ))}
      </fieldset>

      <fieldset class="form-section">
        <legend>{t('consultations.form.windowLegend')}</legend>
        <div class="form-grid">
          <TextField
            id="consultation-opens"
            label={t('consultations.form.opensAt')}
            type="datetime-local"
            value={opens}
            onValue={setOpens}
            error={errors.opensAt}
            required
          />
          <TextField
            id="consultation-closes"
            label={t('consultations.form.closesAt')}
            type="datetime-local"
            value={closes}
            onValue={setCloses}
            error={errors.closesAt}
            required
          />
        </div>
        {/* A text field with the zones as suggestions: typing "bogo" finds America/Bogota
            among some 400 names (issue 15, item 9). It starts at the browser's zone. */}
        <TextField
          id="consultation-time-zone"
          label={t('consultations.form.timeZone')}
          hint={`${t('consultations.form.timeZoneHint')} ${t('newcomer.timeZoneSearch')}`}
          value={zoneText}
          onValue={setZoneText}
          list={zoneListId}
          autoComplete="off"
          spellcheck={false}
          required
          error={errors.timeZone}
        />
        <datalist id={zoneListId}>
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <AdequacyView id="consultation-adequacy" adequacy={adequacy} />
      </fieldset>

      <fieldset class="form-section">
        <legend>{t('consultations.form.rulesLegend')}</legend>
        <RadioChoices
          id="consultation-access"
          legend={t('consultations.form.access')}
          values={CONSULTATION_ACCESS}
          value={access}
          onValue={setAccess}
          label={(v) => t(`consultations.access.${v}`)}
          hint={(v) => t(`consultations.accessHints.${v}`)}
        />
        <RadioChoices
          id="consultation-moderation"
          legend={t('consultations.form.moderation')}
          values={CONSULTATION_MODERATION}
          value={moderation}
          onValue={setModeration}
          label={(v) => t(`consultations.moderation.${v}`)}
          hint={(v) => t(`consultations.moderationHints.${v}`)}
        />
        <RadioChoices
          id="consultation-visibility"
          legend={t('consultations.form.visibility')}
          values={CONSULTATION_VISIBILITY}
          value={visibility}
          onValue={setVisibility}
          label={(v) => t(`consultations.visibility.${v}`)}
        />
        <label class="checkbox" for="consultation-member-threads">
          <input
            type="checkbox"
            id="consultation-member-threads"
            checked={showMemberThreads}
            onChange={(e) => setShowMemberThreads(e.currentTarget.checked)}
          />
          <span>{t('consultations.form.showMemberThreads')}</span>
        </label>
      </fieldset>

      {editing ? null : (
        <label class="checkbox" for="consultation-publish">
          <input
            type="checkbox"
            id="consultation-publish"
            checked={publish}
            onChange={(e) => setPublish(e.currentTarget.checked)}
          />
          <span>{t('consultations.form.publishNow')}</span>
        </label>
      )}

      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {editing
            ? t('consultations.form.submitEdit')
            : publish
              ? t('consultations.form.submitPublish')
              : t('consultations.form.submitDraft')}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  )
}
