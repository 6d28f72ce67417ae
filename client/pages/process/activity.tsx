import { useState } from 'preact/hooks'
import type { AuditEntry } from '../../../shared/api/processes'
import { listAudit } from '../../api/audit'
import { toApiError, type ApiError } from '../../api/client'
import { Button } from '../../components/buttons'
import { FormError } from '../../components/errors'
import { RouteHeading } from '../../components/page'
import { Empty, Loading } from '../../components/status'
import { useResource } from '../../components/use-resource'
import { formatDateTime, hasTranslation, t } from '../../i18n'
import { groupLabel } from '../../state/process'
import type { ProcessDetail } from '../../../shared/api/processes'

const PAGE_SIZE = 50

/** The audit action in words; unknown (newer) actions show as they are. */
function actionText(action: string): string {
  return hasTranslation(`audit.${action}`) ? t(`audit.${action}`) : action
}

/** Field names the server lists in `process.updated` details, as the forms call them. */
const FIELD_LABELS: Record<string, string> = {
  title: 'fields.processTitle',
  description: 'fields.description',
  languages: 'fields.languages',
  role: 'fields.role',
  stakeholderGroup: 'fields.stakeholderGroup',
  organisation: 'fields.organisation',
}

/** One detail value in words: roles and groups translated, empty values marked. */
function formatValue(key: string, raw: unknown, process: ProcessDetail): string {
  if (raw === null || raw === undefined || raw === '') {
    return t('common.none')
  }
  if (typeof raw === 'boolean') {
    return raw ? t('common.yes') : t('common.no')
  }
  if (Array.isArray(raw)) {
    return raw
      .map((item) =>
        key === 'fields' && typeof item === 'string' && FIELD_LABELS[item]
          ? t(FIELD_LABELS[item])
          : formatValue(key, item, process),
      )
      .join(', ')
  }
  if (typeof raw === 'object') {
    // A change, recorded as { from, to }.
    if ('from' in raw || 'to' in raw) {
      const change = raw as { from?: unknown; to?: unknown }
      return `${formatValue(key, change.from, process)} → ${formatValue(key, change.to, process)}`
    }
    return ''
  }
  const value = String(raw)
  if (key === 'role' && hasTranslation(`roles.${value}`)) {
    return t(`roles.${value}`)
  }
  if (key === 'stakeholderGroup' || key === 'group') {
    return groupLabel(value, process.groups)
  }
  return value
}

const DETAIL_ORDER = [
  'title',
  'label',
  'name',
  'email',
  'role',
  'stakeholderGroup',
  'organisation',
  'fields',
]

/** Known fields first, in a reading order; anything newer after them. */
function rank(key: string): number {
  const index = DETAIL_ORDER.indexOf(key)
  return index === -1 ? DETAIL_ORDER.length : index
}

/** Detail fields worth showing, labelled and translated where we know them. */
function detailItems(
  entry: AuditEntry,
  process: ProcessDetail,
): { key: string; label: string; value: string }[] {
  const items: { key: string; label: string; value: string }[] = []
  const entries = Object.entries(entry.details).sort(([a], [b]) => rank(a) - rank(b))
  for (const [key, raw] of entries) {
    if (raw === null || raw === undefined || raw === '') {
      continue
    }
    const value = formatValue(key, raw, process)
    if (!value) {
      continue
    }
    const label = hasTranslation(`auditDetails.${key}`) ? t(`auditDetails.${key}`) : key
    items.push({ key, label, value })
  }
  return items
}

export function ActivitySection({ process }: { process: ProcessDetail }) {
  const first = useResource(() => listAudit(process.id, null, PAGE_SIZE), [process.id])
  const [more, setMore] = useState<AuditEntry[]>([])
  const [next, setNext] = useState<number | null | undefined>(undefined)
  const [moreError, setMoreError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)

  const entries = [...(first.data?.entries ?? []), ...more]
  const nextBefore = next === undefined ? (first.data?.nextBefore ?? null) : next

  async function loadMore() {
    if (nextBefore === null || busy) {
      return
    }
    setBusy(true)
    setMoreError(null)
    try {
      const page = await listAudit(process.id, nextBefore, PAGE_SIZE)
      setMore((list) => [...list, ...page.entries])
      setNext(page.nextBefore)
    } catch (e) {
      setMoreError(toApiError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="section-heading">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {t('process.sections.activity')}
        </RouteHeading>
      </div>
      <p class="section-lead">{t('process.activity.lead')}</p>
      {first.loading && !first.data ? <Loading /> : null}
      {first.error ? <FormError id="activity-error" error={first.error} /> : null}
      {first.data ? (
        entries.length ? (
          <ol class="timeline">
            {entries.map((entry) => {
              const details = detailItems(entry, process)
              return (
                <li key={entry.id} class="timeline-item">
                  <p class="timeline-line">
                    <span class="timeline-action">{actionText(entry.action)}</span>
                    <span class="timeline-actor">
                      {entry.actorName
                        ? t('process.activity.by', { name: entry.actorName })
                        : t('process.activity.bySystem')}
                    </span>
                  </p>
                  <p class="timeline-time">
                    <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                  </p>
                  {details.length ? (
                    <dl class="timeline-details">
                      {details.map((d) => (
                        <div key={d.key}>
                          <dt>{d.label}</dt>
                          <dd>{d.value}</dd>
                        </div>
                      ))}
                    </dl>
                  ) : null}
                </li>
              )
            })}
          </ol>
        ) : (
          <Empty>{t('process.activity.empty')}</Empty>
        )
      ) : null}
      {moreError ? <FormError id="activity-more-error" error={moreError} /> : null}
      {first.data && nextBefore !== null ? (
        <div class="load-more">
          <Button busy={busy} onClick={() => void loadMore()}>
            {t('process.activity.loadMore')}
          </Button>
        </div>
      ) : null}
      <p class="visually-hidden" role="status">
        {more.length ? t('process.activity.loaded', { count: entries.length }) : ''}
      </p>
    </section>
  )
}
