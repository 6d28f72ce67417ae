import { useEffect, useRef, useState } from 'preact/hooks'
import type { ProcessDetail } from '../../../shared/api/processes'
import {
  THREAD_KINDS,
  THREAD_SORTS,
  THREAD_STATUSES,
  type ThreadListQuery,
  type ThreadSort,
} from '../../../shared/api/threads'
import { LIMITS } from '../../../shared/limits'
import { listConsultations } from '../../api/consultations'
import { listDocuments, listSections } from '../../api/documents'
import { useLiveEvents } from '../../api/events'
import { listMembers } from '../../api/members'
import { listThreads } from '../../api/threads'
import { Button } from '../../components/buttons'
import { FormError } from '../../components/errors'
import { SelectField, type Option } from '../../components/fields'
import { Link } from '../../components/link'
import { RouteHeading } from '../../components/page'
import { Empty, Loading } from '../../components/status'
import { ThreadCard } from '../../components/threads/thread-card'
import { useResource } from '../../components/use-resource'
import { formatNumber, t } from '../../i18n'
import { location, navigate } from '../../router'
import { allows, groupLabel } from '../../state/process'
import '../../styles/threads.css'

const PAGE_SIZE = 20

/** Where threads come from: public comments from consultations, or members' own threads. */
const THREAD_ORIGINS = ['public', 'members'] as const

/** The filter names kept in the URL query, so a view can be bookmarked and shared. */
const FILTERS = [
  'document',
  'section',
  'group',
  'kind',
  'status',
  'author',
  'origin',
  'consultation',
  'q',
  'hidden',
] as const
type FilterName = (typeof FILTERS)[number]

/** Which threads by whether a moderator hid them; only moderators may ask (issue 15, item 2). */
const HIDDEN_FILTERS = ['exclude', 'include', 'only'] as const

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined
}

/** Reads the list's filters, order and page from the URL; unknown values are ignored. */
export function readThreadQuery(search: URLSearchParams): ThreadListQuery {
  const text = (name: FilterName) => search.get(name)?.trim() || undefined
  const offset = Number(search.get('offset') ?? 0)
  return {
    document: text('document'),
    section: text('section'),
    group: text('group'),
    kind: oneOf(THREAD_KINDS, search.get('kind')),
    status: oneOf(THREAD_STATUSES, search.get('status')),
    author: text('author'),
    origin: oneOf(THREAD_ORIGINS, search.get('origin')),
    consultation: text('consultation'),
    q: text('q')?.slice(0, LIMITS.searchMax),
    hidden: oneOf(HIDDEN_FILTERS, search.get('hidden')),
    sort: oneOf(THREAD_SORTS, search.get('sort')),
    offset: Number.isInteger(offset) && offset > 0 ? offset : undefined,
    limit: PAGE_SIZE,
  }
}

function threadsPath(processId: string, query: ThreadListQuery): string {
  const params = new URLSearchParams()
  for (const name of [...FILTERS, 'sort', 'offset'] as const) {
    const value = query[name]
    if (value !== undefined && value !== '' && !(name === 'offset' && value === 0)) {
      params.set(name, String(value))
    }
  }
  const text = params.toString()
  return `/processes/${encodeURIComponent(processId)}/threads${text ? `?${text}` : ''}`
}

/** The process's thread list: filters and order in the URL, pages, live updates. */
export function ThreadsSection({ process }: { process: ProcessDetail }) {
  const search = location.value.search
  const query = readThreadQuery(search)
  const key = threadsPath(process.id, query)
  const page = useResource(() => listThreads(process.id, query), [key])
  const documents = useResource(() => listDocuments(process.id), [process.id])
  const members = useResource(() => listMembers(process.id), [process.id])
  const consultations = useResource(() => listConsultations(process.id), [process.id])
  const sections = useResource(
    () => (query.document ? listSections(query.document) : Promise.resolve([])),
    [query.document ?? ''],
  )
  const [q, setQ] = useState(query.q ?? '')
  const reloadTimer = useRef<number | undefined>(undefined)

  useEffect(() => setQ(query.q ?? ''), [query.q])
  useEffect(() => () => window.clearTimeout(reloadTimer.current), [])

  // Events only name what changed: fetch the page again (a burst of events, one fetch).
  useLiveEvents(process.id, (event) => {
    if (event.type !== 'thread') {
      return
    }
    window.clearTimeout(reloadTimer.current)
    reloadTimer.current = window.setTimeout(() => void page.reload(), 150)
  })

  function go(change: Partial<ThreadListQuery>) {
    const next = { ...query, offset: undefined, ...change }
    if (change.document !== undefined && change.document !== query.document) {
      next.section = undefined
    }
    navigate(threadsPath(process.id, next), { focus: false })
  }

  const any: Option = { value: '', label: t('threads.list.any') }
  const documentOptions: Option[] = [
    { value: '', label: t('threads.list.allDocuments') },
    ...(documents.data ?? []).map((d) => ({ value: d.id, label: d.title })),
  ]
  const sectionOptions: Option[] = [
    { value: '', label: t('threads.list.allSections') },
    ...(sections.data ?? [])
      .filter((s): s is typeof s & { id: string } => s.id !== null)
      .map((s) => ({ value: s.id, label: `${'– '.repeat(s.level - 1)}${s.title}` })),
  ]
  const groupOptions: Option[] = [
    any,
    ...process.groups.map((g) => ({ value: g.key, label: groupLabel(g.key, process.groups) })),
  ]
  const kindOptions: Option[] = [
    any,
    ...THREAD_KINDS.map((k) => ({ value: k, label: t(`threads.kind.${k}`) })),
  ]
  const statusOptions: Option[] = [
    any,
    ...THREAD_STATUSES.map((s) => ({ value: s, label: t(`threads.status.${s}`) })),
  ]
  const authorOptions: Option[] = [
    any,
    ...(members.data ?? []).map((m) => ({ value: m.userId, label: m.name })),
  ]
  const originOptions: Option[] = [
    any,
    ...THREAD_ORIGINS.map((o) => ({ value: o, label: t(`consultations.origins.${o}`) })),
  ]
  const consultationOptions: Option[] = [
    any,
    ...(consultations.data?.items ?? []).map((c) => ({
      value: c.id,
      label: `/c/${c.slug}`,
    })),
  ]
  const moderator = allows('threads.moderate')
  const hiddenOptions: Option[] = HIDDEN_FILTERS.map((h) => ({
    value: h === 'exclude' ? '' : h,
    label: t(`hiddenNotice.filter.${h}`),
  }))
  const sortOptions: Option[] = THREAD_SORTS.map((s) => ({
    value: s,
    label: t(`threads.list.sorts.${s}`),
  }))
  const filtered = FILTERS.some((name) => query[name] !== undefined)

  const data = page.data
  const offset = query.offset ?? 0
  const total = data?.total ?? 0
  const from = total === 0 ? 0 : offset + 1
  const to = Math.min(offset + (data?.items.length ?? 0), total)

  return (
    <section aria-labelledby="section-heading">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {t('process.sections.threads')}
        </RouteHeading>
      </div>
      <p class="section-lead">{t('threads.list.lead')}</p>

      <form
        class="thread-filters"
        role="search"
        aria-label={t('threads.list.filters')}
        onSubmit={(e) => {
          e.preventDefault()
          go({ q: q.trim() || undefined })
        }}
      >
        <div class="filter-grid">
          <SelectField
            id="filter-document"
            label={t('threads.list.document')}
            value={query.document ?? ''}
            options={documentOptions}
            onValue={(v) => go({ document: v || undefined })}
          />
          <SelectField
            id="filter-section"
            label={t('threads.list.section')}
            value={query.section ?? ''}
            options={sectionOptions}
            disabled={!query.document}
            onValue={(v) => go({ section: v || undefined })}
          />
          <SelectField
            id="filter-group"
            label={t('threads.list.group')}
            value={query.group ?? ''}
            options={groupOptions}
            onValue={(v) => go({ group: v || undefined })}
          />
          <SelectField
            id="filter-kind"
            label={t('threads.list.kind')}
            value={query.kind ?? ''}
            options={kindOptions}
            onValue={(v) => go({ kind: oneOf(THREAD_KINDS, v) })}
          />
          <SelectField
            id="filter-status"
            label={t('threads.list.status')}
            value={query.status ?? ''}
            options={statusOptions}
            onValue={(v) => go({ status: oneOf(THREAD_STATUSES, v) })}
          />
          <SelectField
            id="filter-author"
            label={t('threads.list.author')}
            value={query.author ?? ''}
            options={authorOptions}
            onValue={(v) => go({ author: v || undefined })}
          />
          <SelectField
            id="filter-origin"
            label={t('consultations.filters.origin')}
            value={query.origin ?? ''}
            options={originOptions}
            onValue={(v) => go({ origin: oneOf(THREAD_ORIGINS, v) })}
          />
          {moderator ? (
            <SelectField
              id="filter-hidden"
              label={t('hiddenNotice.filter.label')}
              value={query.hidden === 'exclude' ? '' : (query.hidden ?? '')}
              options={hiddenOptions}
              onValue={(v) => go({ hidden: oneOf(HIDDEN_FILTERS, v) })}
            />
          ) : null}
          {consultationOptions.length > 1 ? (
            <SelectField
              id="filter-consultation"
              label={t('consultations.filters.consultation')}
              value={query.consultation ?? ''}
              options={consultationOptions}
              onValue={(v) => go({ consultation: v || undefined })}
            />
          ) : null}
          <div class="field">
            <label for="filter-q">{t('threads.list.q')}</label>
            <input
              id="filter-q"
              name="q"
              type="search"
              value={q}
              maxLength={LIMITS.searchMax}
              onInput={(e) => setQ(e.currentTarget.value)}
            />
          </div>
        </div>
        <div class="filter-actions">
          <Button type="submit" variant="primary" small>
            {t('threads.list.search')}
          </Button>
          {filtered ? (
            <Link
              class="btn btn-ghost btn-small"
              href={threadsPath(process.id, { sort: query.sort })}
            >
              {t('threads.list.clear')}
            </Link>
          ) : null}
        </div>
      </form>

      <div class="thread-list-bar">
        <p class="thread-list-count" role="status">
          {data ? t('threads.list.count', { count: total }) : ''}
        </p>
        <SelectField
          id="thread-sort"
          label={t('threads.list.sort')}
          value={query.sort ?? 'recent'}
          options={sortOptions}
          onValue={(v) => go({ sort: oneOf<ThreadSort>(THREAD_SORTS, v) })}
        />
      </div>

      {page.error ? <FormError id="threads-error" error={page.error} /> : null}
      {page.loading && !data ? <Loading /> : null}
      {data ? (
        data.items.length ? (
          <ol class="thread-list" aria-label={t('process.sections.threads')}>
            {data.items.map((thread) => (
              <li key={thread.id}>
                <ThreadCard
                  thread={thread}
                  showContext
                  onChange={(fresh) =>
                    page.setData((current) =>
                      current
                        ? {
                            ...current,
                            items: current.items.map((item) =>
                              item.id === fresh.id ? fresh : item,
                            ),
                          }
                        : { items: [fresh], total: 1 },
                    )
                  }
                  onGone={() => void page.reload()}
                />
              </li>
            ))}
          </ol>
        ) : (
          <Empty>{filtered ? t('threads.list.empty') : t('threads.list.emptyAll')}</Empty>
        )
      ) : null}

      {data && total > PAGE_SIZE ? (
        <nav class="pagination" aria-label={t('threads.list.pagination')}>
          <p>
            {t('threads.list.showing', {
              from: formatNumber(from),
              to: formatNumber(to),
              total: formatNumber(total),
            })}
          </p>
          <div class="form-actions">
            {offset > 0 ? (
              <Link
                class="btn btn-secondary btn-small"
                href={threadsPath(process.id, {
                  ...query,
                  offset: Math.max(0, offset - PAGE_SIZE),
                })}
                rel="prev"
              >
                {t('threads.list.previous')}
              </Link>
            ) : null}
            {offset + PAGE_SIZE < total ? (
              <Link
                class="btn btn-secondary btn-small"
                href={threadsPath(process.id, { ...query, offset: offset + PAGE_SIZE })}
                rel="next"
              >
                {t('threads.list.next')}
              </Link>
            ) : null}
          </div>
        </nav>
      ) : null}
    </section>
  )
}
