import type { StakeholderGroup } from '../../../shared/api/processes'
import type { SectionThreadCount } from '../../../shared/api/threads'
import { t } from '../../i18n'
import { groupLabel } from '../../state/process'

/** Patterns (with colours) the bar's segments cycle through, so groups differ without colour too. */
const PATTERNS = 6

/**
 * A section's open threads per stakeholder group, as a small stacked bar in the outline
 * (issue 5, item 5). Each group's segment has its own colour and its own pattern, and the
 * whole is spelled out for screen readers ("Civil society 2, Academia 1"); hovering a segment
 * names it too.
 */
export function SectionThreadsBar({
  count,
  groups,
}: {
  count: SectionThreadCount
  groups: readonly StakeholderGroup[]
}) {
  if (count.open <= 0) {
    return null
  }
  const order = (key: string) => {
    const index = groups.findIndex((g) => g.key === key)
    return index < 0 ? groups.length : index
  }
  const segments = Object.entries(count.byGroup)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
  const list = segments
    .map(([key, n]) => t('comments.groupCount', { group: groupLabel(key, groups), count: n }))
    .join(', ')
  return (
    <span class="threads-bar">
      <span class="visually-hidden">
        {' — '}
        {t('comments.outlineOpen', { count: count.open })}
        {list ? `: ${list}` : ''}
      </span>
      <span class="threads-bar-track" aria-hidden="true">
        {segments.map(([key, n]) => (
          <span
            key={key}
            class={`threads-bar-seg group-pattern-${order(key) % PATTERNS}`}
            style={{ flexGrow: n }}
            title={t('comments.groupCount', { group: groupLabel(key, groups), count: n })}
          />
        ))}
      </span>
      <span class="threads-bar-count" aria-hidden="true">
        {count.open}
      </span>
    </span>
  )
}

/**
 * The key to the outline's bars (issue 17, item 1): each group's colour and pattern beside its
 * name, in the order the bars use. The bars themselves are hidden from screen readers, which
 * read each section's counts as text, so the legend is for sighted readers and says so to none.
 */
export function GroupLegend({ groups }: { groups: readonly StakeholderGroup[] }) {
  return (
    <div class="group-legend-box">
      <p class="group-legend-title" id="outline-legend-title">
        {t('editor.outline.legend')}
      </p>
      <ul class="group-legend" aria-labelledby="outline-legend-title">
        {groups.map((g, i) => (
          <li key={g.key}>
            <span class={`group-swatch group-pattern-${i % PATTERNS}`} aria-hidden="true" />
            {groupLabel(g.key, groups)}
          </li>
        ))}
      </ul>
    </div>
  )
}
