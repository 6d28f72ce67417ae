import type { RefObject } from 'preact'
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { ThreadSummary } from '../../../shared/api/threads'
import { Button } from '../../components/buttons'
import { SelectField } from '../../components/fields'
import { ThreadCard } from '../../components/threads/thread-card'
import type { Range } from '../../editor/anchors'
import type { CommentTarget, EditorHandle } from '../../editor/create-editor'
import type { AnchoredThread } from '../../editor/plugins/comment-anchors'
import { language, t } from '../../i18n'
import { location } from '../../router'
import { allows } from '../../state/process'
import { CommentComposer } from './comment-composer'
import type { DocumentThreads } from './use-document-threads'

/** What the rest of the workspace (the editor's highlights and badges, the shortcut) asks of the margin. */
export interface MarginApi {
  openThread(threadId: string): void
  openSection(sectionId: string): void
  startComment(): void
}

type Mode = 'cursor' | 'all' | { section: string }
type Filter = 'open' | 'all'

/** Wide screens show the margin as a column beside the text; narrower ones as a sheet over it. */
const INLINE_QUERY = '(min-width: 80rem)'

function inline(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(INLINE_QUERY).matches
}

/**
 * The comment margin of the document page: the threads of the section at the cursor (or of a
 * chosen section, or all), open ones or all, each as a ThreadCard; the composer for a new
 * thread; and the highlights and heading counts it hands the editor. On a phone or tablet it
 * is a sheet over the text, opened from a bar at the bottom of the screen.
 */
export function CommentsMargin({
  editor,
  processId,
  documentId,
  data,
  ranges,
  apiRef,
}: {
  editor: EditorHandle
  processId: string
  documentId: string
  data: DocumentThreads
  /** Where the highlighted threads' passages are now (from the editor). */
  ranges: ReadonlyMap<string, Range>
  apiRef: RefObject<MarginApi | null>
}) {
  const headingId = useId()
  const [mode, setMode] = useState<Mode>('cursor')
  const [filter, setFilter] = useState<Filter>('open')
  const [active, setActive] = useState<string | null>(null)
  const [composer, setComposer] = useState<CommentTarget | null>(null)
  const [noTarget, setNoTarget] = useState(false)
  const [open, setOpen] = useState(false)
  const [announcement, setAnnouncement] = useState('')
  const panelRef = useRef<HTMLElement>(null)
  const titleRef = useRef<HTMLHeadingElement>(null)
  const toggleRef = useRef<HTMLButtonElement>(null)
  const focusCard = useRef<string | null>(null)
  const canCreate = allows('threads.create')

  const outline = editor.outline.value
  const cursorIndex = editor.currentSection.value
  const cursorSection = outline[cursorIndex] ?? null
  const sectionOrder = useMemo(
    () => new Map(outline.map((entry, index) => [entry.id ?? `#${index}`, index])),
    [outline],
  )
  const shownSection: string | null =
    mode === 'all' ? null : mode === 'cursor' ? (cursorSection?.id ?? '') : mode.section

  /** Makes the margin visible (the sheet on narrow screens) and moves focus into it. */
  function reveal(focus: 'title' | 'none' = 'title') {
    setOpen(true)
    if (focus === 'title' && !inline()) {
      requestAnimationFrame(() => titleRef.current?.focus())
    }
  }

  function openThread(threadId: string) {
    const thread = data.threads.find((x) => x.id === threadId)
    setActive(threadId)
    if (thread) {
      if (shownSection !== null && thread.sectionId !== shownSection) {
        setMode({ section: thread.sectionId })
      }
      if (thread.status !== 'open') {
        setFilter('all')
      }
    }
    focusCard.current = threadId
    reveal('none')
  }

  function startComment() {
    if (!canCreate) {
      return
    }
    const target = editor.comments.target()
    setNoTarget(target === null)
    setComposer(target)
    if (target) {
      setMode('cursor')
      setActive(null)
    }
    reveal(target ? 'none' : 'title')
  }

  apiRef.current = {
    openThread,
    openSection(sectionId) {
      setMode({ section: sectionId })
      setFilter('open')
      reveal()
    },
    startComment,
  }

  // `?thread=<id>` (links from the inbox and the thread list) opens that thread.
  const wanted = location.value.search.get('thread')
  const handledWanted = useRef<string | null>(null)
  useEffect(() => {
    if (!wanted || handledWanted.current === wanted || data.loading) {
      return
    }
    if (data.threads.some((x) => x.id === wanted)) {
      handledWanted.current = wanted
      openThread(wanted)
      // Once the highlight is drawn, bring the passage into view too.
      requestAnimationFrame(() => editor.comments.reveal(wanted))
    }
  }, [wanted, data.loading, data.threads])

  // The highlights: open threads with a passage, the thread open here, and the passage of
  // the thread being written.
  const highlighted = useMemo(() => {
    const list: AnchoredThread[] = data.threads
      .filter((x) => x.anchor && (x.status === 'open' || x.id === active))
      .map((x) => ({ id: x.id, anchor: x.anchor! }))
    if (composer?.anchor) {
      list.push({ id: 'pending', anchor: composer.anchor, pending: true })
    }
    return list
  }, [data.threads, active, composer])
  useEffect(() => editor.comments.setThreads(highlighted), [editor, highlighted])
  useEffect(() => editor.comments.setActive(active), [editor, active])
  useEffect(() => {
    const counts = new Map<string, number>()
    for (const [sectionId, count] of data.counts) {
      counts.set(sectionId, count.open)
    }
    editor.comments.setCounts(counts)
  }, [editor, data.counts, language.value])

  const visible = useMemo(() => {
    const list = data.threads.filter(
      (x) =>
        (shownSection === null || x.sectionId === shownSection) &&
        (filter === 'all' || x.status === 'open' || x.id === active),
    )
    const order = (x: ThreadSummary) => sectionOrder.get(x.sectionId) ?? Number.MAX_SAFE_INTEGER
    return list.sort(
      (a, b) =>
        order(a) - order(b) ||
        (ranges.get(a.id)?.from ?? Number.MAX_SAFE_INTEGER) -
          (ranges.get(b.id)?.from ?? Number.MAX_SAFE_INTEGER) ||
        a.number - b.number,
    )
  }, [data.threads, shownSection, filter, active, ranges, sectionOrder])

  // A thread someone else just started in the section on screen is announced.
  const announced = useRef(new Set<string>())
  useEffect(() => {
    for (const threadId of data.arrived) {
      if (announced.current.has(threadId)) {
        continue
      }
      announced.current.add(threadId)
      if (visible.some((x) => x.id === threadId)) {
        setAnnouncement(t('comments.newThread'))
      }
    }
  }, [data.arrived, visible])

  // Scroll to (and focus) a thread asked for, once its card is on screen.
  useLayoutEffect(() => {
    const threadId = focusCard.current
    if (!threadId) {
      return
    }
    const card = panelRef.current?.querySelector<HTMLElement>(
      `[data-card-for="${CSS.escape(threadId)}"]`,
    )
    if (card) {
      focusCard.current = null
      card.scrollIntoView({ block: 'nearest' })
      card.focus({ preventScroll: true })
    }
  })

  const openCount = useMemo(
    () => [...data.counts.values()].reduce((sum, c) => sum + c.open, 0),
    [data.counts],
  )

  const modeValue = mode === 'cursor' ? 'cursor' : mode === 'all' ? 'all' : `s:${mode.section}`
  const sectionOptions = [
    {
      value: 'cursor',
      label: cursorSection
        ? t('comments.followCursorNamed', {
            title: cursorSection.title || t('editor.outline.untitled'),
          })
        : t('comments.followCursor'),
    },
    ...outline
      .filter((entry) => entry.id)
      .map((entry) => ({
        value: `s:${entry.id!}`,
        label: `${'\u2003'.repeat(Math.max(0, entry.level - 1))}${entry.title || t('editor.outline.untitled')}`,
      })),
    { value: 'all', label: t('comments.allSections') },
  ]

  function close() {
    setOpen(false)
    requestAnimationFrame(() => toggleRef.current?.focus())
  }

  return (
    <>
      <section
        ref={panelRef}
        class={['comments-margin', open ? 'is-open' : ''].filter(Boolean).join(' ')}
        aria-labelledby={headingId}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && open && !inline() && !event.defaultPrevented) {
            event.preventDefault()
            close()
          }
        }}
      >
        <div class="comments-head">
          <h2 id={headingId} ref={titleRef} tabIndex={-1} class="comments-title">
            {t('comments.title')}
          </h2>
          <button
            type="button"
            class="btn btn-ghost btn-small comments-close"
            onClick={close}
            aria-label={t('comments.close')}
          >
            <span aria-hidden="true">×</span>
          </button>
        </div>
        {canCreate ? (
          <p class="comments-start">
            <Button
              small
              variant="primary"
              aria-keyshortcuts="Control+Alt+M"
              title={t('comments.startLong')}
              onMouseDown={(event: MouseEvent) => event.preventDefault()}
              onClick={startComment}
            >
              {t('comments.start')}
            </Button>
          </p>
        ) : null}
        {noTarget && !composer ? (
          <p class="comments-note" role="status">
            {t('comments.composer.noTarget')}
          </p>
        ) : null}
        {composer ? (
          <CommentComposer
            key={`${composer.sectionId}-${composer.anchor?.start ?? ''}`}
            processId={processId}
            documentId={documentId}
            target={composer}
            onCancel={() => {
              setComposer(null)
              editor.focus()
            }}
            onPosted={(thread) => {
              data.upsert(thread)
              data.refreshCounts()
              setComposer(null)
              setActive(thread.id)
              setMode({ section: thread.sectionId })
              focusCard.current = thread.id
              setAnnouncement(t('comments.posted'))
            }}
          />
        ) : null}

        <div class="comments-filters">
          <SelectField
            id={`${headingId}-section`}
            label={t('comments.showFor')}
            value={modeValue}
            onValue={(value) =>
              setMode(value === 'cursor' || value === 'all' ? value : { section: value.slice(2) })
            }
            options={sectionOptions}
          />
          <fieldset class="comments-filter">
            <legend>{t('comments.filter')}</legend>
            {(['open', 'all'] as const).map((value) => (
              <label key={value} for={`${headingId}-filter-${value}`}>
                <input
                  type="radio"
                  id={`${headingId}-filter-${value}`}
                  name={`${headingId}-filter`}
                  checked={filter === value}
                  onChange={() => setFilter(value)}
                />
                {t(value === 'open' ? 'comments.filterOpen' : 'comments.filterAll')}
              </label>
            ))}
          </fieldset>
        </div>

        {data.error ? (
          <p class="comments-note">{t('comments.loadFailed')}</p>
        ) : data.loading ? (
          <p class="loading" role="status">
            <span class="spinner" aria-hidden="true" />
            {t('comments.loading')}
          </p>
        ) : shownSection === '' ? (
          <p class="comments-note">{t('comments.noSection')}</p>
        ) : (
          <>
            <p class="comments-count">{t('comments.count', { count: visible.length })}</p>
            {visible.length === 0 ? (
              <p class="comments-empty">
                {t(filter === 'open' ? 'comments.emptyOpen' : 'comments.empty')}
              </p>
            ) : (
              <ol class="comments-list" role="list">
                {visible.map((thread) => {
                  const lost =
                    thread.anchor !== null &&
                    highlighted.some((h) => h.id === thread.id) &&
                    !ranges.has(thread.id)
                  return (
                    <li
                      key={thread.id}
                      class={[
                        'comments-item',
                        thread.id === active ? 'is-active' : '',
                        lost ? 'is-lost' : '',
                      ]
                        .filter(Boolean)
                        .join(' ')}
                      data-card-for={thread.id}
                      tabIndex={-1}
                    >
                      {lost ? (
                        <p class="passage-removed">
                          <span aria-hidden="true" class="passage-removed-mark">
                            ⚠
                          </span>{' '}
                          {t('comments.passageRemoved')}
                        </p>
                      ) : ranges.has(thread.id) ? (
                        <p class="comments-show">
                          <button
                            type="button"
                            class="btn btn-link btn-small"
                            onClick={() => {
                              setActive(thread.id)
                              editor.comments.reveal(thread.id)
                            }}
                          >
                            {t('comments.showInText')}
                            <span class="visually-hidden"> (#{thread.number})</span>
                          </button>
                        </p>
                      ) : null}
                      <ThreadCard
                        thread={thread}
                        currentDocumentId={documentId}
                        compact
                        headingLevel={3}
                        defaultExpanded={thread.id === active}
                        onChange={(fresh) => {
                          data.upsert(fresh)
                          data.refreshCounts()
                        }}
                        onGone={(threadId) => {
                          data.remove(threadId)
                          data.refreshCounts()
                        }}
                      />
                    </li>
                  )
                })}
              </ol>
            )}
          </>
        )}
        <p class="visually-hidden" role="status">
          {announcement}
        </p>
      </section>

      <div class="comments-dock" hidden={open}>
        {canCreate ? (
          <Button
            small
            onMouseDown={(event: MouseEvent) => event.preventDefault()}
            onClick={startComment}
          >
            {t('comments.start')}
          </Button>
        ) : null}
        <button
          ref={toggleRef}
          type="button"
          class="btn btn-primary btn-small"
          aria-expanded={open}
          onClick={() => {
            if (open) {
              close()
            } else {
              // The button counts every open thread, so the sheet it opens lists them all,
              // not the cursor's section ("0 threads" under "13 open", issue 15, item 5).
              setMode('all')
              setFilter('open')
              reveal()
            }
          }}
        >
          {t('comments.toggle', { count: openCount })}
        </button>
      </div>
    </>
  )
}
