import { useEffect } from 'preact/hooks'
import type { ProcessDetail } from '../../shared/api/processes'
import { FormError } from '../components/errors'
import { Link } from '../components/link'
import { RouteHeading, usePageTitle } from '../components/page'
import { Loading, Notice } from '../components/status'
import { t } from '../i18n'
import { allows, currentProcess, loadProcess, processError } from '../state/process'
import { ActivitySection } from './process/activity'
import { ConsultationsSection } from './process/consultations'
import { DocumentsSection } from './process/documents'
import { GroupsSection } from './process/groups'
import { InvitationsSection } from './process/invitations'
import { MembersSection } from './process/members'
import { ModerationSection } from './process/moderation'
import { ParticipationSection } from './process/participation'
import { SettingsSection } from './process/settings'
import { ThreadsSection } from './process/threads'
import { WorkshopsSection } from './process/workshops'
import { StrategySection } from './process/strategy'
import { NotFoundPage } from './not-found'

/** The sections of a process home, each its own URL (`/processes/:id/<section>`). */
export const SECTIONS = [
  'documents',
  'threads',
  'consultations',
  'workshops',
  'strategy',
  'participation',
  'members',
  'invitations',
  'groups',
  'moderation',
  'settings',
  'activity',
] as const
export type Section = (typeof SECTIONS)[number]

export function isSection(value: string): value is Section {
  return (SECTIONS as readonly string[]).includes(value)
}

/** A section's tab label (the workshops' strings live in their own i18n block). */
export function sectionLabel(section: Section): string {
  return section === 'workshops'
    ? t('workshops.tab')
    : section === 'strategy'
      ? t('strategy.tab')
      : t(`process.sections.${section}`)
}

/** Which sections this user sees; the server refuses the rest anyway. */
function visibleSections(): Section[] {
  return SECTIONS.filter((section) => {
    switch (section) {
      case 'documents':
      case 'members':
      case 'groups':
      case 'consultations':
      case 'workshops':
      case 'strategy':
        return true
      case 'threads':
        return allows('threads.read')
      case 'moderation':
        return allows('threads.moderate')
      case 'invitations':
        return allows('members.manage')
      case 'settings':
        return allows('process.update') || allows('process.archive')
      case 'activity':
        return allows('audit.read')
      case 'participation':
        return allows('participation.read')
    }
  })
}

function sectionPath(id: string, section: Section): string {
  const base = `/processes/${encodeURIComponent(id)}`
  return section === 'documents' ? base : `${base}/${section}`
}

export function ProcessHomePage({
  id,
  section,
  sub,
}: {
  id: string
  section: Section
  /** A page inside the section (`/processes/:id/consultations/<sub>`). */
  sub?: string
}) {
  useEffect(() => {
    void loadProcess(id)
  }, [id])

  const process = currentProcess.value?.id === id ? currentProcess.value : null
  const error = processError.value
  usePageTitle(process ? `${sectionLabel(section)} · ${process.title}` : null)

  if (error) {
    if (error.code === 'not_found' || error.code === 'validation_failed') {
      return <NotFoundPage />
    }
    return (
      <div class="container page">
        <FormError id="process-error" error={error} />
      </div>
    )
  }
  if (!process) {
    return (
      <div class="container page">
        <Loading />
      </div>
    )
  }

  const sections = visibleSections()
  const shown = sections.includes(section) ? section : null

  return (
    <div class="container page">
      <p class="back-link">
        <Link href="/">
          <span aria-hidden="true">← </span>
          {t('process.allProcesses')}
        </Link>
      </p>
      <ProcessHeader process={process} />
      {process.archived ? (
        <Notice tone="warning" title={t('process.archivedTitle')}>
          <p>{t('process.archivedBody')}</p>
        </Notice>
      ) : null}

      <nav class="tabs" aria-label={t('process.sectionsLabel')}>
        <ul>
          {sections.map((s) => (
            <li key={s}>
              <Link
                href={sectionPath(process.id, s)}
                aria-current={s === section ? 'page' : undefined}
              >
                {sectionLabel(s)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <div class="tab-panel">
        {shown ? <SectionBody process={process} section={shown} sub={sub} /> : <Forbidden />}
      </div>
    </div>
  )
}

function Forbidden() {
  return (
    <>
      <RouteHeading level={2}>{t('errors.forbidden')}</RouteHeading>
      <p>{t('process.sectionForbidden')}</p>
    </>
  )
}

function SectionBody({
  process,
  section,
  sub,
}: {
  process: ProcessDetail
  section: Section
  sub?: string | undefined
}) {
  switch (section) {
    case 'consultations':
      return <ConsultationsSection process={process} sub={sub} />
    case 'workshops':
      return <WorkshopsSection process={process} sub={sub} />
    case 'strategy':
      return <StrategySection process={process} />
    case 'documents':
      return <DocumentsSection process={process} />
    case 'threads':
      return <ThreadsSection process={process} />
    case 'moderation':
      return <ModerationSection process={process} />
    case 'members':
      return <MembersSection process={process} />
    case 'invitations':
      return <InvitationsSection process={process} />
    case 'groups':
      return <GroupsSection process={process} />
    case 'settings':
      return <SettingsSection process={process} />
    case 'activity':
      return <ActivitySection process={process} />
    case 'participation':
      return <ParticipationSection process={process} />
  }
}

function ProcessHeader({ process }: { process: ProcessDetail }) {
  return (
    <header class="process-header">
      <div class="process-badges">
        <span class={`stage stage-${process.stage}`}>{t(`stages.${process.stage}`)}</span>
        {process.archived ? (
          <span class="badge badge-muted">{t('processes.archivedBadge')}</span>
        ) : null}
      </div>
      <RouteHeading>{process.title}</RouteHeading>
      {process.description ? <p class="process-description">{process.description}</p> : null}
      <ul class="process-facts" role="list">
        <li>
          <span class="fact-label">{t('processes.yourRole')}:</span> {t(`roles.${process.myRole}`)}
        </li>
        <li>
          <span class="fact-label">{t('processes.languages')}:</span>{' '}
          {process.languages.map((l) => t(`languages.${l}`)).join(', ')}
        </li>
        <li>{t('process.memberCount', { count: process.memberCount })}</li>
        <li>{t('process.documentCount', { count: process.documentCount })}</li>
      </ul>
    </header>
  )
}
