import { useId, useRef, useState } from 'preact/hooks'
import type { DocumentTemplate, ImportFormat } from '../../../shared/api/documents'
import type { ProcessDetail } from '../../../shared/api/processes'
import { LIMITS, type Language } from '../../../shared/limits'
import { toApiError, type ApiError } from '../../api/client'
import { IMPORT_SIZES, createDocument, importDocument, listDocuments } from '../../api/documents'
import { Button } from '../../components/buttons'
import { FormError, fieldErrorsFrom } from '../../components/errors'
import { SelectField, TextField, focusFirstInvalid } from '../../components/fields'
import { Link } from '../../components/link'
import { RouteHeading } from '../../components/page'
import { Empty, Loading, Notice } from '../../components/status'
import { useResource } from '../../components/use-resource'
import { formatDateTime, t } from '../../i18n'
import { navigate } from '../../router'
import { allows, loadProcess } from '../../state/process'
import { validateRequired } from '../validation'

/** The title of a document deleted from its page, passed along in the history entry. */
function deletedFromHistory(): string | null {
  const state: unknown = window.history.state
  if (state && typeof state === 'object' && 'deletedDocument' in state) {
    return typeof state.deletedDocument === 'string' ? state.deletedDocument : null
  }
  return null
}

export function DocumentsSection({ process }: { process: ProcessDetail }) {
  const documents = useResource(() => listDocuments(process.id), [process.id])
  const [created, setCreated] = useState<{ id: string; title: string } | null>(null)
  const [deleted] = useState(deletedFromHistory)

  return (
    <section aria-labelledby="section-heading">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {t('process.sections.documents')}
        </RouteHeading>
      </div>
      {deleted && !created ? (
        <Notice tone="success" live>
          {t('process.documents.deleted', { title: deleted })}
        </Notice>
      ) : null}
      {created ? (
        <Notice tone="success" live>
          {t('process.documents.created', { title: created.title })}{' '}
          <Link
            href={`/documents/${encodeURIComponent(created.id)}`}
            state={{ processId: process.id }}
          >
            {t('process.documents.open', { title: created.title })}
          </Link>
        </Notice>
      ) : null}
      {documents.loading && !documents.data ? <Loading /> : null}
      {documents.error ? <FormError id="documents-error" error={documents.error} /> : null}
      {documents.data ? (
        documents.data.length ? (
          <ul class="doc-list" role="list">
            {documents.data.map((doc) => (
              <li key={doc.id} class="doc-item">
                <span class="doc-icon" aria-hidden="true" />
                <div class="doc-body">
                  <Link
                    href={`/documents/${encodeURIComponent(doc.id)}`}
                    state={{ processId: process.id }}
                    class="doc-title"
                  >
                    {doc.title}
                  </Link>
                  <p class="doc-meta">
                    {t('process.documents.updated', { date: formatDateTime(doc.updatedAt) })}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>
            {allows('documents.create')
              ? t('process.documents.emptyCreate')
              : t('process.documents.empty')}
          </Empty>
        )
      ) : null}

      {allows('documents.create') ? (
        <>
          <NewDocumentForm
            process={process}
            onCreated={(doc) => {
              setCreated(doc)
              void documents.reload()
              void loadProcess(process.id)
            }}
          />
          <ImportForm process={process} />
        </>
      ) : null}
    </section>
  )
}

function NewDocumentForm({
  process,
  onCreated,
}: {
  process: ProcessDetail
  onCreated: (doc: { id: string; title: string }) => void
}) {
  const [title, setTitle] = useState('')
  const [template, setTemplate] = useState<DocumentTemplate | ''>('')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const [language, setLanguage] = useState<Language>(process.languages[0] ?? 'en')

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const problem = validateRequired(title)
    setFieldError(problem ?? undefined)
    setError(null)
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      const { id } = await createDocument(
        process.id,
        title.trim(),
        template ? { template, language } : undefined,
      )
      onCreated({ id, title: title.trim() })
      setTitle('')
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setFieldError(fieldErrorsFrom(apiError).title)
    } finally {
      setBusy(false)
    }
  }

  const options: { value: DocumentTemplate | ''; label: string; hint: string }[] = [
    { value: '', label: t('process.documents.blank'), hint: t('process.documents.blankHint') },
    {
      value: 'national-strategy',
      label: t('process.documents.template'),
      hint: t('process.documents.templateHint', { language: t(`languages.${language}`) }),
    },
  ]

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      class="panel inline-form"
      aria-labelledby="new-document-heading"
    >
      <h3 id="new-document-heading">{t('process.documents.newTitle')}</h3>
      <FormError id="new-document-error" error={error} />
      <fieldset class="field fieldset">
        <legend>{t('process.documents.startFrom')}</legend>
        <div class="choice-list">
          {options.map((option) => (
            <label key={option.value} class="choice" for={`template-${option.value || 'blank'}`}>
              <input
                type="radio"
                id={`template-${option.value || 'blank'}`}
                name="template"
                value={option.value}
                checked={template === option.value}
                onChange={() => setTemplate(option.value)}
              />
              <span>
                <span class="choice-label">{option.label}</span>
                <span class="choice-hint">{option.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {template && process.languages.length > 1 ? (
        <SelectField
          id="template-language"
          label={t('process.documents.templateLanguage')}
          value={language}
          onValue={(value) => setLanguage(value as Language)}
          options={process.languages.map((code) => ({ value: code, label: t(`languages.${code}`) }))}
        />
      ) : null}
      <TextField
        id="document-title"
        label={t('fields.documentTitle')}
        hint={t('process.documents.titleHint')}
        maxLength={LIMITS.documentTitleMax}
        value={title}
        onValue={setTitle}
        error={fieldError}
        required
        action={
          <Button type="submit" variant="primary" busy={busy}>
            {t('process.documents.create')}
          </Button>
        }
      />
    </form>
  )
}

type Stage =
  | { step: 'idle' }
  | { step: 'reading' }
  | { step: 'uploading'; percent: number }
  | { step: 'converting' }
  | { step: 'done'; sections: number }

const DOCX_MB = Math.floor(IMPORT_SIZES.docxBytesMax / (1024 * 1024))

function formatOf(file: File): ImportFormat | null {
  const name = file.name.toLowerCase()
  if (name.endsWith('.docx')) {
    return 'docx'
  }
  if (name.endsWith('.md') || name.endsWith('.markdown') || name.endsWith('.txt')) {
    return 'markdown'
  }
  return null
}

/** Reads a file as base64 without building a giant string by hand. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const url = String(reader.result)
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.onerror = () => reject(reader.error ?? new Error('read failed'))
    reader.readAsDataURL(file)
  })
}

/**
 * Imports a .docx or Markdown file as a new document, showing each step: reading the file,
 * uploading it (with a percentage), converting it on the server; then opens the document.
 */
function ImportForm({ process }: { process: ProcessDetail }) {
  const [file, setFile] = useState<File | null>(null)
  const [title, setTitle] = useState('')
  const [titleTouched, setTitleTouched] = useState(false)
  const [errors, setErrors] = useState<{ file?: string; title?: string }>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [stage, setStage] = useState<Stage>({ step: 'idle' })
  const formRef = useRef<HTMLFormElement>(null)
  const fileId = useId()
  const busy = stage.step !== 'idle'

  function chooseFile(next: File | null) {
    setFile(next)
    setErrors((e) => ({ ...e, file: undefined }))
    if (next && !titleTouched) {
      setTitle(next.name.replace(/\.(docx|md|markdown|txt)$/i, '').slice(0, LIMITS.documentTitleMax))
    }
  }

  function check(): { file?: string; title?: string } {
    const problems: { file?: string; title?: string } = {}
    if (!file) {
      problems.file = t('process.documents.import.chooseFile')
    } else if (!formatOf(file)) {
      problems.file = t('process.documents.import.unsupported')
    } else if (file.size > IMPORT_SIZES.docxBytesMax) {
      problems.file = t('process.documents.import.tooLarge', { docxMb: DOCX_MB })
    }
    const titleProblem = validateRequired(title)
    if (titleProblem) {
      problems.title = titleProblem
    }
    return problems
  }

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const problems = check()
    setErrors(problems)
    setError(null)
    if (problems.file || problems.title || !file) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    const format = formatOf(file)!
    try {
      setStage({ step: 'reading' })
      const content = format === 'docx' ? await readBase64(file) : await file.text()
      if (format === 'markdown' && content.length > IMPORT_SIZES.markdownCharsMax) {
        setStage({ step: 'idle' })
        setErrors({ file: t('process.documents.import.tooLarge', { docxMb: DOCX_MB }) })
        return
      }
      setStage({ step: 'uploading', percent: 0 })
      const result = await importDocument(process.id, { title: title.trim(), format, content }, (fraction) =>
        setStage(
          fraction >= 1
            ? { step: 'converting' }
            : { step: 'uploading', percent: Math.floor(fraction * 100) },
        ),
      )
      setStage({ step: 'done', sections: result.sections.length })
      void loadProcess(process.id)
      navigate(`/documents/${encodeURIComponent(result.id)}`, { state: { processId: process.id } })
    } catch (e) {
      setStage({ step: 'idle' })
      const apiError = toApiError(e)
      setError(apiError)
      const fields = fieldErrorsFrom(apiError)
      setErrors({ title: fields.title, file: fields.content })
    }
  }

  const status = (() => {
    switch (stage.step) {
      case 'idle':
        return null
      case 'reading':
        return t('process.documents.import.reading')
      case 'uploading':
        return t('process.documents.import.uploading', { percent: stage.percent })
      case 'converting':
        return t('process.documents.import.converting')
      case 'done':
        return t('process.documents.import.done', { count: stage.sections })
    }
  })()
  const percent =
    stage.step === 'uploading' ? stage.percent : stage.step === 'done' ? 100 : undefined

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      class="panel import-form"
      aria-labelledby="import-heading"
    >
      <h3 id="import-heading">{t('process.documents.import.title')}</h3>
      <p class="panel-intro">{t('process.documents.import.intro')}</p>
      <FormError id="import-error" error={error} />
      <div class={['field', errors.file ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
        <label for={fileId}>{t('process.documents.import.file')}</label>
        <p id={`${fileId}-hint`} class="field-hint">
          {t('process.documents.import.fileHint', { docxMb: DOCX_MB })}
        </p>
        <input
          id={fileId}
          type="file"
          class="file-input"
          accept=".docx,.md,.markdown,.txt,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/markdown"
          aria-invalid={errors.file ? true : undefined}
          aria-describedby={errors.file ? `${fileId}-hint ${fileId}-error` : `${fileId}-hint`}
          onChange={(e) => chooseFile(e.currentTarget.files?.[0] ?? null)}
          disabled={busy}
        />
        {errors.file ? (
          <p id={`${fileId}-error`} class="field-error">
            <span aria-hidden="true">⚠ </span>
            {errors.file}
          </p>
        ) : null}
      </div>
      <TextField
        id="import-title"
        label={t('process.documents.import.titleLabel')}
        hint={t('process.documents.import.titleHint')}
        maxLength={LIMITS.documentTitleMax}
        value={title}
        onValue={(value) => {
          setTitle(value)
          setTitleTouched(true)
        }}
        error={errors.title}
        required
        action={
          <Button type="submit" variant="primary" busy={busy}>
            {t('process.documents.import.submit')}
          </Button>
        }
      />
      <div class="import-progress" role="status">
        {status ? (
          <>
            <progress
              max={100}
              value={percent}
              aria-label={t('process.documents.import.progress')}
            />
            <span>{status}</span>
          </>
        ) : null}
      </div>
    </form>
  )
}
