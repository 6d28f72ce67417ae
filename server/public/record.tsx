/** @jsxRuntime automatic */
/** @jsxImportSource preact */
import type { Minutes } from '../../shared/api/workshops'
import type { PublicCommitment, PublicStrategy } from '../adoption/public'
import { groupLabel } from '../consultation/public-i18n'
import type { SectionComparison } from '../../shared/api/comparison'
import type { PublicChanges } from './changes'
import {
  languageLabel,
  Layout,
  Redline,
  TrustedHtml,
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

/** The frame of every page of the record: the process's name on top, its languages. */
export function RecordLayout(props: {
  ctx: RecordContext
  title: string
  children: preact.ComponentChildren
}) {
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
          <Time at={ctx.process.createdAt} lang={ctx.lang} day /> — {t('publicRecord.started')} (
          {t('stages.drafting')})
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
        {t('publicConsultation.opensAt')}:{' '}
        <Time at={c.opensAt} lang={ctx.lang} timeZone={c.timeZone} /> ·{' '}
        {t('publicConsultation.closesAt')}:{' '}
        <Time at={c.closesAt} lang={ctx.lang} timeZone={c.timeZone} />
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
  strategy: PublicStrategy | null
  commitments: PublicCommitment[]
  /** The consultation the strategy in force was compared with, when there is one. */
  changesAfter: { slug: string; title: Record<string, string> } | null
}

const FORMAT_LABELS: Record<string, string> = {
  docx: 'Word (.docx)',
  html: 'HTML',
  md: 'Markdown',
  json: 'JSON',
}

function StrategySection({
  ctx,
  strategy,
  changesAfter,
}: {
  ctx: RecordContext
  strategy: PublicStrategy | null
  changesAfter: ProcessHomeData['changesAfter']
}) {
  const { t, process } = ctx
  return (
    <section aria-labelledby="strategy-heading">
      <h2 id="strategy-heading">{t('publicRecord.strategyHeading')}</h2>
      {strategy === null ? (
        <p>{t('publicRecord.noStrategy')}</p>
      ) : (
        <>
          <dl class="window">
            <dt>{t('publicRecord.adoptedOn')}</dt>
            <dd>
              <Time at={`${strategy.adoptedOn}T12:00:00Z`} lang={ctx.lang} day />
            </dd>
            {strategy.instrument ? (
              <>
                <dt>{t('publicRecord.instrument')}</dt>
                <dd>{strategy.instrument}</dd>
              </>
            ) : null}
          </dl>
          {strategy.note ? <Paragraphs value={strategy.note} /> : null}
          <ul class="record-list">
            {strategy.texts.map((text) => (
              <li class="record-item">
                <p class="record-item-title">
                  <a
                    href={withLang(`/p/${process.slug}/strategy/${text.versionId}`, ctx.lang)}
                    hreflang={text.language}
                  >
                    {text.title}
                  </a>{' '}
                  ({languageLabel(t, text.language)}, {text.versionName})
                </p>
                <p class="record-item-meta">
                  {t('publicRecord.downloads')}:{' '}
                  {text.formats.map((format, i) => (
                    <>
                      {i > 0 ? ' · ' : null}
                      <a
                        href={`/p/${process.slug}/strategy/${text.versionId}?format=${format}`}
                        download
                      >
                        {FORMAT_LABELS[format] ?? format}
                        <span class="visually-hidden">
                          {' '}
                          ({text.title}, {languageLabel(t, text.language)})
                        </span>
                      </a>
                    </>
                  ))}
                </p>
              </li>
            ))}
          </ul>
          {changesAfter ? (
            <p>
              <a href={withLang(`/p/${process.slug}/changes`, ctx.lang)}>
                {t('publicRecord.changes.link')}
              </a>{' '}
              ({localised(changesAfter.title, ctx.lang, process.languages)})
            </p>
          ) : null}
        </>
      )}
    </section>
  )
}

function Implementation({
  ctx,
  commitments,
}: {
  ctx: RecordContext
  commitments: PublicCommitment[]
}) {
  const { t } = ctx
  const number = (n: number) => new Intl.NumberFormat(ctx.lang).format(n)
  return (
    <section aria-labelledby="implementation-heading">
      <h2 id="implementation-heading">{t('publicRecord.implementationHeading')}</h2>
      {commitments.length === 0 ? (
        <p>{t('publicRecord.noCommitments')}</p>
      ) : (
        <ol class="record-list">
          {commitments.map((c) => (
            <li class="record-item">
              <p class="record-item-title">
                <strong>{c.title}</strong>{' '}
                <span class={`phase status-${c.status}`}>{t(`strategy.statuses.${c.status}`)}</span>
              </p>
              <p class="record-item-meta">
                {[
                  c.organisation
                    ? t('publicRecord.responsible', { organisation: c.organisation })
                    : null,
                  c.dueOn ? t('publicRecord.minutes.due', { date: c.dueOn }) : null,
                  c.sectionTitle || null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              {c.status === 'dropped' && c.droppedReason ? <p>{c.droppedReason}</p> : null}
              {c.indicators.length > 0 ? (
                <ul>
                  {c.indicators.map((indicator) => (
                    <li>
                      {t('publicRecord.indicator', {
                        name: indicator.name,
                        measured: indicator.latest
                          ? `${number(indicator.latest.value)}${indicator.unit ? ` ${indicator.unit}` : ''}`
                          : t('publicRecord.notMeasured'),
                        target: `${number(indicator.target)}${indicator.unit ? ` ${indicator.unit}` : ''}`,
                      })}
                      {indicator.latest ? (
                        <meter
                          min={Math.min(0, indicator.baseline ?? 0)}
                          max={Math.max(indicator.target, indicator.latest.value)}
                          value={indicator.latest.value}
                          aria-hidden="true"
                        />
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : null}
              {c.updates[0] ? (
                <p class="record-item-meta">
                  {t('publicRecord.lastUpdate')} (
                  <Time at={c.updates[0].writtenAt} lang={ctx.lang} day />
                  ): {c.updates[0].body}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

/** GET /p/:slug/strategy/:versionId: one language of the strategy in force, to read and print. */
export function StrategyTextPage(props: { ctx: RecordContext; title: string; html: string }) {
  const { ctx } = props
  return (
    <RecordLayout ctx={ctx} title={`${props.title} — ${ctx.process.title}`}>
      <p class="back">
        <a href={withLang(`/p/${ctx.process.slug}`, ctx.lang)}>{ctx.t('publicRecord.backHome')}</a>
      </p>
      <h1>{props.title}</h1>
      <article class="document">
        <TrustedHtml html={props.html} />
      </article>
    </RecordLayout>
  )
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
      <section aria-labelledby="participation-heading">
        <h2 id="participation-heading">{t('publicRecord.participation.title')}</h2>
        <p>
          <a href={withLang(`/p/${process.slug}/participation`, ctx.lang)}>
            {t('publicRecord.participation.link')}
          </a>
        </p>
      </section>
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
      <StrategySection ctx={ctx} strategy={data.strategy} changesAfter={data.changesAfter} />
      <Implementation ctx={ctx} commitments={data.commitments} />
    </RecordLayout>
  )
}

/** The minutes as the public reads them: names only of those who agreed to be named. */
export type PublicMinutes = Omit<Minutes, 'workshopId' | 'public'>

/** GET /p/:slug/workshops/:id: the minutes a workshop published to the public. */
export function WorkshopMinutesPage({
  ctx,
  minutes,
}: {
  ctx: RecordContext
  minutes: PublicMinutes
}) {
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

function ComparedSection({ ctx, section }: { ctx: RecordContext; section: SectionComparison }) {
  const { t } = ctx
  const title = section.toTitle ?? section.fromTitle ?? ''
  const name = title === '' ? t('versions.compare.preamble') : title
  return (
    <article class={`compared-section status-${section.status}`}>
      <h3>
        {name} <span class="compare-status">{t(`versions.compare.status.${section.status}`)}</span>
      </h3>
      {section.isRenamed ? (
        <p class="record-item-meta">
          {t('versions.compare.renamedFrom', { title: section.fromTitle ?? '' })}
        </p>
      ) : null}
      {section.isMoved && section.status !== 'moved' ? (
        <p class="record-item-meta">{t('versions.compare.status.moved')}</p>
      ) : null}
      {section.isFormattingOnly ? (
        <p class="record-item-meta">{t('publicRecord.changes.formattingOnly')}</p>
      ) : null}
      <Redline parts={section.redline} t={t} label={name} />
    </article>
  )
}

/**
 * GET /p/:slug/changes: what changed between the text put to public consultation and the
 * strategy adopted, with the counts, then each section that differs with its redline, and the
 * sections that did not change by name only (their text is the adopted text).
 */
export function ChangesPage({ ctx, changes }: { ctx: RecordContext; changes: PublicChanges }) {
  const { t, process } = ctx
  const consultation = localised(changes.consultation.title, ctx.lang, process.languages)
  const different = changes.sections.filter(
    (s) => s.status === 'added' || s.status === 'removed' || s.isChanged,
  )
  const otherwise = changes.sections.filter((s) => !different.includes(s))
  return (
    <RecordLayout ctx={ctx} title={`${t('publicRecord.changes.heading')} — ${process.title}`}>
      <p class="back">
        <a href={withLang(`/p/${process.slug}`, ctx.lang)}>{t('publicRecord.backHome')}</a>
      </p>
      <h1>{t('publicRecord.changes.heading')}</h1>
      <p class="lead">{t('publicRecord.changes.lead')}</p>
      <dl class="window">
        <dt>{t('publicRecord.changes.consulted')}</dt>
        <dd>
          <a href={withLang(`/c/${changes.consultation.slug}`, ctx.lang)}>{consultation}</a> (
          {changes.consultation.versionName},{' '}
          <Time
            at={changes.consultation.opensAt}
            lang={ctx.lang}
            timeZone={changes.consultation.timeZone}
            day
          />{' '}
          –{' '}
          <Time
            at={changes.consultation.closesAt}
            lang={ctx.lang}
            timeZone={changes.consultation.timeZone}
            day
          />
          )
        </dd>
        <dt>{t('publicRecord.changes.adopted')}</dt>
        <dd>
          <a href={withLang(`/p/${process.slug}/strategy/${changes.adopted.versionId}`, ctx.lang)}>
            {changes.adopted.title}
          </a>{' '}
          ({changes.adopted.versionName},{' '}
          <Time at={`${changes.adoptedOn}T12:00:00Z`} lang={ctx.lang} day />)
        </dd>
      </dl>
      <p class="compare-summary">
        <strong>{t('versions.compare.summary', { ...changes.summary })}</strong>
      </p>
      <p class="hint">{t('publicRecord.changes.legend')}</p>
      <section aria-labelledby="changed-heading">
        <h2 id="changed-heading">{t('publicRecord.changes.changedHeading')}</h2>
        {different.length === 0 ? <p>{t('publicRecord.changes.none')}</p> : null}
        {different.map((section) => (
          <ComparedSection ctx={ctx} section={section} />
        ))}
      </section>
      {otherwise.length > 0 ? (
        <section aria-labelledby="unchanged-heading">
          <h2 id="unchanged-heading">{t('publicRecord.changes.sameText')}</h2>
          <ul>
            {otherwise.map((section) => {
              const title = section.toTitle ?? section.fromTitle ?? ''
              return (
                <li>
                  {title === '' ? t('versions.compare.preamble') : title} (
                  {t(`versions.compare.status.${section.status}`)}
                  {section.isRenamed
                    ? `; ${t('versions.compare.renamedFrom', { title: section.fromTitle ?? '' })}`
                    : ''}
                  )
                </li>
              )
            })}
          </ul>
        </section>
      ) : null}
    </RecordLayout>
  )
}
