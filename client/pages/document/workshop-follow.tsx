import { useEffect, useState } from 'preact/hooks'
import type { LiveState } from '../../../shared/api/workshops'
import { useLiveEvents } from '../../api/events'
import { fetchLive } from '../../api/workshops'
import { Link } from '../../components/link'
import { sectionAnchor } from '../../editor/node-views'
import { t } from '../../i18n'
import { location } from '../../router'

/**
 * Follow mode of a workshop (issue 13, item 4): with `?workshop=<id>`, the document scrolls to
 * the section the facilitator is on and highlights it, again whenever the agenda moves on (the
 * live stream says so; the state comes from the API). Leaving follow mode drops the parameter.
 */
export function WorkshopFollowBar({
  processId,
  documentId,
}: {
  processId: string
  documentId: string
}) {
  const workshopId = location.value.search.get('workshop')
  const [live, setLive] = useState<LiveState | null>(null)
  const refresh = () => {
    if (workshopId) {
      fetchLive(workshopId).then(setLive, () => setLive(null))
    }
  }
  useEffect(refresh, [workshopId])
  useLiveEvents(workshopId ? processId : undefined, (event) => {
    if (event.type === 'workshop' && event.workshopId === workshopId) {
      refresh()
    }
  })
  const sectionId = live?.currentItem?.sectionId ?? null
  useEffect(() => {
    if (!sectionId) {
      return
    }
    // The editor may not have drawn the document yet: look again until the heading is there.
    let heading: HTMLElement | null = null
    let tries = 0
    const find = () => {
      heading = document.getElementById(sectionAnchor(sectionId))
      if (heading) {
        heading.scrollIntoView({ block: 'start' })
        heading.classList.add('section-followed')
      } else if (tries++ < 100) {
        timer = setTimeout(find, 100)
      }
    }
    let timer = setTimeout(find, 0)
    return () => {
      clearTimeout(timer)
      ;(heading as HTMLElement | null)?.classList.remove('section-followed')
    }
  }, [sectionId])
  if (!workshopId || !live || live.state !== 'running') {
    return null
  }
  const spotlight = live.spotlight
  return (
    <div class="workshop-follow" role="status">
      {t('workshops.follow.now', { title: live.currentItem?.title ?? '' })}{' '}
      <Link href={`/documents/${encodeURIComponent(documentId)}`}>
        {t('workshops.follow.leave')}
      </Link>
      {spotlight ? (
        <p class="follow-spotlight">
          <strong>{t('workshops.live.spotlight')}:</strong>{' '}
          {'quote' in spotlight ? (
            <q>{spotlight.quote}</q>
          ) : (
            <Link
              href={`/documents/${encodeURIComponent(documentId)}?workshop=${encodeURIComponent(workshopId)}&thread=${encodeURIComponent(spotlight.threadId)}`}
            >
              {t('workshops.spotlight.openThread')}
            </Link>
          )}
        </p>
      ) : null}
    </div>
  )
}
