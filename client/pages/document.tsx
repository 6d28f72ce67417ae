import { useEffect, useRef, useState } from 'preact/hooks'
import type { ProcessDetail } from '../../shared/api/processes'
import { presenceColor, type PresenceUser } from '../../shared/collab/presence'
import { LIMITS } from '../../shared/limits'
import { toApiError, type ApiError } from '../api/client'
import { deleteDocument, fetchDocument, renameDocument } from '../api/documents'
import { Button, ConfirmButton } from '../components/buttons'
import { FormError, fieldErrorsFrom } from '../components/errors'
import { TextField } from '../components/fields'
import { Link } from '../components/link'
import { RouteHeading, usePageTitle } from '../components/page'
import { Loading, Notice } from '../components/status'
import { useResource } from '../components/use-resource'
import { t } from '../i18n'
import { navigate } from '../router'
import { allows, currentProcess, loadProcess, processError } from '../state/process'
import { currentUser } from '../state/session'
import { NotFoundPage } from './not-found'
import { validateRequired } from './validation'

type WorkspaceModule = typeof import('./document/workspace')

// The editor (ProseMirror, Yjs and their plugins) is most of the client's weight: it loads
// only when a document is opened, while the page around it already shows.
let workspaceModule: Promise<WorkspaceModule> | null = null
function loadWorkspace(): Promise<WorkspaceModule> {
  workspaceModule ??= import('./document/workspace').catch((error: unknown) => {
    workspaceModule = null
    throw error
  })
  return workspaceModule
}

function useWorkspace(): { module: WorkspaceModule | null; failed: boolean } {
  const [module, setModule] = useState<WorkspaceModule | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let live = true
    loadWorkspace().then(
      (loaded) => live && setModule(loaded),
      () => live && setFailed(true),
    )
    return () => {
      live = false
    }
  }, [])
  return { module, failed }
}

/** The document page: the title, the secretariat's rename and delete, and the live editor. */
export function DocumentPage({ id }: { id: string }) {
  const found = useResource(() => fetchDocument(id), [id])
  const [title, setTitle] = useState<string | null>(null)
  const processId = found.data?.processId
  const workspace = useWorkspace()

  useEffect(() => {
    setTitle(null)
  }, [id])
  useEffect(() => {
    if (processId && currentProcess.value?.id !== processId) {
      void loadProcess(processId)
    }
  }, [processId])

  const shownTitle = title ?? found.data?.title ?? null
  usePageTitle(shownTitle)

  if (found.error) {
    if (found.error.code === 'not_found' || found.error.code === 'validation_failed') {
      return <NotFoundPage />
    }
    return (
      <div class="container page">
        <FormError id="document-error" error={found.error} />
      </div>
    )
  }
  const process = currentProcess.value?.id === processId ? currentProcess.value : null
  if (processError.value && !process) {
    return (
      <div class="container page">
        <FormError id="document-error" error={processError.value} />
      </div>
    )
  }
  if (!found.data || !process || shownTitle === null) {
    return (
      <div class="container page">
        <Loading />
      </div>
    )
  }

  const canEdit = allows('documents.edit')
  return (
    <div class="container-wide page doc-page">
      <p class="back-link">
        <Link href={`/processes/${encodeURIComponent(process.id)}`}>
          <span aria-hidden="true">← </span>
          {process.title}
        </Link>
      </p>
      <DocumentHeader
        documentId={id}
        process={process}
        title={shownTitle}
        onRenamed={setTitle}
      />
      {canEdit ? null : (
        // A toggle on a phone, open on a wider screen: the explanation pushed the text off
        // the first screen (issue 15, item 5).
        <div id="read-only-note" class="notice notice-info read-only-note">
          <details open={!narrowScreen()}>
            <summary>
              <strong>{t('editor.readOnly.title')}</strong>
            </summary>
            <p>
              {t(process.archived ? 'editor.readOnly.archived' : 'editor.readOnly.body', {
                role: t(`roles.${process.myRole}`),
              })}
            </p>
          </details>
        </div>
      )}
      {workspace.module ? (
        <workspace.module.Workspace
          key={id}
          documentId={id}
          title={shownTitle}
          process={process}
          canEdit={canEdit}
          self={selfPresence()}
        />
      ) : workspace.failed ? (
        <Notice tone="warning" title={t('editor.loadFailed.title')}>
          <p>{t('editor.loadFailed.body')}</p>
          <p>
            <Button variant="primary" onClick={() => window.location.reload()}>
              {t('editor.reload')}
            </Button>
          </p>
        </Notice>
      ) : (
        <Loading label={t('editor.loading')} />
      )}
    </div>
  )
}

/** Who we are in presence: the same name and colour the server stamps on our cursor. */
function selfPresence(): PresenceUser {
  const user = currentUser.value
  return {
    name: user?.name ?? '',
    color: presenceColor(user?.id ?? ''),
    // Filled in by the workspace from the member list (the process detail does not say).
    stakeholderGroup: '',
  }
}

function DocumentHeader({
  documentId,
  process,
  title,
  onRenamed,
}: {
  documentId: string
  process: ProcessDetail
  title: string
  onRenamed: (title: string) => void
}) {
  const [renaming, setRenaming] = useState(false)
  const [deleteError, setDeleteError] = useState<ApiError | null>(null)
  const renameRef = useRef<HTMLButtonElement>(null)
  const manage = allows('documents.manage')

  async function remove() {
    setDeleteError(null)
    try {
      await deleteDocument(documentId)
      navigate(`/processes/${encodeURIComponent(process.id)}`, {
        state: { deletedDocument: title },
      })
    } catch (error) {
      setDeleteError(toApiError(error))
    }
  }

  return (
    <header class="doc-header">
      {renaming ? (
        <RenameForm
          documentId={documentId}
          title={title}
          onDone={(next) => {
            setRenaming(false)
            if (next !== null) {
              onRenamed(next)
            }
            requestAnimationFrame(() => renameRef.current?.focus())
          }}
        />
      ) : (
        <div class="doc-title-row">
          <RouteHeading class="doc-page-title">{title}</RouteHeading>
          <Link
            class="btn btn-secondary btn-small"
            href={`/documents/${encodeURIComponent(documentId)}/versions`}
          >
            {t('versions.open')}
          </Link>
          <Link
            class="btn btn-secondary btn-small"
            href={`/documents/${encodeURIComponent(documentId)}/languages`}
          >
            {t('translations.open')}
          </Link>
          {manage ? (
            <div class="doc-actions">
              <Button small buttonRef={renameRef} onClick={() => setRenaming(true)}>
                {t('document.rename')}
              </Button>
              <ConfirmButton
                label={t('document.delete')}
                question={t('document.deleteQuestion', { title })}
                confirmLabel={t('document.deleteConfirm')}
                onConfirm={remove}
              />
            </div>
          ) : null}
        </div>
      )}
      <FormError id="document-delete-error" error={deleteError} />
    </header>
  )
}

function RenameForm({
  documentId,
  title,
  onDone,
}: {
  documentId: string
  title: string
  onDone: (title: string | null) => void
}) {
  const [value, setValue] = useState(title)
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const inputRef = useRef<HTMLFormElement>(null)

  useEffect(() => {
    inputRef.current?.querySelector('input')?.select()
  }, [])

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const problem = validateRequired(value)
    setFieldError(problem ?? undefined)
    if (problem) {
      return
    }
    setBusy(true)
    setError(null)
    try {
      const saved = await renameDocument(documentId, value.trim())
      onDone(saved.title)
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setFieldError(fieldErrorsFrom(apiError).title)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      ref={inputRef}
      class="rename-form"
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          onDone(null)
        }
      }}
    >
      <h1 class="visually-hidden">{title}</h1>
      <FormError id="rename-error" error={error} />
      <TextField
        id="document-rename"
        label={t('document.renameLabel')}
        maxLength={LIMITS.documentTitleMax}
        value={value}
        onValue={setValue}
        error={fieldError}
        required
        autoFocus
        action={
          <span class="rename-actions">
            <Button type="submit" variant="primary" busy={busy}>
              {t('document.renameSave')}
            </Button>
            <Button variant="ghost" onClick={() => onDone(null)}>
              {t('common.cancel')}
            </Button>
          </span>
        }
      />
    </form>
  )
}

/** A phone-sized screen, where the panels above the text start as toggles. */
function narrowScreen(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 40rem)').matches
}
