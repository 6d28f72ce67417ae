import { useRef, useState } from 'preact/hooks'
import type { ProcessSummary } from '../../shared/api/processes'
import { LANGUAGES, LIMITS, type Language } from '../../shared/limits'
import { toApiError, type ApiError } from '../api/client'
import { createProcess, listProcesses } from '../api/processes'
import { Button } from '../components/buttons'
import { FormError, fieldErrorsFrom } from '../components/errors'
import { CheckboxGroup, SelectField, TextArea, TextField, focusFirstInvalid } from '../components/fields'
import { Link } from '../components/link'
import { RouteHeading, usePageTitle } from '../components/page'
import { Empty, Loading } from '../components/status'
import { useResource } from '../components/use-resource'
import { formatNumber, t } from '../i18n'
import { navigate } from '../router'
import { currentUser } from '../state/session'
import { problems, validateRequired } from './validation'

export function ProcessListPage() {
  const title = t('processes.title')
  usePageTitle(title)
  const user = currentUser.value
  const processes = useResource(listProcesses, [])
  const [creating, setCreating] = useState(false)
  const newButton = useRef<HTMLButtonElement>(null)

  const active = (processes.data ?? []).filter((p) => !p.archived)
  const archived = (processes.data ?? []).filter((p) => p.archived)

  return (
    <div class="container page">
      <div class="page-header">
        <div>
          <RouteHeading>{title}</RouteHeading>
          <p class="page-lead">{t('processes.lead')}</p>
        </div>
        {user?.isAdmin ? (
          <Button
            buttonRef={newButton}
            variant={creating ? 'secondary' : 'primary'}
            onClick={() => setCreating(!creating)}
            aria-expanded={creating}
            aria-controls="new-process"
          >
            <span aria-hidden="true">{creating ? '− ' : '+ '}</span>
            {t('processes.new')}
          </Button>
        ) : null}
      </div>

      {user?.isAdmin && creating ? (
        <NewProcessForm
          onCancel={() => {
            setCreating(false)
            newButton.current?.focus()
          }}
        />
      ) : null}

      {processes.loading && !processes.data ? <Loading /> : null}
      {processes.error ? <FormError id="processes-error" error={processes.error} /> : null}

      {processes.data ? (
        <>
          <section aria-labelledby="active-heading" class="section">
            <h2 id="active-heading" class="visually-hidden">
              {t('processes.active')}
            </h2>
            {active.length ? (
              <ul class="card-grid" role="list">
                {active.map((p) => (
                  <ProcessCard key={p.id} process={p} />
                ))}
              </ul>
            ) : (
              <Empty>{user?.isAdmin ? t('processes.emptyAdmin') : t('processes.empty')}</Empty>
            )}
          </section>
          {archived.length ? (
            <section aria-labelledby="archived-heading" class="section">
              <h2 id="archived-heading">{t('processes.archived')}</h2>
              <ul class="card-grid" role="list">
                {archived.map((p) => (
                  <ProcessCard key={p.id} process={p} />
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  )
}

function ProcessCard({ process }: { process: ProcessSummary }) {
  const headingId = `process-${process.id}`
  return (
    <li
      class={['card', 'process-card', process.archived ? 'is-archived' : '']
        .filter(Boolean)
        .join(' ')}
    >
      <div class="process-card-top">
        <span class={`stage stage-${process.stage}`}>{t(`stages.${process.stage}`)}</span>
        {process.archived ? (
          <span class="badge badge-muted">{t('processes.archivedBadge')}</span>
        ) : null}
      </div>
      <h3 id={headingId} class="process-card-title">
        {/* The title link covers the whole card (see .card-link::after), one tab stop per card. */}
        <Link href={`/processes/${encodeURIComponent(process.id)}`} class="card-link">
          {process.title}
        </Link>
      </h3>
      {process.description ? <p class="process-card-description">{process.description}</p> : null}
      <dl class="process-card-meta">
        <div>
          <dt>{t('processes.yourRole')}</dt>
          <dd>{t(`roles.${process.myRole}`)}</dd>
        </div>
        <div>
          <dt>{t('processes.members')}</dt>
          <dd>{formatNumber(process.memberCount)}</dd>
        </div>
        <div>
          <dt>{t('processes.documents')}</dt>
          <dd>{formatNumber(process.documentCount)}</dd>
        </div>
        <div>
          <dt>{t('processes.languages')}</dt>
          <dd>{process.languages.map((l) => t(`languages.${l}`)).join(', ')}</dd>
        </div>
      </dl>
    </li>
  )
}

/**
 * The languages a process publishes in, and which of them is the main one. The main
 * language is chosen in a field of its own once two or more are ticked, never inferred from
 * the order of ticking, which a pre-ticked box made impossible to follow (issue 15, item 9).
 * `main` is null until chosen; with one language ticked, that one is the main language.
 */
export function LanguagesField({
  id,
  values,
  main,
  onChange,
  error,
  mainError,
}: {
  id: string
  values: string[]
  main: string | null
  onChange: (values: string[], main: string | null) => void
  error?: string | undefined
  mainError?: string | undefined
}) {
  return (
    <>
      <CheckboxGroup
        id={id}
        legend={t('fields.languages')}
        hint={
          <>
            {t('processes.languagesHint')}{' '}
            {values.length === 1 ? (
              <strong>{t('processes.mainLanguage', { language: t(`languages.${values[0]!}`) })}</strong>
            ) : null}
          </>
        }
        options={LANGUAGES.map((code) => ({ value: code, label: t(`languages.${code}`) }))}
        values={values}
        onValues={(next) => onChange(next, main !== null && next.includes(main) ? main : null)}
        error={error}
      />
      {values.length > 1 ? (
        <SelectField
          id={`${id}-main`}
          label={t('newcomer.mainLanguage')}
          hint={t('newcomer.mainLanguageHint')}
          value={main ?? ''}
          options={[
            { value: '', label: t('newcomer.mainLanguageChoose') },
            ...values.map((code) => ({ value: code, label: t(`languages.${code}`) })),
          ]}
          onValue={(value) => onChange(values, value === '' ? null : value)}
          error={mainError}
        />
      ) : null}
    </>
  )
}

/** The languages in the order the API takes them: the main one first. */
export function languagesWithMainFirst(values: string[], main: string | null): string[] {
  const first = values.length === 1 ? values[0]! : main
  return first === null || first === undefined ? values : [first, ...values.filter((v) => v !== first)]
}

/** The problem with a language choice, if any: none ticked, or no main one among several. */
export function languageProblems(values: string[], main: string | null) {
  return {
    languages: values.length ? null : t('validation.chooseLanguage'),
    mainLanguage: values.length > 1 && (main === null || !values.includes(main)) ? t('newcomer.chooseMainLanguage') : null,
  }
}

function NewProcessForm({ onCancel }: { onCancel: () => void }) {
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  // Nothing is ticked for the creator: the languages, and which is main, are their choice.
  const [languages, setLanguages] = useState<string[]>([])
  const [mainLanguage, setMainLanguage] = useState<string | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
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
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      const created = await createProcess({
        title: title.trim(),
        description: description.trim(),
        languages: languagesWithMainFirst(languages, mainLanguage) as Language[],
      })
      navigate(`/processes/${encodeURIComponent(created.id)}`)
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setErrors(fieldErrorsFrom(apiError))
      setBusy(false)
    }
  }

  return (
    <section id="new-process" class="panel" aria-labelledby="new-process-heading">
      <h2 id="new-process-heading">{t('processes.newTitle')}</h2>
      <form ref={formRef} onSubmit={submit} noValidate class="stack">
        <FormError id="new-process-error" error={error} />
        <TextField
          id="process-title"
          label={t('fields.processTitle')}
          hint={t('processes.titleHint')}
          maxLength={LIMITS.processTitleMax}
          value={title}
          onValue={setTitle}
          error={errors.title}
          required
          autoFocus
        />
        <TextArea
          id="process-description"
          label={t('fields.description')}
          optional
          rows={4}
          maxLength={LIMITS.processDescriptionMax}
          value={description}
          onValue={setDescription}
          error={errors.description}
        />
        <LanguagesField
          id="process-languages"
          values={languages}
          main={mainLanguage}
          onChange={(values, main) => {
            setLanguages(values)
            setMainLanguage(main)
          }}
          error={errors.languages}
          mainError={errors.mainLanguage}
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('processes.create')}
          </Button>
          <Button variant="ghost" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </section>
  )
}
