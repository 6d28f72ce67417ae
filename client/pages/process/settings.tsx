import { useRef, useState } from 'preact/hooks'
import type { ProcessDetail } from '../../../shared/api/processes'
import { LIMITS, type Language } from '../../../shared/limits'
import { toApiError, type ApiError } from '../../api/client'
import { setArchived, updateProcess } from '../../api/processes'
import { Button, ConfirmButton } from '../../components/buttons'
import { FormError, errorText, fieldErrorsFrom } from '../../components/errors'
import { TextArea, TextField, focusFirstInvalid } from '../../components/fields'
import { RouteHeading } from '../../components/page'
import { Notice } from '../../components/status'
import { t } from '../../i18n'
import { allows, replaceProcess } from '../../state/process'
import { LanguagesField, languageProblems, languagesWithMainFirst } from '../processes'
import { problems, validateRequired } from '../validation'

export function SettingsSection({ process }: { process: ProcessDetail }) {
  return (
    <section aria-labelledby="section-heading">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {t('process.sections.settings')}
        </RouteHeading>
      </div>
      {allows('process.update') ? <DetailsForm process={process} /> : null}
      {allows('process.archive') ? <ArchivePanel process={process} /> : null}
    </section>
  )
}

function DetailsForm({ process }: { process: ProcessDetail }) {
  const [title, setTitle] = useState(process.title)
  const [description, setDescription] = useState(process.description)
  const [languages, setLanguages] = useState<string[]>([...process.languages])
  const [mainLanguage, setMainLanguage] = useState<string | null>(process.languages[0] ?? null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const found = problems({
      title: validateRequired(title),
      ...languageProblems(languages, mainLanguage),
    })
    setErrors(found)
    setError(null)
    setSaved(false)
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      const detail = await updateProcess(process.id, {
        title: title.trim(),
        description: description.trim(),
        languages: languagesWithMainFirst(languages, mainLanguage) as Language[],
      })
      replaceProcess(detail)
      setSaved(true)
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setErrors(fieldErrorsFrom(apiError))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      class="panel stack"
      aria-labelledby="details-heading"
    >
      <h3 id="details-heading">{t('process.settings.detailsTitle')}</h3>
      <FormError id="settings-error" error={error} />
      <TextField
        id="settings-title"
        label={t('fields.processTitle')}
        maxLength={LIMITS.processTitleMax}
        value={title}
        onValue={(v) => {
          setTitle(v)
          setSaved(false)
        }}
        error={errors.title}
        required
      />
      <TextArea
        id="settings-description"
        label={t('fields.description')}
        optional
        rows={5}
        maxLength={LIMITS.processDescriptionMax}
        value={description}
        onValue={(v) => {
          setDescription(v)
          setSaved(false)
        }}
        error={errors.description}
      />
      <LanguagesField
        id="settings-languages"
        values={languages}
        main={mainLanguage}
        onChange={(values, main) => {
          setLanguages(values)
          setMainLanguage(main)
          setSaved(false)
        }}
        error={errors.languages}
        mainError={errors.mainLanguage}
      />
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {t('process.settings.save')}
        </Button>
        <span role="status" class="inline-status">
          {saved ? (
            <>
              <span aria-hidden="true">✓ </span>
              {t('process.settings.saved')}
            </>
          ) : null}
        </span>
      </div>
    </form>
  )
}

function ArchivePanel({ process }: { process: ProcessDetail }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function toggle(archived: boolean) {
    setError(null)
    setBusy(true)
    try {
      replaceProcess(await setArchived(process.id, archived))
    } catch (e) {
      setError(errorText(toApiError(e)))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div
      class={['panel', process.archived ? '' : 'panel-danger'].filter(Boolean).join(' ')}
      aria-labelledby="archive-heading"
      role="group"
    >
      <h3 id="archive-heading">
        {process.archived
          ? t('process.settings.unarchiveTitle')
          : t('process.settings.archiveTitle')}
      </h3>
      <p>
        {process.archived ? t('process.settings.unarchiveBody') : t('process.settings.archiveBody')}
      </p>
      {error ? <FormError id="archive-error" error={null} message={error} /> : null}
      {process.archived ? (
        <Button variant="primary" busy={busy} onClick={() => void toggle(false)}>
          {t('process.settings.unarchive')}
        </Button>
      ) : (
        <ConfirmButton
          small={false}
          label={t('process.settings.archive')}
          question={t('process.settings.archiveQuestion')}
          confirmLabel={t('process.settings.archiveConfirm')}
          onConfirm={() => toggle(true)}
        />
      )}
      {process.archived ? (
        <Notice tone="info" live>
          {t('process.settings.archivedNow')}
        </Notice>
      ) : null}
    </div>
  )
}
