import { useEffect, useState } from 'preact/hooks'
import type { AlignedSection, Alignment, TranslationSummary } from '../../shared/api/translations'
import { LANGUAGE_NAMES } from '../../shared/i18n/languages'
import { LIMITS, type Language } from '../../shared/limits'
import { toApiError, type ApiError } from '../api/client'
import { fetchDocument } from '../api/documents'
import {
  bringSection,
  createTranslation,
  fetchAlignment,
  listTranslations,
  markSectionUpToDate,
} from '../api/translations'
import { Button } from '../components/buttons'
import { FormError } from '../components/errors'
import { SelectField, TextField } from '../components/fields'
import { Link } from '../components/link'
import { RouteHeading, usePageTitle } from '../components/page'
import { Loading, Notice } from '../components/status'
import { Redline } from '../components/threads/text-change'
import { useResource } from '../components/use-resource'
import { formatDateTime, t } from '../i18n'
import { navigate } from '../router'
import { allows, currentProcess, loadProcess } from '../state/process'
import { NotFoundPage } from './not-found'

/** A language's own name where the interface knows it, else its code. */
const languageName = (code: string) => LANGUAGE_NAMES[code as keyof typeof LANGUAGE_NAMES] ?? code

export const languagesPath = (documentId: string) =>
  `/documents/${encodeURIComponent(documentId)}/languages`

/**
 * The languages of a document (issue 16, items 1 and 3): its source and every translation
 * with how many sections are behind; the secretariat translates the source into another
 * language of the process. On a translation, each section beside its source: up to date,
 * "source changed" with the source's redline since, "missing here" (to bring over) or
 * "removed there"; those who may edit mark a section up to date once they have translated it.
 */
export function TranslationsPage({ id }: { id: string }) {
  const found = useResource(() => fetchDocument(id), [id])
  const languages = useResource(() => listTranslations(id), [id])
  const processId = found.data?.processId
  usePageTitle(found.data ? t('translations.title', { title: found.data.title }) : null)

  useEffect(() => {
    if (processId && currentProcess.value?.id !== processId) {
      void loadProcess(processId)
    }
  }, [processId])

  if (found.error) {
    return found.error.code === 'not_found' || found.error.code === 'validation_failed' ? (
      <NotFoundPage />
    ) : (
      <div class="container page">
        <FormError id="translations-error" error={found.error} />
      </div>
    )
  }
  const process = currentProcess.value?.id === processId ? currentProcess.value : null
  if (!found.data || !process) {
    return (
      <div class="container page">
        <Loading />
      </div>
    )
  }
  const document = found.data
  const list = languages.data?.languages ?? []
  const taken = new Set(list.map((l) => l.language))
  const open = process.languages.filter((l) => !taken.has(l))
  return (
    <div class="container page translations-page">
      <p class="back-link">
        <Link href={`/documents/${encodeURIComponent(id)}`}>
          <span aria-hidden="true">← </span>
          {document.title}
        </Link>
      </p>
      <RouteHeading>{t('translations.title', { title: document.title })}</RouteHeading>
      <p class="page-lead">{t('translations.lead')}</p>

      <section aria-labelledby="languages-heading">
        <h2 id="languages-heading">{t('translations.list.heading')}</h2>
        {languages.loading && !languages.data ? <Loading /> : null}
        <FormError id="languages-error" error={languages.error} />
        {list.length > 0 ? (
          <ul class="version-list" role="list">
            {list.map((entry) => (
              <LanguageItem
                key={entry.documentId}
                entry={entry}
                current={entry.documentId === id}
              />
            ))}
          </ul>
        ) : null}
      </section>

      {document.translationOf === null && allows('documents.create') && open.length > 0 ? (
        <TranslateForm documentId={id} title={document.title} languages={open} />
      ) : null}

      {document.translationOf !== null ? (
        <AlignmentView documentId={id} onChange={languages.reload} />
      ) : null}
    </div>
  )
}

function LanguageItem({ entry, current }: { entry: TranslationSummary; current: boolean }) {
  const behind = entry.staleCount + entry.missingCount + entry.removedCount
  return (
    <li class="version-item">
      <div class="version-main">
        <strong lang={entry.language}>
          {languageName(entry.language)}
          {entry.isSource ? (
            <span class="badge badge-info">{t('translations.list.source')}</span>
          ) : null}
        </strong>
        <span class="version-meta">
          {entry.isSource
            ? t('translations.list.sourceNote')
            : behind === 0
              ? t('translations.list.upToDate')
              : [
                  entry.staleCount > 0
                    ? t('translations.list.stale', { count: entry.staleCount })
                    : null,
                  entry.missingCount > 0
                    ? t('translations.list.missing', { count: entry.missingCount })
                    : null,
                  entry.removedCount > 0
                    ? t('translations.list.removed', { count: entry.removedCount })
                    : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
        </span>
      </div>
      <div class="version-actions">
        <Link
          class="btn btn-secondary btn-small"
          href={`/documents/${encodeURIComponent(entry.documentId)}`}
          lang={entry.language}
        >
          {entry.title}
        </Link>
        {!entry.isSource && !current ? (
          <Link class="btn btn-ghost btn-small" href={languagesPath(entry.documentId)}>
            {t('translations.list.check', { language: languageName(entry.language) })}
          </Link>
        ) : null}
      </div>
    </li>
  )
}

function TranslateForm({
  documentId,
  title,
  languages,
}: {
  documentId: string
  title: string
  languages: Language[]
}) {
  const [language, setLanguage] = useState<string>(languages[0]!)
  const [name, setName] = useState(title)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    setBusy(true)
    setError(null)
    try {
      const created = await createTranslation(
        documentId,
        language as Language,
        name.trim() || undefined,
      )
      navigate(languagesPath(created.id))
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="panel" aria-labelledby="translate-heading">
      <h2 id="translate-heading">{t('translations.create.heading')}</h2>
      <p class="section-lead">{t('translations.create.lead')}</p>
      <form onSubmit={submit} noValidate class="stack">
        <FormError id="translate-error" error={error} />
        <SelectField
          id="translate-language"
          label={t('translations.create.language')}
          value={language}
          onValue={setLanguage}
          options={languages.map((l) => ({ value: l, label: languageName(l) }))}
        />
        <TextField
          id="translate-title"
          label={t('translations.create.titleLabel')}
          value={name}
          onValue={setName}
          maxLength={LIMITS.documentTitleMax}
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('translations.create.submit')}
          </Button>
        </div>
      </form>
    </section>
  )
}

function AlignmentView({ documentId, onChange }: { documentId: string; onChange: () => void }) {
  const alignment = useResource(() => fetchAlignment(documentId), [documentId])
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const data = alignment.data
  const editable = allows('documents.edit')

  async function act(section: AlignedSection, action: 'mark' | 'bring') {
    setBusy(section.sectionId)
    setError(null)
    try {
      const updated =
        action === 'mark'
          ? await markSectionUpToDate(documentId, section.sectionId)
          : await bringSection(documentId, section.sectionId)
      await alignment.reload()
      onChange()
      setDone(
        t(action === 'mark' ? 'translations.alignment.marked' : 'translations.alignment.brought', {
          title: updated.title ?? updated.sourceTitle ?? '',
        }),
      )
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(null)
    }
  }

  return (
    <section aria-labelledby="alignment-heading" class="alignment">
      <h2 id="alignment-heading">{t('translations.alignment.heading')}</h2>
      {alignment.loading && !data ? <Loading /> : null}
      <FormError id="alignment-error" error={alignment.error ?? error} />
      <div aria-live="polite">{done ? <Notice tone="success">{done}</Notice> : null}</div>
      {data ? <AlignmentSummary alignment={data} /> : null}
      {data ? (
        <ol class="alignment-list" role="list">
          {data.sections.map((section) => (
            <li key={section.sectionId} class={`alignment-item alignment-${section.status}`}>
              <div class="alignment-titles">
                <span
                  class={`badge ${section.status === 'aligned' ? 'badge-muted' : 'badge-warning'}`}
                >
                  {t(`translations.status.${section.status}`)}
                </span>
                <strong lang={data.language}>{section.title ?? section.sourceTitle}</strong>
                {section.sourceTitle && section.title !== section.sourceTitle ? (
                  <span class="version-meta" lang={data.sourceLanguage}>
                    {t('translations.alignment.sourceTitle', { title: section.sourceTitle })}
                  </span>
                ) : null}
              </div>
              {section.status === 'stale' ? (
                <>
                  {section.sourceTitleThen && section.sourceTitleThen !== section.sourceTitle ? (
                    <p class="version-meta">
                      {t('translations.alignment.renamed', { then: section.sourceTitleThen })}
                    </p>
                  ) : null}
                  {section.sourceRedline.length > 0 ? (
                    <div lang={data.sourceLanguage}>
                      <Redline
                        parts={section.sourceRedline}
                        label={t('translations.alignment.redline', {
                          title: section.sourceTitle ?? '',
                        })}
                      />
                    </div>
                  ) : null}
                </>
              ) : null}
              {section.upToDateAt && section.status !== 'missing' ? (
                <p class="version-meta">
                  {t('translations.alignment.checked', {
                    when: formatDateTime(section.upToDateAt),
                    who: section.upToDateBy ?? t('translations.alignment.someone'),
                  })}
                </p>
              ) : null}
              {editable && section.status === 'stale' ? (
                <Button
                  small
                  busy={busy === section.sectionId}
                  onClick={() => void act(section, 'mark')}
                >
                  {t('translations.alignment.mark', { title: section.title ?? '' })}
                </Button>
              ) : null}
              {editable && section.status === 'missing' ? (
                <Button
                  small
                  busy={busy === section.sectionId}
                  onClick={() => void act(section, 'bring')}
                >
                  {t('translations.alignment.bring', { title: section.sourceTitle ?? '' })}
                </Button>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  )
}

function AlignmentSummary({ alignment }: { alignment: Alignment }) {
  const { counts } = alignment
  return (
    <p class="alignment-summary">
      {t('translations.alignment.summary', {
        source: languageName(alignment.sourceLanguage),
        aligned: counts.aligned,
        stale: counts.stale,
        missing: counts.missing,
        removed: counts.removed,
      })}
    </p>
  )
}
