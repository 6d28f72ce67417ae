import '../../styles/consultations.css'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import {
  CONSULTATION_LIMITS,
  DISPOSITIONS,
  type Disposition,
  type ThreadAnswer,
} from '../../../shared/api/consultations'
import type { Thread, ThreadSummary } from '../../../shared/api/threads'
import { toApiError, type ApiError } from '../../api/client'
import { answerThread, listVersions } from '../../api/consultations'
import { formatDateTime, formatNumber, language, t } from '../../i18n'
import { Button } from '../buttons'
import { FormError, fieldErrorsFrom } from '../errors'
import { SelectField, TextArea, focusFirstInvalid, type Option } from '../fields'
import { Link } from '../link'
import { useResource } from '../use-resource'
import { RichText } from './rich-text'

// The title in the interface's language, else in any language it has.
const titleOf = (texts: Record<string, string>) =>
  texts[language.value] || Object.values(texts).find(Boolean) || ''

/** Where a thread from a consultation came from, and how many identical submissions it holds. */
export function ThreadOriginLine({ thread }: { thread: ThreadSummary }) {
  const origin = thread.origin
  if (!origin) {
    return null
  }
  return (
    <p class="thread-origin">
      {t('consultations.thread.from')}{' '}
      <Link
        href={`/processes/${encodeURIComponent(thread.processId)}/consultations/${encodeURIComponent(origin.consultationId)}`}
      >
        {titleOf(origin.consultationTitle) || `/c/${origin.consultationSlug}`}
      </Link>
    </p>
  )
}

/**
 * Where a workshop thread comes from (issue 13, item 5): a link to the workshop, and who recorded
 * it when a facilitator did so on an attendee's behalf.
 */
export function ThreadWorkshopLine({ thread }: { thread: ThreadSummary }) {
  const workshop = thread.workshop
  if (!workshop) {
    return null
  }
  return (
    <p class="thread-origin thread-workshop">
      {t('threads.workshop.from')}{' '}
      <Link
        href={`/processes/${encodeURIComponent(thread.processId)}/workshops/${encodeURIComponent(workshop.workshopId)}`}
      >
        {workshop.workshopTitle}
      </Link>
      {workshop.recordedBy ? (
        <span class="recorded-by">
          {' '}
          · {t('threads.workshop.recordedBy', { name: workshop.recordedBy })}
        </span>
      ) : null}
    </p>
  )
}

/** The "N identical submissions" badge of a campaign thread. */
export function CampaignBadge({ thread }: { thread: ThreadSummary }) {
  const count = thread.origin?.submissions ?? 1
  if (count <= 1) {
    return null
  }
  return (
    <span class="badge badge-campaign">
      {t('consultations.thread.identical', { count, formatted: formatNumber(count) })}
    </span>
  )
}

/** The secretariat's disposition and public answer on a thread. */
export function ThreadAnswerView({ answer, number }: { answer: ThreadAnswer; number: number }) {
  return (
    <div
      class="thread-answer"
      role="group"
      aria-label={t('consultations.thread.answerLabel', { number })}
    >
      <p class="thread-answer-head">
        <span>{t('consultations.thread.answer')}</span>
        <span class={`badge disposition disposition-${answer.disposition}`}>
          {t(`consultations.dispositions.${answer.disposition}`)}
        </span>
      </p>
      <RichText text={answer.answer} class="thread-answer-text" />
      {answer.versionName || answer.sectionTitle ? (
        <p class="thread-answer-where">
          {t('consultations.thread.changedIn')}{' '}
          {[answer.versionName, answer.sectionTitle].filter(Boolean).join(' · ')}
        </p>
      ) : null}
      <p class="thread-answer-by">
        {t('consultations.thread.answeredBy', { name: answer.by, at: formatDateTime(answer.at) })}
      </p>
    </div>
  )
}

/**
 * The secretariat's answer form: a disposition, the public answer, and optionally the version
 * and section where the change was made. It records a new answer or changes the one there.
 */
export function AnswerForm({
  thread,
  onSaved,
  onCancel,
}: {
  thread: ThreadSummary
  onSaved: (thread: Thread) => void
  onCancel: () => void
}) {
  const id = useId()
  const current = thread.answer
  const [disposition, setDisposition] = useState<Disposition | ''>(current?.disposition ?? '')
  const [answer, setAnswer] = useState(current?.answer ?? '')
  const [versionId, setVersionId] = useState(current?.versionId ?? '')
  const [sectionId, setSectionId] = useState(current?.sectionId ?? '')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const versions = useResource(() => listVersions(thread.documentId), [thread.documentId])

  useEffect(() => {
    formRef.current?.querySelector('select')?.focus()
  }, [])

  const version = versions.data?.find((v) => v.id === versionId)
  const versionOptions: Option[] = [
    { value: '', label: t('consultations.answerForm.noVersion') },
    ...(versions.data ?? []).map((v) => ({
      value: v.id,
      label: t('consultations.versionLabel', { number: v.number, name: v.name }),
    })),
  ]
  const sectionOptions: Option[] = [
    { value: '', label: t('consultations.answerForm.noSection') },
    ...(version?.sections ?? [])
      .filter((s): s is typeof s & { id: string } => s.id !== null)
      .map((s) => ({ value: s.id, label: `${'– '.repeat(s.level - 1)}${s.title}` })),
  ]

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const found: Record<string, string> = {}
    if (!disposition) {
      found.disposition = t('consultations.answerForm.chooseDisposition')
    }
    if (!answer.trim()) {
      found.answer = t('validation.required')
    }
    setErrors(found)
    setError(null)
    if (Object.keys(found).length || !disposition) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      const fresh = await answerThread(thread.id, {
        disposition,
        answer: answer.trim(),
        versionId: versionId || null,
        sectionId: versionId && sectionId ? sectionId : null,
      })
      onSaved(fresh)
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setErrors(fieldErrorsFrom(apiError))
      setBusy(false)
    }
  }

  return (
    <form
      ref={formRef}
      class="answer-form"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          onCancel()
        }
      }}
      noValidate
      aria-label={t('consultations.answerForm.label', { number: thread.number })}
    >
      <FormError id={`${id}-error`} error={error} />
      <SelectField
        id={`${id}-disposition`}
        label={t('consultations.answerForm.disposition')}
        value={disposition}
        options={[
          { value: '', label: t('consultations.answerForm.choose') },
          ...DISPOSITIONS.map((d) => ({ value: d, label: t(`consultations.dispositions.${d}`) })),
        ]}
        onValue={(v) =>
          setDisposition((DISPOSITIONS as readonly string[]).includes(v) ? (v as Disposition) : '')
        }
        error={errors.disposition}
      />
      <TextArea
        id={`${id}-answer`}
        label={t('consultations.answerForm.answer')}
        hint={t('consultations.answerForm.answerHint')}
        rows={4}
        maxLength={CONSULTATION_LIMITS.answerMax}
        value={answer}
        onValue={setAnswer}
        error={errors.answer}
        required
      />
      <div class="form-grid">
        <SelectField
          id={`${id}-version`}
          label={t('consultations.answerForm.version')}
          optional
          value={versionId}
          options={versionOptions}
          onValue={(v) => {
            setVersionId(v)
            setSectionId('')
          }}
          error={errors.versionId}
        />
        <SelectField
          id={`${id}-section`}
          label={t('consultations.answerForm.section')}
          optional
          value={sectionId}
          options={sectionOptions}
          disabled={!versionId}
          onValue={setSectionId}
          error={errors.sectionId}
        />
      </div>
      <div class="form-actions">
        <Button type="submit" variant="primary" small busy={busy}>
          {current ? t('consultations.answerForm.update') : t('consultations.answerForm.save')}
        </Button>
        <Button small variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  )
}
