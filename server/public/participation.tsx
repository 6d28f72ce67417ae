/** @jsxRuntime automatic */
/** @jsxImportSource preact */
import type { ParticipationMeasures } from '../../shared/api/participation'
import { groupLabel } from '../consultation/public-i18n'
import type { PublicParticipation } from '../participation/service'
import { localised, Time, withLang } from './components'
import { RecordLayout, type RecordContext } from './record'

// GET /p/:slug/participation, who took part (issue 17, item 3): counts by group and by week,
// the organisations that agreed to be named, the workshops with public minutes and their
// attendance, the consultations with their windows and every change. Tables carry the data;
// the bars are inline SVG drawn from the same numbers (Preact escapes every attribute and text,
// so nothing typed by anyone becomes markup), hidden from assistive technology, which reads the
// table instead. No script.

const MEASURES: (keyof ParticipationMeasures)[] = [
  'comments',
  'endorsements',
  'contributions',
  'attendance',
  'organisations',
]

/** What a week's bar adds up: everything people said or backed, not who was in the room. */
const weekTotal = (m: ParticipationMeasures) => m.comments + m.endorsements + m.contributions

function ScrollTable(props: { labelledBy: string; children: preact.ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" tabIndex={0} aria-labelledby={props.labelledBy}>
      {props.children}
    </div>
  )
}

/**
 * The weeks in which anyone took part: a record spanning years (an earlier cycle's
 * consultation) would otherwise list hundreds of empty weeks and outgrow the page's budget.
 */
const activeWeeks = (data: PublicParticipation) =>
  data.participation.weeks.filter((w) => w.cells.some((cell) => weekTotal(cell) > 0))

function WeekBars({ ctx, data }: { ctx: RecordContext; data: PublicParticipation }) {
  const weeks = activeWeeks(data)
  const totals = weeks.map((w) => w.cells.reduce((sum, cell) => sum + weekTotal(cell), 0))
  const max = Math.max(1, ...totals)
  const rowHeight = 22
  const labelWidth = 110
  const width = 320
  return (
    <svg
      class="week-bars"
      role="presentation"
      aria-hidden="true"
      focusable="false"
      viewBox={`0 0 ${labelWidth + width + 40} ${weeks.length * rowHeight}`}
      width="100%"
    >
      {weeks.map((week, i) => {
        const total = totals[i] ?? 0
        const length = (total / max) * width
        return (
          <g transform={`translate(0 ${i * rowHeight})`}>
            <text x={0} y={15} font-size="12" fill="#1a1a1a">
              {new Intl.DateTimeFormat(ctx.lang, {
                day: 'numeric',
                month: 'short',
                timeZone: 'UTC',
              }).format(new Date(`${week.weekStart}T00:00:00Z`))}
            </text>
            <rect x={labelWidth} y={4} width={length} height={14} fill="#0b4fa8" />
            <text x={labelWidth + length + 4} y={15} font-size="12" fill="#1a1a1a">
              {new Intl.NumberFormat(ctx.lang).format(total)}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

/** GET /p/:slug/participation: who took part, as the public may know it. */
export function ParticipationPage({
  ctx,
  data,
}: {
  ctx: RecordContext
  data: PublicParticipation
}) {
  const { t, process } = ctx
  const p = data.participation
  const group = (key: string) => groupLabel(t, key, p.groups)
  const number = (n: number) => new Intl.NumberFormat(ctx.lang).format(n)
  const title = t('publicRecord.participation.title')
  const weekLabel = (day: string) => <Time at={`${day}T12:00:00Z`} lang={ctx.lang} day />
  return (
    <RecordLayout ctx={ctx} title={`${title} — ${process.title}`}>
      <p class="back">
        <a href={withLang(`/p/${process.slug}`, ctx.lang)}>{t('publicRecord.backHome')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">{t('publicRecord.participation.lead')}</p>
      <p>{t('publicRecord.participation.counted')}</p>

      <section aria-labelledby="by-group-heading">
        <h2 id="by-group-heading">{t('publicRecord.participation.byGroupHeading')}</h2>
        <ScrollTable labelledBy="by-group-heading">
          <table class="participation-table">
            <caption class="visually-hidden">
              {t('publicRecord.participation.byGroupCaption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('publicRecord.participation.group')}</th>
                {MEASURES.map((m) => (
                  <th scope="col">{t(`publicRecord.participation.measures.${m}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.byGroup.map((cell) => (
                <tr>
                  <th scope="row">{group(cell.group)}</th>
                  {MEASURES.map((m) => (
                    <td>{number(cell[m])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('publicRecord.participation.total')}</th>
                {MEASURES.map((m) => (
                  <td>{number(p.totals[m])}</td>
                ))}
              </tr>
            </tfoot>
          </table>
        </ScrollTable>
      </section>

      <section aria-labelledby="over-time-heading">
        <h2 id="over-time-heading">{t('publicRecord.participation.overTimeHeading')}</h2>
        {activeWeeks(data).length === 0 ? (
          <p>{t('publicRecord.participation.nothingYet')}</p>
        ) : (
          <>
            <p>{t('publicRecord.participation.overTimeLead')}</p>
            <WeekBars ctx={ctx} data={data} />
            <ScrollTable labelledBy="over-time-heading">
              <table class="participation-table">
                <caption class="visually-hidden">
                  {t('publicRecord.participation.overTimeCaption')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('publicRecord.participation.weekOf')}</th>
                    {p.groups.map((g) => (
                      <th scope="col">{group(g.key)}</th>
                    ))}
                    <th scope="col">{t('publicRecord.participation.total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {activeWeeks(data).map((week) => (
                    <tr>
                      <th scope="row">{weekLabel(week.weekStart)}</th>
                      {week.cells.map((cell) => (
                        <td>{number(weekTotal(cell))}</td>
                      ))}
                      <td>{number(week.cells.reduce((sum, cell) => sum + weekTotal(cell), 0))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          </>
        )}
      </section>

      <section aria-labelledby="organisations-heading">
        <h2 id="organisations-heading">{t('publicRecord.participation.organisationsHeading')}</h2>
        <p>{t('publicRecord.participation.organisationsLead')}</p>
        {data.organisations.length === 0 ? (
          <p>{t('publicRecord.participation.noOrganisations')}</p>
        ) : (
          <ul class="organisations">
            {data.organisations.map((o) => (
              <li>
                {o.name}{' '}
                <span class="record-item-meta">
                  ({o.ways.map((way) => t(`publicRecord.participation.ways.${way}`)).join(', ')})
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="held-workshops-heading">
        <h2 id="held-workshops-heading">{t('publicRecord.participation.workshopsHeading')}</h2>
        {data.workshops.length === 0 ? (
          <p>{t('publicRecord.noWorkshops')}</p>
        ) : (
          <ScrollTable labelledBy="held-workshops-heading">
            <table class="participation-table">
              <caption class="visually-hidden">
                {t('publicRecord.participation.workshopsCaption')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('publicRecord.participation.workshop')}</th>
                  {p.groups.map((g) => (
                    <th scope="col">{group(g.key)}</th>
                  ))}
                  <th scope="col">{t('publicRecord.participation.total')}</th>
                </tr>
              </thead>
              <tbody>
                {data.workshops.map((w) => (
                  <tr>
                    <th scope="row">
                      <a href={withLang(`/p/${process.slug}/workshops/${w.id}`, ctx.lang)}>
                        {w.title}
                      </a>
                      <br />
                      <Time at={w.startsAt} lang={ctx.lang} timeZone={w.timeZone} day />
                    </th>
                    {p.groups.map((g) => (
                      <td>{number(w.attendance.find((a) => a.group === g.key)?.count ?? 0)}</td>
                    ))}
                    <td>{number(w.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        )}
      </section>

      <section aria-labelledby="windows-heading">
        <h2 id="windows-heading">{t('publicRecord.participation.consultationsHeading')}</h2>
        {data.consultations.length === 0 ? (
          <p>{t('publicRecord.noConsultations')}</p>
        ) : (
          <ul class="record-list">
            {data.consultations.map((c) => (
              <li class="record-item">
                <p class="record-item-title">
                  <a href={withLang(`/c/${c.slug}`, ctx.lang)}>
                    {localised(c.title, ctx.lang, process.languages)}
                  </a>
                </p>
                <p class="record-item-meta">
                  {t('publicConsultation.opensAt')}:{' '}
                  <Time at={c.opensAt} lang={ctx.lang} timeZone={c.timeZone} /> ·{' '}
                  {t('publicConsultation.closesAt')}:{' '}
                  <Time at={c.closesAt} lang={ctx.lang} timeZone={c.timeZone} />
                </p>
                {c.changes.length > 0 ? (
                  <ul>
                    {c.changes.map((change) => (
                      <li>
                        {change.kind === 'extended' ? (
                          <>
                            {t('publicRecord.participation.changes.extended')}{' '}
                            <Time at={change.at} lang={ctx.lang} timeZone={c.timeZone} day />
                            {change.closesBefore ? (
                              <>
                                {' — '}
                                {t('publicRecord.participation.changes.closedBefore')}{' '}
                                <Time
                                  at={change.closesBefore}
                                  lang={ctx.lang}
                                  timeZone={c.timeZone}
                                />
                              </>
                            ) : null}
                            {change.closesAfter ? (
                              <>
                                {' — '}
                                {t('publicRecord.participation.changes.closesAfter')}{' '}
                                <Time
                                  at={change.closesAfter}
                                  lang={ctx.lang}
                                  timeZone={c.timeZone}
                                />
                              </>
                            ) : null}
                          </>
                        ) : (
                          <>
                            {t(
                              change.kind === 'closed-early'
                                ? 'publicRecord.participation.changes.closedEarly'
                                : 'publicRecord.participation.changes.published',
                            )}{' '}
                            <Time at={change.at} lang={ctx.lang} timeZone={c.timeZone} day />
                          </>
                        )}
                        {change.reason.trim() !== '' ? (
                          <>
                            {' '}
                            <span class="reason">
                              {t('publicConsultation.changes.reason', { reason: change.reason })}
                            </span>
                          </>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </RecordLayout>
  )
}
