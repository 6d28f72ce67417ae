import { useState } from 'preact/hooks'
import type { AuditEntry } from '../../../shared/api/processes'
import { listAudit } from '../../api/audit'
import { toApiError, type ApiError } from '../../api/client'
import { Button } from '../../components/buttons'
import { FormError } from '../../components/errors'
import { RouteHeading } from '../../components/page'
import { Empty, Loading } from '../../components/status'
import { useResource } from '../../components/use-resource'
import { formatDateTime, hasTranslation, language, t } from '../../i18n'
import { groupLabel } from '../../state/process'
import type { ProcessDetail } from '../../../shared/api/processes'
import { activitySentence } from './activity-sentence'

const PAGE_SIZE = 50

/** The entry as a sentence with links, in the interface language (issue 15, item 6). */
function EntrySentence({ entry, process }: { entry: AuditEntry; process: ProcessDetail }) {
  const parts = activitySentence(entry, {
    t,
    has: hasTranslation,
    processId: process.id,
    group: (key) => groupLabel(key, process.groups),
    language: language.value,
    formatDateTime,
  })
  return (
    <p class="timeline-line">
      {parts.map((part, i) =>
        typeof part === 'string' ? (
          part
        ) : (
          <a key={i} href={part.href}>
            {part.text}
          </a>
        ),
      )}
    </p>
  )
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
            {entries.map((entry) => (
              <li key={entry.id} class="timeline-item">
                <EntrySentence entry={entry} process={process} />
                <p class="timeline-time">
                  <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                </p>
              </li>
            ))}
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
