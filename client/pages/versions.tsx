import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Comparison, RedlinePart, SectionComparison } from '../../shared/api/comparison'
import type { ProseMirrorDoc } from '../../shared/api/documents'
import type { Version } from '../../shared/api/versions'
import { toApiError, type ApiError } from '../api/client'
import { fetchDocument } from '../api/documents'
import {
  DOWNLOAD_FORMATS,
  compareVersions,
  comparisonDownloadUrl,
  createVersion,
  documentDownloadUrl,
  fetchVersionContent,
  listDocumentVersions,
  versionDownloadUrl,
} from '../api/versions'
import { Button } from '../components/buttons'
import { FormError, fieldErrorsFrom } from '../components/errors'
import { SelectField, TextField, focusFirstInvalid } from '../components/fields'
import { Link } from '../components/link'
import { RouteHeading, usePageTitle } from '../components/page'
import { Empty, Loading, Notice } from '../components/status'
import { useResource } from '../components/use-resource'
import { formatDateTime, formatNumber, t } from '../i18n'
import { allows, currentProcess, loadProcess } from '../state/process'
import { NotFoundPage } from './not-found'
import { validateRequired } from './validation'

const LIVE = 'live'

/**
 * A document's versions (issue 14, items 1–3): the list with name, number, who, when and
 * length; the secretariat names the current text as a version; anyone who may read the
 * document opens one read-only, downloads it, and compares any two, or one and the live
 * draft, inline or side by side.
 */
export function VersionsPage({ id }: { id: string }) {
  const found = useResource(() => fetchDocument(id), [id])
  const versions = useResource(() => listDocumentVersions(id), [id])
  const processId = found.data?.processId
  const [opened, setOpened] = useState<Version | null>(null)
  const [named, setNamed] = useState<Version | null>(null)
  usePageTitle(found.data ? t('versions.page.title', { title: found.data.title }) : null)

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
        <FormError id="versions-error" error={found.error} />
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
  const list = versions.data ?? []
  return (
    <div class="container-wide page versions-page">
      <p class="back-link">
        <Link href={`/documents/${encodeURIComponent(id)}`}>
          <span aria-hidden="true">← </span>
          {found.data.title}
        </Link>
      </p>
      <RouteHeading>{t('versions.page.title', { title: found.data.title })}</RouteHeading>

      {allows('versions.create') ? (
        <NameVersionForm
          documentId={id}
          onNamed={(version) => {
            setNamed(version)
            versions.setData((current) => [...(current ?? []), version])
          }}
        />
      ) : null}
      {named ? (
        <Notice tone="success" live>
          {t('versions.name.done', { number: named.number, name: named.name })}
        </Notice>
      ) : null}

      <section aria-labelledby="versions-list-heading">
        <h2 id="versions-list-heading">{t('versions.list.heading')}</h2>
        {versions.loading && !versions.data ? <Loading /> : null}
        <FormError id="versions-list-error" error={versions.error} />
        {versions.data && list.length === 0 ? <Empty>{t('versions.list.empty')}</Empty> : null}
        {list.length > 0 ? (
          <ul class="version-list" role="list">
            {[...list].reverse().map((version) => (
              <li key={version.id} class="version-item">
                <div class="version-main">
                  <strong class="version-name">
                    {t('versions.list.number', { number: version.number })} · {version.name}
                  </strong>
                  <span class="version-meta">
                    {t('versions.list.meta', {
                      who: version.createdBy,
                      when: formatDateTime(version.createdAt),
                      words: formatNumber(version.words),
                      pages: formatNumber(version.estimatedPages),
                    })}
                  </span>
                </div>
                <div class="version-actions">
                  <Button small onClick={() => setOpened(version)}>
                    {t('versions.list.open')}
                  </Button>
                  <Downloads
                    label={t('versions.downloads.version', { number: version.number })}
                    url={(format) => versionDownloadUrl(version.id, format)}
                  />
                </div>
              </li>
            ))}
          </ul>
        ) : null}
        <p class="version-live">
          <Downloads
            label={t('versions.downloads.live')}
            url={(format) => documentDownloadUrl(id, format)}
          />
        </p>
      </section>

      {opened ? <OpenedVersion version={opened} onClose={() => setOpened(null)} /> : null}

      {list.length > 0 ? <CompareForm versions={list} /> : null}
    </div>
  )
}

function Downloads({ label, url }: { label: string; url: (format: string) => string }) {
  return (
    <span class="version-downloads" role="group" aria-label={label}>
      <span class="version-downloads-label">{label}</span>
      {DOWNLOAD_FORMATS.map((format) => (
        <a key={format} class="btn btn-ghost btn-small" href={url(format)} download>
          {t(`versions.downloads.${format}`)}
        </a>
      ))}
    </span>
  )
}

function NameVersionForm({
  documentId,
  onNamed,
}: {
  documentId: string
  onNamed: (version: Version) => void
}) {
  const [name, setName] = useState('')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const problem = validateRequired(name)
    setFieldError(problem ?? undefined)
    setError(null)
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      onNamed(await createVersion(documentId, name.trim()))
      setName('')
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setFieldError(fieldErrorsFrom(apiError).name)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="card version-name-form" ref={formRef} onSubmit={submit} noValidate>
      <h2>{t('versions.name.heading')}</h2>
      <TextField
        id="version-name"
        label={t('versions.name.label')}
        hint={t('versions.name.hint')}
        value={name}
        onValue={setName}
        error={fieldError}
        maxLength={200}
        required
      />
      <FormError id="version-name-error" error={error} />
      <Button type="submit" variant="primary" disabled={busy}>
        {t('versions.name.submit')}
      </Button>
    </form>
  )
}

function OpenedVersion({ version, onClose }: { version: Version; onClose: () => void }) {
  const content = useResource(() => fetchVersionContent(version.id), [version.id])
  const headingRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    headingRef.current?.focus()
  }, [version.id])
  return (
    <section class="card version-reader" aria-labelledby="version-reader-heading">
      <div class="section-header">
        <h2 id="version-reader-heading" tabIndex={-1} ref={headingRef}>
          {t('versions.reader.heading', { number: version.number, name: version.name })}
        </h2>
        <Button small onClick={onClose}>
          {t('versions.reader.close')}
        </Button>
      </div>
      <p class="version-meta">{t('versions.reader.readOnly')}</p>
      {content.loading && !content.data ? <Loading /> : null}
      <FormError id="version-reader-error" error={content.error} />
      {content.data ? <div class="version-text">{renderDoc(content.data)}</div> : null}
    </section>
  )
}

interface PmNode {
  type: string
  attrs?: Record<string, unknown>
  content?: PmNode[]
  text?: string
  marks?: { type: string; attrs?: Record<string, unknown> }[]
}

const isSafeHref = (href: unknown): href is string =>
  typeof href === 'string' && /^(https:|mailto:)/i.test(href)

// Renders a version's ProseMirror JSON as plain elements: text goes through JSX, so whatever
// the document holds is shown as text and never runs (the schema allows no raw HTML).
function renderDoc(doc: ProseMirrorDoc): ComponentChildren {
  return (doc.content as PmNode[]).map((node, i) => renderNode(node, i))
}

function renderNode(node: PmNode, key: number): ComponentChildren {
  const children = (node.content ?? []).map((child, i) => renderNode(child, i))
  switch (node.type) {
    case 'paragraph':
      return <p key={key}>{children}</p>
    case 'heading': {
      // Inside the page, the document's headings sit below the reader's own h2.
      const level = Math.min(6, Number(node.attrs?.level ?? 1) + 2)
      const Tag = `h${level}` as 'h3'
      return <Tag key={key}>{children}</Tag>
    }
    case 'blockquote':
      return <blockquote key={key}>{children}</blockquote>
    case 'bullet_list':
      return <ul key={key}>{children}</ul>
    case 'ordered_list':
      return (
        <ol key={key} start={Number(node.attrs?.order ?? 1)}>
          {children}
        </ol>
      )
    case 'list_item':
      return <li key={key}>{children}</li>
    case 'table':
      return (
        <div key={key} class="table-scroll">
          <table>
            <tbody>{children}</tbody>
          </table>
        </div>
      )
    case 'table_row':
      return <tr key={key}>{children}</tr>
    case 'table_header':
      return <th key={key}>{children}</th>
    case 'table_cell':
      return <td key={key}>{children}</td>
    case 'hard_break':
      return <br key={key} />
    case 'text': {
      let out: ComponentChildren = node.text ?? ''
      for (const mark of node.marks ?? []) {
        if (mark.type === 'strong') {
          out = <strong>{out}</strong>
        } else if (mark.type === 'em') {
          out = <em>{out}</em>
        } else if (mark.type === 'link' && isSafeHref(mark.attrs?.href)) {
          out = (
            <a href={mark.attrs.href} rel="noopener noreferrer nofollow">
              {out}
            </a>
          )
        }
      }
      return <span key={key}>{out}</span>
    }
    default:
      return <div key={key}>{children}</div>
  }
}

type View = 'inline' | 'side'

function CompareForm({ versions }: { versions: Version[] }) {
  const last = versions[versions.length - 1]!
  // A link may name the two sides (`?from=&to=`, as a thread's answer does): they are compared at once.
  const asked = linkedComparison(versions)
  const [from, setFrom] = useState(
    asked?.from ?? (versions.length > 1 ? versions[versions.length - 2]!.id : last.id),
  )
  const [to, setTo] = useState(asked?.to ?? (versions.length > 1 ? last.id : LIVE))
  const [view, setView] = useState<View>('inline')
  const [result, setResult] = useState<Comparison | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)

  const options = versions.map((v) => ({
    value: v.id,
    label: `${t('versions.list.number', { number: v.number })} · ${v.name}`,
  }))

  useEffect(() => {
    if (asked) {
      void compare()
    }
    // Only once, for the sides the link named.
  }, [])

  async function submit(event: Event) {
    event.preventDefault()
    await compare()
  }

  async function compare() {
    setBusy(true)
    setError(null)
    try {
      setResult(await compareVersions(from, to))
    } catch (e) {
      setError(toApiError(e))
      setResult(null)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="version-compare" aria-labelledby="compare-heading">
      <h2 id="compare-heading">{t('versions.compare.heading')}</h2>
      <form class="card compare-form" onSubmit={submit} noValidate>
        <div class="compare-fields">
          <SelectField
            id="compare-from"
            label={t('versions.compare.from')}
            value={from}
            onValue={setFrom}
            options={options}
          />
          <SelectField
            id="compare-to"
            label={t('versions.compare.to')}
            value={to}
            onValue={setTo}
            options={[...options, { value: LIVE, label: t('versions.compare.live') }]}
          />
        </div>
        <FormError id="compare-error" error={error} />
        <Button type="submit" variant="primary" disabled={busy}>
          {t('versions.compare.submit')}
        </Button>
      </form>
      {result ? (
        <div class="compare-result" aria-live="polite">
          <p class="compare-summary" id="compare-summary">
            {t('versions.compare.summary', result.summary)}
          </p>
          <div class="compare-tools">
            <div role="group" aria-label={t('versions.compare.view')} class="compare-views">
              {(['inline', 'side'] as const).map((mode) => (
                <Button
                  key={mode}
                  small
                  variant={view === mode ? 'primary' : 'secondary'}
                  aria-pressed={view === mode}
                  onClick={() => setView(mode)}
                >
                  {t(`versions.compare.${mode}`)}
                </Button>
              ))}
            </div>
            <a
              class="btn btn-secondary btn-small"
              href={comparisonDownloadUrl(
                result.from.versionId ?? from,
                result.to.isLive ? LIVE : (result.to.versionId ?? to),
              )}
              download
            >
              {t('versions.compare.download')}
            </a>
          </div>
          {result.sections.map((section, i) => (
            <ComparedSectionView
              key={section.id ?? `preamble-${i}`}
              section={section}
              view={view}
            />
          ))}
        </div>
      ) : null}
    </section>
  )
}

// The sides a link asks to compare, when both are versions of this document (or `live`).
function linkedComparison(versions: Version[]): { from: string; to: string } | null {
  const search = new URLSearchParams(window.location.search)
  const from = search.get('from')
  const to = search.get('to')
  const known = (id: string | null) => id !== null && versions.some((v) => v.id === id)
  return known(from) && (to === LIVE || known(to)) ? { from: from!, to: to! } : null
}

function ComparedSectionView({ section, view }: { section: SectionComparison; view: View }) {
  const title = section.toTitle ?? section.fromTitle ?? ''
  return (
    <article class={`compared-section status-${section.status}`}>
      <h3>
        {title === '' ? t('versions.compare.preamble') : title}{' '}
        <span class="compare-status">{t(`versions.compare.status.${section.status}`)}</span>
      </h3>
      {section.isRenamed ? (
        <p class="version-meta">
          {t('versions.compare.renamedFrom', { title: section.fromTitle ?? '' })}
        </p>
      ) : null}
      {section.isMoved && section.status !== 'moved' ? (
        <p class="version-meta">{t('versions.compare.status.moved')}</p>
      ) : null}
      {view === 'inline' ? (
        <div class="redline">{section.redline.map((part, i) => renderPart(part, i))}</div>
      ) : (
        <div class="redline-sides">
          <div class="redline" aria-label={t('versions.compare.before')} role="group">
            <p class="redline-side-label" aria-hidden="true">
              {t('versions.compare.before')}
            </p>
            {section.redline.filter((p) => p.op !== 'insert').map((part, i) => renderPart(part, i))}
          </div>
          <div class="redline" aria-label={t('versions.compare.after')} role="group">
            <p class="redline-side-label" aria-hidden="true">
              {t('versions.compare.after')}
            </p>
            {section.redline.filter((p) => p.op !== 'delete').map((part, i) => renderPart(part, i))}
          </div>
        </div>
      )}
    </article>
  )
}

function renderPart(part: RedlinePart, key: number): ComponentChildren {
  let out: ComponentChildren = part.text
  if (part.strong) {
    out = <strong>{out}</strong>
  }
  if (part.em) {
    out = <em>{out}</em>
  }
  if (part.href !== undefined && isSafeHref(part.href)) {
    out = (
      <a href={part.href} rel="noopener noreferrer nofollow">
        {out}
      </a>
    )
  }
  if (part.op === 'insert') {
    return (
      <ins key={key} title={t('versions.compare.inserted')}>
        {out}
      </ins>
    )
  }
  if (part.op === 'delete') {
    return (
      <del key={key} title={t('versions.compare.deleted')}>
        {out}
      </del>
    )
  }
  return <span key={key}>{out}</span>
}
