import { useEffect, useRef, useState } from 'preact/hooks'
import type { ProcessDetail } from '../../../shared/api/processes'
import type {
  Participation,
  ParticipationMeasures,
  ParticipationOrigin,
  ParticipationQuery,
} from '../../../shared/api/participation'
import { listConsultations } from '../../api/consultations'
import { listDocuments } from '../../api/documents'
import { fetchParticipation } from '../../api/participation'
import { FormError } from '../../components/errors'
import { SelectField, TextField } from '../../components/fields'
import { RouteHeading } from '../../components/page'
import { Loading, Notice } from '../../components/status'
import { useResource } from '../../components/use-resource'
import { formatDate, formatNumber, language, t } from '../../i18n'
import { groupLabel } from '../../state/process'
import { groupColour } from '../../components/group-colours'
import '../../styles/comments.css'
import '../../styles/participation.css'

// The participation balance (issue 17, item 1) for the secretariat and facilitators: filters
// as labelled form controls, a heat map of sections × groups and bars per week drawn with
// Observable Plot (SVG, loaded only on this tab), and the same numbers as real tables. The
// charts are one image each with a name that says what they show; the tables are the
// accessible form of the data, and each scrolls inside its own labelled region on a phone.

type Measure = keyof ParticipationMeasures
const MEASURES: Measure[] = [
  'comments',
  'organisations',
  'endorsements',
  'contributions',
  'attendance',
]
const ORIGINS: ParticipationOrigin[] = ['members', 'public', 'workshop']

/** The section's title, or what a row outside any section is called. */
function sectionTitle(section: Participation['sections'][number]): string {
  return section.sectionId === null
    ? t('participation.freeTopics')
    : section.title || t('editor.outline.untitled')
}

/** Shortens long titles on the chart's axis; the table has them in full. */
function short(title: string, max: number): string {
  return title.length > max ? `${title.slice(0, max - 1)}…` : title
}

/** Renders a Plot chart into the element and keeps it at the element's width. */
function usePlot(
  draw: (plot: typeof import('@observablehq/plot'), width: number) => Element | null,
  deps: readonly unknown[],
) {
  const ref = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(0)
  useEffect(() => {
    const element = ref.current
    if (!element) {
      return
    }
    setWidth(element.clientWidth)
    const observer = new ResizeObserver(() => setWidth(element.clientWidth))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  useEffect(() => {
    const element = ref.current
    if (!element || width === 0) {
      return
    }
    let cancelled = false
    void import('@observablehq/plot').then((plot) => {
      if (cancelled) {
        return
      }
      const chart = draw(plot, width)
      // The chart is one image named by its own aria-label, and the table beside it carries
      // the data; Plot's labels on its inner groups ("cell", "bar") are not allowed on a plain
      // <g> and would only repeat the mark types, so they go.
      chart?.querySelectorAll('[aria-label], [aria-description]').forEach((inner) => {
        inner.removeAttribute('aria-label')
        inner.removeAttribute('aria-description')
      })
      element.replaceChildren(...(chart ? [chart] : []))
    })
    return () => {
      cancelled = true
    }
  }, [...deps, width])
  return ref
}

function HeatMap({ data, measure }: { data: Participation; measure: Measure }) {
  const ref = usePlot(
    (Plot, width) => {
      const narrow = width < 560
      const rows = data.sections.map((s, i) => ({
        i,
        title: short(sectionTitle(s), narrow ? 16 : 40),
      }))
      const cells = data.sections.flatMap((s, i) =>
        s.cells.map((c) => ({ row: i, group: groupLabel(c.group), value: c[measure] })),
      )
      const max = Math.max(1, ...cells.map((c) => c.value))
      const svg = Plot.plot({
        width,
        height: 40 + rows.length * 28,
        marginLeft: narrow ? 120 : 260,
        marginTop: 30,
        marginBottom: 10,
        style: { fontSize: narrow ? '11px' : '12px', background: 'transparent' },
        x: {
          axis: 'top',
          label: null,
          domain: data.groups.map((g) => groupLabel(g.key)),
          tickFormat: (g: string) => short(g, narrow ? 6 : 18),
        },
        y: {
          label: null,
          domain: rows.map((r) => r.i),
          tickFormat: (i: number) => rows[i]?.title ?? '',
        },
        color: { type: 'linear', domain: [0, max], range: ['#f1f5f9', '#1d4e6f'] },
        marks: [
          Plot.cell(cells, { x: 'group', y: 'row', fill: 'value', inset: 1 }),
          Plot.text(cells, {
            x: 'group',
            y: 'row',
            text: (d: { value: number }) => formatNumber(d.value),
            fill: (d: { value: number }) => (d.value > max / 2 ? '#ffffff' : '#1a1a1a'),
          }),
        ],
      })
      svg.setAttribute('role', 'img')
      svg.setAttribute(
        'aria-label',
        t('participation.heatMapLabel', { measure: t(`participation.measures.${measure}`) }),
      )
      return svg
    },
    [data, measure, language.value],
  )
  return <div class="participation-chart" ref={ref} />
}

const weekTotal = (c: ParticipationMeasures) => c.comments + c.endorsements + c.contributions

function WeekBars({ data }: { data: Participation }) {
  const ref = usePlot(
    (Plot, width) => {
      const bars = data.weeks.flatMap((w) =>
        w.cells.map((c) => ({
          week: formatDate(`${w.weekStart}T12:00:00Z`),
          group: groupLabel(c.group),
          value: weekTotal(c),
        })),
      )
      const labels = data.groups.map((g) => groupLabel(g.key))
      const svg = Plot.plot({
        width,
        height: 260,
        marginLeft: 40,
        marginBottom: 50,
        style: { fontSize: '11px', background: 'transparent' },
        x: {
          label: null,
          domain: data.weeks.map((w) => formatDate(`${w.weekStart}T12:00:00Z`)),
          tickRotate: -30,
        },
        y: { label: t('participation.perWeek'), grid: true },
        color: { domain: labels, range: data.groups.map((_, i) => groupColour(i)) },
        marks: [Plot.barY(bars, { x: 'week', y: 'value', fill: 'group' }), Plot.ruleY([0])],
      })
      svg.setAttribute('role', 'img')
      svg.setAttribute('aria-label', t('participation.weeksLabel'))
      return svg
    },
    [data, language.value],
  )
  return <div class="participation-chart" ref={ref} />
}

function Legend({ data }: { data: Participation }) {
  return (
    <ul class="group-legend" aria-label={t('participation.legend')}>
      {data.groups.map((g, i) => (
        <li key={g.key}>
          <span class={`group-swatch group-pattern-${i % 6}`} aria-hidden="true" />
          {groupLabel(g.key)}
        </li>
      ))}
    </ul>
  )
}

export function ParticipationSection({ process }: { process: ProcessDetail }) {
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [origin, setOrigin] = useState('')
  const [consultationId, setConsultationId] = useState('')
  const [documentId, setDocumentId] = useState('')
  const [measure, setMeasure] = useState<Measure>('comments')
  const query: ParticipationQuery = {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(origin ? { origin: origin as ParticipationOrigin } : {}),
    ...(consultationId ? { consultationId } : {}),
    ...(documentId ? { documentId } : {}),
  }
  const balance = useResource(
    () => fetchParticipation(process.id, query),
    [process.id, from, to, origin, consultationId, documentId],
  )
  const documents = useResource(() => listDocuments(process.id), [process.id])
  const consultations = useResource(() => listConsultations(process.id), [process.id])
  const data = balance.data
  const titleOf = (title: Record<string, string>) =>
    title[language.value] ?? Object.values(title).find((v) => v !== '') ?? ''

  return (
    <section aria-labelledby="section-heading" class="participation">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {t('process.sections.participation')}
        </RouteHeading>
      </div>
      <p class="section-lead">{t('participation.lead')}</p>

      <form
        class="participation-filters"
        onSubmit={(e) => e.preventDefault()}
        aria-label={t('participation.filters')}
      >
        <TextField
          id="participation-from"
          label={t('participation.from')}
          type="date"
          optional
          value={from}
          onValue={setFrom}
          max={to || undefined}
        />
        <TextField
          id="participation-to"
          label={t('participation.to')}
          type="date"
          optional
          value={to}
          onValue={setTo}
          min={from || undefined}
        />
        <SelectField
          id="participation-origin"
          label={t('participation.origin')}
          value={origin}
          onValue={setOrigin}
          options={[
            { value: '', label: t('participation.origins.all') },
            ...ORIGINS.map((o) => ({ value: o, label: t(`participation.origins.${o}`) })),
          ]}
        />
        <SelectField
          id="participation-document"
          label={t('participation.document')}
          value={documentId}
          onValue={setDocumentId}
          options={[
            { value: '', label: t('participation.allDocuments') },
            ...(documents.data ?? []).map((d) => ({ value: d.id, label: d.title })),
          ]}
        />
        <SelectField
          id="participation-consultation"
          label={t('participation.consultation')}
          value={consultationId}
          onValue={setConsultationId}
          options={[
            { value: '', label: t('participation.allConsultations') },
            ...(consultations.data?.items ?? []).map((c) => ({
              value: c.id,
              label: titleOf(c.title),
            })),
          ]}
        />
        <SelectField
          id="participation-measure"
          label={t('participation.measure')}
          value={measure}
          onValue={(v) => setMeasure(v as Measure)}
          options={MEASURES.map((m) => ({ value: m, label: t(`participation.measures.${m}`) }))}
        />
      </form>

      {balance.loading && !data ? <Loading /> : null}
      {balance.error ? <FormError id="participation-error" error={balance.error} /> : null}
      {data ? (
        <>
          <p class="participation-summary" role="status">
            {t('participation.summary', {
              comments: formatNumber(data.totals.comments),
              organisations: formatNumber(data.totals.organisations),
              attendance: formatNumber(data.totals.attendance),
            })}
          </p>
          {data.heldBack.hidden + data.heldBack.pending > 0 ? (
            <Notice tone="info" title={t('participation.heldBackTitle')}>
              <p>
                {t('participation.heldBack', {
                  hidden: formatNumber(data.heldBack.hidden),
                  pending: formatNumber(data.heldBack.pending),
                })}
              </p>
            </Notice>
          ) : null}

          <h3 id="participation-matrix-heading">
            {t('participation.matrixHeading', { measure: t(`participation.measures.${measure}`) })}
          </h3>
          <Legend data={data} />
          <HeatMap data={data} measure={measure} />
          <div
            class="table-wrap"
            tabIndex={0}
            role="region"
            aria-labelledby="participation-matrix-caption"
          >
            <table class="data-table participation-table">
              <caption id="participation-matrix-caption">
                {t('participation.matrixCaption', {
                  measure: t(`participation.measures.${measure}`),
                })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('participation.section')}</th>
                  {data.groups.map((g) => (
                    <th scope="col" key={g.key}>
                      {groupLabel(g.key)}
                    </th>
                  ))}
                  <th scope="col">{t('participation.total')}</th>
                </tr>
              </thead>
              <tbody>
                {data.sections.map((s) => (
                  <tr key={s.sectionId ?? ''}>
                    <th scope="row">{sectionTitle(s)}</th>
                    {s.cells.map((c) => (
                      <td class="num" key={c.group}>
                        {formatNumber(c[measure])}
                      </td>
                    ))}
                    <td class="num">{formatNumber(s.total[measure])}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('participation.total')}</th>
                  {data.byGroup.map((c) => (
                    <td class="num" key={c.group}>
                      {formatNumber(c[measure])}
                    </td>
                  ))}
                  <td class="num">{formatNumber(data.totals[measure])}</td>
                </tr>
              </tfoot>
            </table>
          </div>

          <h3 id="participation-weeks-heading">{t('participation.weeksHeading')}</h3>
          {data.weeks.length === 0 ? (
            <p>{t('participation.nothing')}</p>
          ) : (
            <>
              <WeekBars data={data} />
              <div
                class="table-wrap"
                tabIndex={0}
                role="region"
                aria-labelledby="participation-weeks-caption"
              >
                <table class="data-table participation-table">
                  <caption id="participation-weeks-caption">
                    {t('participation.weeksCaption')}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('participation.week')}</th>
                      {data.groups.map((g) => (
                        <th scope="col" key={g.key}>
                          {groupLabel(g.key)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {data.weeks.map((w) => (
                      <tr key={w.weekStart}>
                        <th scope="row">
                          <time dateTime={w.weekStart}>
                            {formatDate(`${w.weekStart}T12:00:00Z`)}
                          </time>
                        </th>
                        {w.cells.map((c) => (
                          <td class="num" key={c.group}>
                            {formatNumber(weekTotal(c))}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      ) : null}
    </section>
  )
}
