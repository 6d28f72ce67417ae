import { useState } from 'preact/hooks'
import type { Invitation, ProcessDetail } from '../../../shared/api/processes'
import { toApiError } from '../../api/client'
import { listInvitations, revokeInvitation } from '../../api/members'
import { ConfirmButton } from '../../components/buttons'
import { FormError, errorText } from '../../components/errors'
import { Link } from '../../components/link'
import { RouteHeading } from '../../components/page'
import { Empty, Loading, Notice } from '../../components/status'
import { useResource } from '../../components/use-resource'
import { formatDate, t } from '../../i18n'
import { allows, groupLabel } from '../../state/process'

export function InvitationsSection({ process }: { process: ProcessDetail }) {
  const invitations = useResource(() => listInvitations(process.id), [process.id])
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const canManage = allows('members.manage')

  async function revoke(invitation: Invitation) {
    setError(null)
    try {
      await revokeInvitation(process.id, invitation.id)
      setStatus(t('process.invitations.revoked', { email: invitation.email }))
      invitations.setData((list) => (list ?? []).filter((i) => i.id !== invitation.id))
    } catch (e) {
      setError(errorText(toApiError(e)))
    }
  }

  return (
    <section aria-labelledby="section-heading">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {t('process.sections.invitations')}
        </RouteHeading>
        {invitations.data ? (
          <p class="section-count">
            {t('process.invitations.count', { count: invitations.data.length })}
          </p>
        ) : null}
      </div>
      <p class="section-lead">
        {t('process.invitations.lead')}{' '}
        {canManage ? (
          <Link href={`/processes/${encodeURIComponent(process.id)}/members`}>
            {t('process.invitations.inviteFromMembers')}
          </Link>
        ) : null}
      </p>
      <div aria-live="polite" class="live-region">
        {status ? <Notice tone="success">{status}</Notice> : null}
      </div>
      {error ? <FormError id="invitations-action-error" error={null} message={error} /> : null}
      {invitations.loading && !invitations.data ? <Loading /> : null}
      {invitations.error ? <FormError id="invitations-error" error={invitations.error} /> : null}
      {invitations.data ? (
        invitations.data.length ? (
          <div class="table-wrap">
            <table class="data-table responsive-table">
              <caption class="visually-hidden">{t('process.invitations.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('fields.email')}</th>
                  <th scope="col">{t('fields.role')}</th>
                  <th scope="col">{t('fields.stakeholderGroup')}</th>
                  <th scope="col">{t('fields.organisation')}</th>
                  <th scope="col">{t('process.invitations.invitedBy')}</th>
                  <th scope="col">{t('process.invitations.expires')}</th>
                  {canManage ? (
                    <th scope="col">
                      <span class="visually-hidden">{t('common.actions')}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {invitations.data.map((invitation) => (
                  <tr key={invitation.id}>
                    <th scope="row" data-label={t('fields.email')}>
                      <span class="member-name">{invitation.email}</span>
                    </th>
                    <td data-label={t('fields.role')}>{t(`roles.${invitation.role}`)}</td>
                    <td data-label={t('fields.stakeholderGroup')}>
                      {groupLabel(invitation.stakeholderGroup, process.groups)}
                    </td>
                    <td data-label={t('fields.organisation')}>
                      {invitation.organisation || <span class="muted">{t('common.none')}</span>}
                    </td>
                    <td data-label={t('process.invitations.invitedBy')}>
                      {invitation.invitedBy}
                      <span class="cell-sub">{formatDate(invitation.createdAt)}</span>
                    </td>
                    <td data-label={t('process.invitations.expires')}>
                      {formatDate(invitation.expiresAt)}
                    </td>
                    {canManage ? (
                      <td class="row-actions">
                        <div class="row-actions-inner">
                          <ConfirmButton
                            label={t('process.invitations.revoke')}
                            ariaLabel={t('process.invitations.revokeLabel', {
                              email: invitation.email,
                            })}
                            question={t('process.invitations.revokeQuestion', {
                              email: invitation.email,
                            })}
                            confirmLabel={t('process.invitations.revokeConfirm')}
                            onConfirm={() => revoke(invitation)}
                          />
                        </div>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>{t('process.invitations.empty')}</Empty>
        )
      ) : null}
    </section>
  )
}
