import { useEffect, useRef, useState } from 'preact/hooks'
import type { ProcessDetail } from '../../../shared/api/processes'
import { LIMITS, type Language } from '../../../shared/limits'
import { toApiError, type ApiError } from '../../api/client'
import { fetchPublicHome, savePublicHome, setArchived, updateProcess } from '../../api/processes'
import type { PublicHome } from '../../../shared/api/public-home'
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
      {allows('process.update') ? <PublicHomePanel process={process} /> : null}
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

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** The public record at /p/:slug (issue 14, item 7): off by default, turned on here. */
function PublicHomePanel({ process }: { process: ProcessDetail }) {
  const [home, setHome] = useState<PublicHome | null>(null)
  const [enabled, setEnabled] = useState(false)
  const [slug, setSlug] = useState('')
  const [slugError, setSlugError] = useState<string | undefined>(undefined)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let live = true
    fetchPublicHome(process.id).then(
      (found) => {
        if (live) {
          setHome(found)
          setEnabled(found.enabled)
          setSlug(found.slug ?? '')
        }
      },
      (e: unknown) => live && setError(toApiError(e)),
    )
    return () => {
      live = false
    }
  }, [process.id])

  async function submit(event: Event) {
    event.preventDefault()
    const value = slug.trim()
    const problem =
      value === '' ? t('validation.required') : value.length < 2 || value.length > 60 || !SLUG.test(value) ? t('process.settings.publicHomeSlugHint') : undefined
    setSlugError(problem)
    setError(null)
    if (problem) {
      document.getElementById('public-home-slug')?.focus()
      return
    }
    setBusy(true)
    try {
      setHome(await savePublicHome(process.id, { enabled, slug: value }))
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setSlugError(fieldErrorsFrom(apiError).slug)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={submit} noValidate class="panel stack" aria-labelledby="public-home-heading">
      <h3 id="public-home-heading">{t('process.settings.publicHomeTitle')}</h3>
      <p>{t('process.settings.publicHomeBody')}</p>
      <FormError id="public-home-error" error={error} />
      <label class="checkbox" for="public-home-enabled">
        <input
          type="checkbox"
          id="public-home-enabled"
          checked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
        />
        <span>{t('process.settings.publicHomeEnabled')}</span>
      </label>
      <TextField
        id="public-home-slug"
        label={t('process.settings.publicHomeSlug')}
        hint={t('process.settings.publicHomeSlugHint')}
        maxLength={60}
        value={slug}
        onValue={setSlug}
        error={slugError}
        required
      />
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {t('process.settings.publicHomeSave')}
        </Button>
        <span role="status" class="inline-status">
          {home === null ? null : home.path ? (
            <>
              {t('process.settings.publicHomeOn')} <a href={home.path}>{home.path}</a>
            </>
          ) : (
            t('process.settings.publicHomeOff')
          )}
        </span>
      </div>
    </form>
  )
}
