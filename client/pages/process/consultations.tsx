import type { Consultation, ConsultationPhase } from '../../../shared/api/consultations'
import type { ProcessDetail } from '../../../shared/api/processes'
import { listConsultations } from '../../api/consultations'
import { FormError } from '../../components/errors'
import { Link } from '../../components/link'
import { RouteHeading } from '../../components/page'
import { Empty, Loading } from '../../components/status'
import { useResource } from '../../components/use-resource'
import { formatDateTimeIn, formatNumber, language, t } from '../../i18n'
import { navigate } from '../../router'
import { allows } from '../../state/process'
import '../../styles/consultations.css'
import { ConsultationDetail } from './consultation-detail'
import { ConsultationForm } from './consultation-form'
import { DEFAULT_MIN_DAYS_PER_PAGE } from '../../../shared/api/consultations'

export function consultationsPath(processId: string, sub?: string): string {
  const base = `/processes/${encodeURIComponent(processId)}/consultations`
  return sub ? `${base}/${encodeURIComponent(sub)}` : base
}

/** A per-language text in the interface language, else the process's first language, else any. */
export function inLanguage(texts: Record<string, string>, languages: readonly string[]): string {
  return (
    texts[language.value] || texts[languages[0] ?? ''] || Object.values(texts).find(Boolean) || ''
  )
}

export function PhaseBadge({ phase }: { phase: ConsultationPhase }) {
  return (
    <span class={`badge phase phase-${phase}`}>
      <span aria-hidden="true" class="phase-mark">
        {phase === 'open' ? '●' : phase === 'closed' ? '■' : phase === 'scheduled' ? '◷' : '✎'}
      </span>
      {t(`consultations.phase.${phase}`)}
    </span>
  )
}

/** "12 Mar 2026, 09:00 GMT-5 – 11 Apr 2026, 18:00 GMT-5 (America/Bogota)". */
export function windowText(c: Pick<Consultation, 'opensAt' | 'closesAt' | 'timeZone'>): string {
  return t('consultations.window', {
    opens: formatDateTimeIn(c.opensAt, c.timeZone),
    closes: formatDateTimeIn(c.closesAt, c.timeZone),
    zone: c.timeZone.replace(/_/g, ' '),
  })
}

/**
 * The Consultations tab: the list of the process's consultations; `/new` the secretariat's
 * opening form; `/<id>` one consultation.
 */
export function ConsultationsSection({ process, sub }: { process: ProcessDetail; sub?: string }) {
  if (sub && sub !== 'new') {
    return <ConsultationDetail process={process} consultationId={sub} />
  }
  return <ConsultationList process={process} creating={sub === 'new'} />
}

function ConsultationList({ process, creating }: { process: ProcessDetail; creating: boolean }) {
  const list = useResource(() => listConsultations(process.id), [process.id])
  const canManage = allows('consultations.manage')

  return (
    <section aria-labelledby="section-heading">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {creating ? t('consultations.form.title') : t('process.sections.consultations')}
        </RouteHeading>
        {canManage && !creating ? (
          <Link class="btn btn-primary btn-small" href={consultationsPath(process.id, 'new')}>
            {t('consultations.open')}
          </Link>
        ) : null}
      </div>
      {creating ? (
        canManage ? (
          <ConsultationForm
            process={process}
            minimumDaysPerPage={list.data?.minimumDaysPerPage ?? DEFAULT_MIN_DAYS_PER_PAGE}
            onCreated={(c) =>
              navigate(consultationsPath(process.id, c.id), { state: { created: true } })
            }
            onCancel={() => navigate(consultationsPath(process.id))}
          />
        ) : (
          <p>{t('process.sectionForbidden')}</p>
        )
      ) : (
        <>
          <p class="section-lead">{t('consultations.lead')}</p>
          {list.error ? <FormError id="consultations-error" error={list.error} /> : null}
          {list.loading && !list.data ? <Loading /> : null}
          {list.data ? (
            list.data.items.length ? (
              <ul class="consultation-list" role="list">
                {list.data.items.map((c) => (
                  <li key={c.id}>
                    <ConsultationItem process={process} consultation={c} />
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>{t('consultations.empty')}</Empty>
            )
          ) : null}
        </>
      )}
    </section>
  )
}

function ConsultationItem({
  process,
  consultation: c,
}: {
  process: ProcessDetail
  consultation: Consultation
}) {
  const title = inLanguage(c.title, process.languages)
  return (
    <article class="consultation-item" data-consultation-id={c.id}>
      <div class="consultation-item-head">
        <h3 class="consultation-title">
          <Link href={consultationsPath(process.id, c.id)}>{title}</Link>
        </h3>
        <PhaseBadge phase={c.phase} />
      </div>
      <ul class="consultation-facts" role="list">
        <li>
          <span class="fact-label">{t('consultations.version')}:</span>{' '}
          {t('consultations.versionLabel', { number: c.versionNumber, name: c.versionName })}
        </li>
        <li>
          <span class="fact-label">{t('consultations.windowLabel')}:</span> {windowText(c)}
        </li>
        <li>
          {t('consultations.submissions', {
            count: c.submissions,
            formatted: formatNumber(c.submissions),
          })}
          {' · '}
          {t('consultations.threads', { count: c.threads, formatted: formatNumber(c.threads) })}
        </li>
        <li>
          <span class="fact-label">{t('consultations.publicLink')}:</span>{' '}
          {c.phase === 'draft' ? (
            <span class="muted">
              <code>/c/{c.slug}</code> ({t('consultations.notPublicYet')})
            </span>
          ) : (
            <a href={c.publicUrl} target="_blank" rel="noopener">
              /c/{c.slug}
              <span class="visually-hidden"> ({t('consultations.newTab')})</span>
            </a>
          )}
        </li>
      </ul>
    </article>
  )
}
