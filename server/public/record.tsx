/** @jsxRuntime automatic */
/** @jsxImportSource preact */
import type { Minutes } from '../../shared/api/workshops'
import { groupLabel } from '../consultation/public-i18n'
import {
  Layout,
  localised,
  Paragraphs,
  Time,
  withLang,
  type PageAssets,
} from './components'
import type { Translate } from './i18n'

// The public record of a process at /p/:slug (issue 14, item 7): its stages, its published
// consultations with their reports, and the minutes its workshops published to the public.
// Only what was published on purpose reaches these components (server/public/queries.ts).

export interface RecordProcess {
  id: string
  slug: string
  title: string
  description: string
  languages: string[]
  stage: string
  createdAt: Date
  groups: { key: string; label: string | null }[]
}

export interface RecordConsultation {
  slug: string
  title: Record<string, string>
  opensAt: Date
  closesAt: Date
  timeZone: string
  phase: 'scheduled' | 'open' | 'closed'
}

export interface RecordWorkshop {
  id: string
  title: string
  startsAt: Date
  timeZone: string
  publishedAt: Date
}

export interface RecordStageMove {
  from: string
  to: string
  at: Date
  isBack: boolean
}

/** What every page of the record knows. */
export interface RecordContext {
  process: RecordProcess
  lang: string
  t: Translate
  /** The path of this page, for the language links. */
  path: string
  assets: PageAssets
}

function RecordLayout(props: { ctx: RecordContext; title: string; children: preact.ComponentChildren }) {
  const { ctx } = props
  return (
    <Layout
      lang={ctx.lang}
      t={ctx.t}
      title={props.title}
      assets={ctx.assets}
      site={{ name: ctx.process.title, href: withLang(`/p/${ctx.process.slug}`, ctx.lang) }}
      languages={ctx.process.languages.map((code) => ({ code, href: withLang(ctx.path, code) }))}
      footer={ctx.t('publicRecord.footer')}
    >
      {props.children}
    </Layout>
  )
}

const STAGE_ORDER = [
  'drafting',
  'stakeholder-review',
  'public-consultation',
  'response',
  'adopted',
  'implementation-review',
]

function Timeline({ ctx, moves }: { ctx: RecordContext; moves: RecordStageMove[] }) {
  const { t } = ctx
  return (
    <section class="record-timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t('publicRecord.timelineHeading')}</h2>
      <ol class="timeline">
        <li>
          <Time at={ctx.process.createdAt} lang={ctx.lang} day /> —{' '}
          {t('publicRecord.started')} ({t('stages.drafting')})
        </li>
        {moves.map((move) => (
          <li class={move.isBack ? 'timeline-back' : undefined}>
            <Time at={move.at} lang={ctx.lang} day /> —{' '}
            {t(move.isBack ? 'publicRecord.movedBackTo' : 'publicRecord.movedTo', {
              stage: t(`stages.${move.to}`),
            })}
          </li>
        ))}
      </ol>
    </section>
  )
}

function ConsultationItem({ ctx, c }: { ctx: RecordContext; c: RecordConsultation }) {
  const { t } = ctx
  const title = localised(c.title, ctx.lang, ctx.process.languages)
  return (
    <li class="record-item">
      <p class="record-item-title">
        <a href={withLang(`/c/${c.slug}`, ctx.lang)}>{title}</a>{' '}
        <span class={`phase phase-${c.phase}`}>{t(`publicConsultation.phase.${c.phase}`)}</span>
      </p>
      <p class="record-item-meta">
        {t('publicConsultation.opensAt')}: <Time at={c.opensAt} lang={ctx.lang} timeZone={c.timeZone} /> ·{' '}
        {t('publicConsultation.closesAt')}: <Time at={c.closesAt} lang={ctx.lang} timeZone={c.timeZone} />
      </p>
      {c.phase === 'closed' ? (
        <p>
          <a href={withLang(`/c/${c.slug}/report`, ctx.lang)}>
            {t('publicRecord.report')}
            <span class="visually-hidden">: {title}</span>
          </a>
        </p>
      ) : null}
    </li>
  )
}

export interface ProcessHomeData {
  moves: RecordStageMove[]
  consultations: RecordConsultation[]
  workshops: RecordWorkshop[]
}

/** GET /p/:slug: the public home of a process. */
export function ProcessHomePage({ ctx, data }: { ctx: RecordContext; data: ProcessHomeData }) {
  const { t, process } = ctx
  const current = data.consultations.filter((c) => c.phase !== 'closed')
  const past = data.consultations.filter((c) => c.phase === 'closed')
  const stageIndex = STAGE_ORDER.indexOf(process.stage)
  return (
    <RecordLayout ctx={ctx} title={process.title}>
      <h1>{process.title}</h1>
      <p class="lead">{t('publicRecord.lead')}</p>
      {process.description.trim() !== '' ? (
        <div class="introduction">
          <Paragraphs value={process.description} />
        </div>
      ) : null}
      <p class="phase">
        <strong>{t('publicRecord.stageNow', { stage: t(`stages.${process.stage}`) })}</strong>
      </p>
      <ol class="stage-steps" aria-label={t('publicRecord.timelineHeading')}>
        {STAGE_ORDER.map((stage, i) => (
          <li
            class={i < stageIndex ? 'step-done' : i === stageIndex ? 'step-current' : 'step-next'}
            aria-current={i === stageIndex ? 'step' : undefined}
          >
            {t(`stages.${stage}`)}
          </li>
        ))}
      </ol>
      <Timeline ctx={ctx} moves={data.moves} />
      <section aria-labelledby="consultations-heading">
        <h2 id="consultations-heading">{t('publicRecord.consultationsHeading')}</h2>
        {data.consultations.length === 0 ? <p>{t('publicRecord.noConsultations')}</p> : null}
        {current.length > 0 ? (
          <>
            <h3>{t('publicRecord.openHeading')}</h3>
            <ul class="record-list">
              {current.map((c) => (
                <ConsultationItem ctx={ctx} c={c} />
              ))}
            </ul>
          </>
        ) : null}
        {past.length > 0 ? (
          <>
            <h3>{t('publicRecord.pastHeading')}</h3>
            <ul class="record-list">
              {past.map((c) => (
                <ConsultationItem ctx={ctx} c={c} />
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section aria-labelledby="workshops-heading">
        <h2 id="workshops-heading">{t('publicRecord.workshopsHeading')}</h2>
        {data.workshops.length === 0 ? (
          <p>{t('publicRecord.noWorkshops')}</p>
        ) : (
          <ul class="record-list">
            {data.workshops.map((w) => (
              <li class="record-item">
                <p class="record-item-title">
                  <a href={withLang(`/p/${process.slug}/workshops/${w.id}`, ctx.lang)}>
                    {t('publicRecord.minutesOf', { title: w.title })}
                  </a>
                </p>
                <p class="record-item-meta">
                  {t('publicRecord.minutes.held')}{' '}
                  <Time at={w.startsAt} lang={ctx.lang} timeZone={w.timeZone} day />
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p class="note">{t('publicRecord.notPublishedSections')}</p>
    </RecordLayout>
  )
}

/** The minutes as the public reads them: names only of those who agreed to be named. */
export type PublicMinutes = Omit<Minutes, 'workshopId' | 'public'>

/** GET /p/:slug/workshops/:id: the minutes a workshop published to the public. */
export function WorkshopMinutesPage({ ctx, minutes }: { ctx: RecordContext; minutes: PublicMinutes }) {
  const { t, process } = ctx
  const m = minutes
  const group = (key: string) => groupLabel(t, key, process.groups)
  const heading = t('publicRecord.minutesOf', { title: m.title })
  const who = (c: Minutes['decisions'][number]) =>
    [c.authorName || t('publicRecord.minutes.attendee'), c.authorOrganisation, group(c.authorGroup)]
      .filter(Boolean)
      .join(' · ')
  return (
    <RecordLayout ctx={ctx} title={`${heading} — ${process.title}`}>
      <p class="back">
        <a href={withLang(`/p/${process.slug}`, ctx.lang)}>{t('publicRecord.backHome')}</a>
      </p>
      <h1>{heading}</h1>
      <p class="record-item-meta">
        <Time at={m.startsAt} lang={ctx.lang} timeZone={m.timeZone} />
        {m.publishedAt ? (
          <>
            {' · '}
            {t('publicRecord.minutes.published')}{' '}
            <Time at={m.publishedAt} lang={ctx.lang} timeZone={m.timeZone} day />
          </>
        ) : null}
      </p>
      {m.purpose ? (
        <section aria-labelledby="purpose-heading">
          <h2 id="purpose-heading">{t('publicRecord.minutes.purpose')}</h2>
          <Paragraphs value={m.purpose} />
        </section>
      ) : null}
      {m.summary ? (
        <section aria-labelledby="summary-heading">
          <h2 id="summary-heading">{t('publicRecord.minutes.summary')}</h2>
          <Paragraphs value={m.summary} />
        </section>
      ) : null}
      <section aria-labelledby="attendance-heading">
        <h2 id="attendance-heading">{t('publicRecord.minutes.attendanceHeading')}</h2>
        <p>{t('publicRecord.minutes.attendance', { count: m.attendance.total })}</p>
        <h3>{t('publicRecord.minutes.byGroup')}</h3>
        <ul>
          {m.attendance.byGroup.map((g) => (
            <li>
              {group(g.group)}: {t('publicRecord.minutes.people', { count: g.count })}
            </li>
          ))}
        </ul>
        {m.attendance.byOrganisation.length > 0 ? (
          <>
            <h3>{t('publicRecord.minutes.byOrganisation')}</h3>
            <ul>
              {m.attendance.byOrganisation.map((o) => (
                <li>
                  {o.organisation}: {t('publicRecord.minutes.people', { count: o.count })}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {m.attendance.named.length > 0 ? (
          <>
            <h3>{t('publicRecord.minutes.named')}</h3>
            <ul>
              {m.attendance.named.map((p) => (
                <li>{[p.name, p.organisation, group(p.group)].filter(Boolean).join(' · ')}</li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section aria-labelledby="agenda-heading">
        <h2 id="agenda-heading">{t('publicRecord.minutes.agendaHeading')}</h2>
        <ol>
          {m.agenda.map((item) => (
            <li>
              {item.title} ({t('publicRecord.minutes.agendaMinutes', { count: item.minutes })})
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="contributions-heading">
        <h2 id="contributions-heading">{t('publicRecord.minutes.contributionsHeading')}</h2>
        {m.contributions.length === 0 ? <p>{t('publicRecord.minutes.none')}</p> : null}
        {m.contributions.map((section) => (
          <>
            <h3>{section.title || t('publicRecord.minutes.otherTopics')}</h3>
            <ul class="comment-list">
              {section.items.map((c) => (
                <li class="comment">
                  <p class="comment-meta">
                    <strong>{t(`workshops.kind.${c.kind}`)}</strong> · {who(c)}
                  </p>
                  <div class="comment-body">
                    <Paragraphs value={c.body} />
                  </div>
                </li>
              ))}
            </ul>
          </>
        ))}
      </section>
      <section aria-labelledby="decisions-heading">
        <h2 id="decisions-heading">{t('publicRecord.minutes.decisionsHeading')}</h2>
        {m.decisions.length === 0 ? (
          <p>{t('publicRecord.minutes.none')}</p>
        ) : (
          <ul>
            {m.decisions.map((c) => (
              <li>
                <Paragraphs value={c.body} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">{t('publicRecord.minutes.actionsHeading')}</h2>
        {m.actions.length === 0 ? (
          <p>{t('publicRecord.minutes.none')}</p>
        ) : (
          <ul>
            {m.actions.map((c) => (
              <li>
                <Paragraphs value={c.body} />
                <p class="record-item-meta">
                  {[
                    c.owner ? t('publicRecord.minutes.owner', { owner: c.owner }) : null,
                    c.dueDate ? t('publicRecord.minutes.due', { date: c.dueDate }) : null,
                    c.status ? t(`workshops.actionStatus.${c.status}`) : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      {m.polls.length > 0 ? (
        <section aria-labelledby="polls-heading">
          <h2 id="polls-heading">{t('publicRecord.minutes.pollsHeading')}</h2>
          {m.polls.map((poll) => (
            <>
              <h3>{poll.question}</h3>
              <p>{t('publicRecord.minutes.votes', { count: poll.votes })}</p>
              <ul>
                {poll.options.map((option, i) => (
                  <li>
                    {option}: {t('publicRecord.minutes.votes', { count: poll.results[i] ?? 0 })}
                  </li>
                ))}
              </ul>
            </>
          ))}
        </section>
      ) : null}
    </RecordLayout>
  )
}
