import 'prosemirror-view/style/prosemirror.css'
import '../../styles/editor.css'
import '../../styles/comments.css'
import type { ReadonlySignal } from '@preact/signals'
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { ProcessDetail } from '../../../shared/api/processes'
import type { PresenceUser } from '../../../shared/collab/presence'
import { listMembers } from '../../api/members'
import { connectDocument, type CollabSession, type StopReason } from '../../collab/provider'
import { watchParticipants, type Participant } from '../../collab/presence'
import { Button } from '../../components/buttons'
import { Link } from '../../components/link'
import { Loading } from '../../components/status'
import type { Range } from '../../editor/anchors'
import { createEditor, type EditorHandle, type OutlineEntry } from '../../editor/create-editor'
import { ShortcutsDialog, offersKeyboardShortcuts } from '../../editor/menu/shortcuts-dialog'
import { Toolbar, type ToolbarApi } from '../../editor/menu/toolbar'
import { sectionAnchor } from '../../editor/node-views'
import { t } from '../../i18n'
import { allows, groupLabel, loadProcess } from '../../state/process'
import { currentUser, sessionEnded } from '../../state/session'
import { CommentsMargin, type MarginApi } from './comments-margin'
import { GroupLegend, SectionThreadsBar } from './section-threads-bar'
import { useDocumentThreads, type DocumentThreads } from './use-document-threads'
import { WorkshopFollowBar } from './workshop-follow'

interface WorkspaceProps {
  documentId: string
  title: string
  process: ProcessDetail
  /** The member may edit (`documents.edit`, and the process is not archived). */
  canEdit: boolean
  /** Who we are, as the server stamps our presence (the group is looked up here). */
  self: PresenceUser
}

/**
 * The live drafting workspace: connection and save state, the toolbar, the outline, who is
 * here, and the editor itself. This module and everything it imports (ProseMirror, Yjs) is a
 * separate chunk, loaded when a document is opened.
 */
export function Workspace({ documentId, title, process, canEdit, self }: WorkspaceProps) {
  const [session, setSession] = useState<CollabSession | null>(null)
  const [editor, setEditor] = useState<EditorHandle | null>(null)
  const [participants, setParticipants] = useState<ReadonlySignal<Participant[]> | null>(null)
  const [shortcutsOpen, setShortcutsOpen] = useState(false)
  const [ownGroup, setOwnGroup] = useState('')
  const mountRef = useRef<HTMLDivElement>(null)
  const toolbarApi = useRef<ToolbarApi | null>(null)
  const refreshPeople = useRef<() => void>(() => undefined)
  const marginApi = useRef<MarginApi | null>(null)
  const [ranges, setRanges] = useState<ReadonlyMap<string, Range>>(new Map())
  const threads = useDocumentThreads(process.id, documentId)
  const textId = useId()

  // The latest values, for callbacks the editor keeps from its creation.
  const latest = useRef({ process, canEdit, self, ownGroup })
  latest.current = { process, canEdit, self, ownGroup }

  useEffect(() => {
    const collab = connectDocument(documentId, {
      readOnly: !latest.current.canEdit,
      presence: latest.current.self,
      onSignedOut: sessionEnded,
      // The server closed us because our role changed: learn the new one (the page then
      // switches the editor between reading and editing), while the provider reconnects.
      onPermissionsChanged: () => void loadProcess(latest.current.process.id),
    })
    setSession(collab)
    const people = watchParticipants(collab.awareness, () => ({
      ...latest.current.self,
      stakeholderGroup: latest.current.ownGroup,
    }))
    refreshPeople.current = people.refresh
    setParticipants(people.participants)

    let handle: EditorHandle | null = null
    let live = true
    void collab.synced.then(() => {
      if (!live || !mountRef.current) {
        return
      }
      handle = createEditor({
        mount: mountRef.current,
        fragment: collab.fragment,
        awareness: collab.awareness,
        editable: latest.current.canEdit && collab.stop.value === null,
        label: t('editor.label', { title }),
        lang: latest.current.process.languages[0],
        cursorLabel: (user) => ({
          name: user.name,
          group: user.stakeholderGroup
            ? groupLabel(user.stakeholderGroup, latest.current.process.groups)
            : '',
        }),
        hooks: {
          focusToolbar: () => toolbarApi.current?.focus(),
          // After the keystroke's task: a selection made just before (Shift+Home) reaches
          // the editor through a selectionchange event that may still be queued.
          requestLink: () => setTimeout(() => toolbarApi.current?.openLink(), 0),
          showShortcuts: () => setShortcutsOpen(true),
        },
        comments: {
          onOpenThread: (threadId) => marginApi.current?.openThread(threadId),
          onOpenSection: (sectionId) => marginApi.current?.openSection(sectionId),
          countLabel: (count) => t('comments.headingCount', { count }),
          onRanges: setRanges,
        },
      })
      setEditor(handle)
      // A link to a section (`#s-<id>`) opens the document there.
      const hash = decodeURIComponent(window.location.hash.slice(1))
      if (hash) {
        const index = handle.outline.value.findIndex((e) => e.id && sectionAnchor(e.id) === hash)
        if (index >= 0) {
          handle.goToSection(index)
        }
      }
    })
    return () => {
      live = false
      people.dispose()
      handle?.destroy()
      collab.destroy()
    }
  }, [documentId])

  useEffect(() => {
    let live = true
    const userId = currentUser.value?.id
    listMembers(process.id).then(
      (members) => {
        const mine = members.find((m) => m.userId === userId)
        if (live && mine) {
          setOwnGroup(mine.stakeholderGroup)
        }
      },
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [process.id])

  useEffect(() => refreshPeople.current(), [ownGroup])

  // Ctrl+Alt+M (⌘⌥M): comment on the selection, from the text or from anywhere on the page,
  // since readers select text in a view they cannot focus. `code`, because Alt changes `key`.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (
        (event.ctrlKey || event.metaKey) &&
        event.altKey &&
        !event.shiftKey &&
        event.code === 'KeyM'
      ) {
        event.preventDefault()
        marginApi.current?.startComment()
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  const stop = session?.stop.value ?? null
  const stoppedForGood = stop === 'not-found' || stop === 'forbidden' || stop === 'signed-out'
  const editable = canEdit && !stoppedForGood

  // A layout effect: the text stops being editable in the same frame as the toolbar goes.
  useLayoutEffect(() => {
    session?.setReadOnly(!editable)
    editor?.setEditable(editable)
  }, [session, editor, editable])

  useEffect(() => {
    editor?.setLabel(t('editor.label', { title }))
  }, [editor, title, t('editor.label', { title })])

  return (
    <div class={['workspace', editable ? 'is-editing' : 'is-reading'].join(' ')}>
      <div class="workspace-bar">
        {session ? <ConnectionState session={session} /> : null}
        {session && editable ? <SaveState session={session} /> : null}
        {!editable ? <span class="badge badge-muted">{t('editor.readOnly.badge')}</span> : null}
        {participants ? <PeopleSummary participants={participants.value} /> : null}
      </div>

      {stop ? <StopNotice reason={stop} session={session} processId={process.id} /> : null}
      {editor?.flattened ? (
        <div class="notice notice-warning" role="status">
          <p>{t('schemaGuard.flattened')}</p>
        </div>
      ) : null}
      <WorkshopFollowBar processId={process.id} documentId={documentId} />

      {editor && editable ? (
        <div class="toolbar-sticky">
          <Toolbar
            editor={editor}
            controls={textId}
            apiRef={toolbarApi}
            onShowShortcuts={() => setShortcutsOpen(true)}
            onComment={
              allows('threads.create') ? () => marginApi.current?.startComment() : undefined
            }
          />
        </div>
      ) : null}

      {/* The text comes first in the document, so Tab goes from the toolbar straight into it;
          the outline and the people are placed beside it (or above it on a phone) by CSS. */}
      <div class="workspace-body">
        <div class="workspace-main">
          {!editor && !stop ? <Loading label={t('editor.loading')} /> : null}
          <div id={textId} class="doc-paper" ref={mountRef} hidden={!editor} />
        </div>
        <aside class="workspace-side" aria-label={t('editor.sideLabel')}>
          {editor ? <Outline editor={editor} threads={threads} groups={process.groups} /> : null}
          {participants ? (
            <People participants={participants.value} groups={process.groups} />
          ) : null}
          {editor && !editable && offersKeyboardShortcuts() ? (
            <p class="side-help">
              <button
                type="button"
                class="btn btn-ghost btn-small"
                onClick={() => setShortcutsOpen(true)}
              >
                {t('editor.action.shortcuts')}
              </button>
            </p>
          ) : null}
        </aside>
        {editor ? (
          <CommentsMargin
            editor={editor}
            processId={process.id}
            documentId={documentId}
            data={threads}
            ranges={ranges}
            apiRef={marginApi}
          />
        ) : null}
      </div>
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
  )
}

function ConnectionState({ session }: { session: CollabSession }) {
  const status = session.status.value
  if (status === 'server-unavailable') {
    return (
      <p
        class="conn conn-server-unavailable"
        role="status"
        title={t('collabStatus.serverUnavailableLong')}
      >
        <span class="conn-dot" aria-hidden="true" />
        {t('collabStatus.serverUnavailable')}
      </p>
    )
  }
  return (
    <p class={`conn conn-${status}`} role="status">
      <span class="conn-dot" aria-hidden="true" />
      {t(`editor.status.${status}`)}
    </p>
  )
}

/**
 * The saved indicator. It says "saved" only after the server confirmed that every change
 * made here is committed (a save checkpoint), so it is never more optimistic than the truth.
 */
function SaveState({ session }: { session: CollabSession }) {
  const save = session.save.value
  return (
    <p class={`save-state save-${save}`} title={t(`editor.save.${save}Long`)}>
      {t(`editor.save.${save}`)}
    </p>
  )
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words
  return letters.map((w) => w.charAt(0).toUpperCase()).join('') || '?'
}

function Avatar({ person }: { person: Participant }) {
  return (
    <span class="avatar" style={{ backgroundColor: person.color }} aria-hidden="true">
      {initials(person.name)}
    </span>
  )
}

function PeopleSummary({ participants }: { participants: Participant[] }) {
  const shown = participants.slice(0, 5)
  return (
    <p class="people-summary">
      <span class="avatar-stack" aria-hidden="true">
        {shown.map((p) => (
          <Avatar key={p.key} person={p} />
        ))}
      </span>
      <span>{t('editor.people.count', { count: participants.length })}</span>
    </p>
  )
}

function People({
  participants,
  groups,
}: {
  participants: Participant[]
  groups: ProcessDetail['groups']
}) {
  const headingId = useId()
  const [open] = useState(wideScreen)
  return (
    <section class="side-panel people" aria-labelledby={headingId}>
      <details open={open}>
        <summary>
          <h2 id={headingId} class="side-title">
            {t('editor.people.title')}
          </h2>
          <span class="side-count">{participants.length}</span>
        </summary>
        <ul class="people-list" role="list">
          {participants.map((person) => (
            <li key={person.key} class="person">
              <Avatar person={person} />
              <span class="person-text">
                <span class="person-name">
                  {person.name}
                  {person.isSelf ? (
                    <span class="person-you"> ({t('editor.people.you')})</span>
                  ) : null}
                </span>
                {person.stakeholderGroup ? (
                  <span class="person-group">{groupLabel(person.stakeholderGroup, groups)}</span>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      </details>
    </section>
  )
}

function wideScreen(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(min-width: 64rem)').matches
}

function Outline({
  editor,
  threads,
  groups,
}: {
  editor: EditorHandle
  threads: DocumentThreads
  groups: ProcessDetail['groups']
}) {
  const entries: OutlineEntry[] = editor.outline.value
  const current = editor.currentSection.value
  const headingId = useId()
  const [open] = useState(wideScreen)
  return (
    <nav class="side-panel outline" aria-labelledby={headingId}>
      <details open={open}>
        <summary>
          <h2 id={headingId} class="side-title">
            {t('editor.outline.title')}
          </h2>
          <span class="side-count">{t('editor.outline.count', { count: entries.length })}</span>
        </summary>
        {entries.length === 0 ? (
          <p class="side-empty">{t('editor.outline.empty')}</p>
        ) : (
          <ol class="outline-list" role="list">
            {entries.map((entry, index) => (
              <li key={`${index}-${entry.id ?? ''}`} class={`outline-item outline-l${entry.level}`}>
                <a
                  href={entry.id ? `#${sectionAnchor(entry.id)}` : '#'}
                  aria-current={index === current ? 'location' : undefined}
                  onClick={(event) => {
                    event.preventDefault()
                    editor.goToSection(index)
                  }}
                >
                  <span class="outline-title">{entry.title || t('editor.outline.untitled')}</span>
                  {entry.id && threads.counts.get(entry.id) ? (
                    <SectionThreadsBar count={threads.counts.get(entry.id)!} groups={groups} />
                  ) : null}
                </a>
              </li>
            ))}
          </ol>
        )}
        {entries.some((entry) => entry.id && (threads.counts.get(entry.id)?.open ?? 0) > 0) ? (
          <GroupLegend groups={groups} />
        ) : null}
      </details>
    </nav>
  )
}

function StopNotice({
  reason,
  session,
  processId,
}: {
  reason: StopReason
  session: CollabSession | null
  processId: string
}) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    ref.current?.focus()
  }, [reason])
  const action = (() => {
    switch (reason) {
      case 'schema-outdated':
      case 'bad-message':
      case 'schema-violation':
        return (
          <Button variant="primary" onClick={() => window.location.reload()}>
            {t('editor.reload')}
          </Button>
        )
      case 'too-large':
      case 'too-many-connections':
        return (
          <Button variant="primary" onClick={() => session?.retry()}>
            {t('editor.retry')}
          </Button>
        )
      case 'not-found':
      case 'forbidden':
        return (
          <Link href={`/processes/${encodeURIComponent(processId)}`}>{t('editor.stop.back')}</Link>
        )
      case 'signed-out':
        return null
    }
  })()
  return (
    <div class="notice notice-warning stop-notice" role="alert" tabIndex={-1} ref={ref}>
      <p class="notice-title">
        {reason === 'schema-violation'
          ? t('schemaGuard.stop.title')
          : t(`editor.stop.${reason}.title`)}
      </p>
      <p>
        {reason === 'schema-violation'
          ? t('schemaGuard.stop.body')
          : t(`editor.stop.${reason}.body`)}
      </p>
      {action ? <p>{action}</p> : null}
    </div>
  )
}
