import { useEffect, useRef, useState } from 'preact/hooks'
import type { AddMemberResult, Member, ProcessDetail } from '../../../shared/api/processes'
import type { Role } from '../../../shared/domain/roles'
import { LIMITS } from '../../../shared/limits'
import { toApiError, type ApiError } from '../../api/client'
import { addMember, listMembers, removeMember, updateMember } from '../../api/members'
import { Button, ConfirmButton } from '../../components/buttons'
import { FormError, errorText, fieldErrorsFrom } from '../../components/errors'
import { SelectField, TextField, focusFirstInvalid } from '../../components/fields'
import { Link } from '../../components/link'
import { RouteHeading } from '../../components/page'
import { Empty, Loading, Notice } from '../../components/status'
import { useResource } from '../../components/use-resource'
import { formatDate, t } from '../../i18n'
import { navigate } from '../../router'
import { allows, groupLabel, loadProcess } from '../../state/process'
import { currentUser } from '../../state/session'
import { problems, validateEmail } from '../validation'
import { groupOptions, roleOptions } from './options'

export function MembersSection({ process }: { process: ProcessDetail }) {
  const members = useResource(() => listMembers(process.id), [process.id])
  const [status, setStatus] = useState<{
    tone: 'success' | 'warning'
    text: string
    link?: boolean
  } | null>(null)
  const canManage = allows('members.manage')
  const [adding, setAdding] = useState(false)
  const addButton = useRef<HTMLButtonElement>(null)

  function afterChange() {
    void members.reload()
    void loadProcess(process.id)
  }

  return (
    <section aria-labelledby="section-heading">
      <div class="section-header">
        <div class="section-title">
          <RouteHeading level={2} id="section-heading">
            {t('process.sections.members')}
          </RouteHeading>
          {members.data ? (
            <p class="section-count">
              {t('process.members.count', { count: members.data.length })}
            </p>
          ) : null}
        </div>
        {canManage ? (
          <Button
            variant={adding ? 'secondary' : 'primary'}
            buttonRef={addButton}
            aria-expanded={adding}
            aria-controls="add-member-panel"
            onClick={() => setAdding(!adding)}
          >
            <span aria-hidden="true">{adding ? '−' : '+'}</span>
            {t('process.members.add')}
          </Button>
        ) : null}
      </div>

      {canManage && adding ? (
        <AddMemberForm
          process={process}
          onClose={() => {
            setAdding(false)
            requestAnimationFrame(() => addButton.current?.focus())
          }}
          onDone={(result) => {
            if (result.status === 'added') {
              setStatus({
                tone: 'success',
                text: t('process.members.added', { name: result.member.name }),
              })
            } else {
              setStatus({
                tone: 'success',
                text: t('process.members.invited', { email: result.invitation.email }),
                link: true,
              })
            }
            afterChange()
          }}
        />
      ) : null}

      <div aria-live="polite" class="live-region">
        {status ? (
          <Notice tone={status.tone}>
            <p>
              {status.text}{' '}
              {status.link ? (
                <Link href={`/processes/${encodeURIComponent(process.id)}/invitations`}>
                  {t('process.members.seeInvitations')}
                </Link>
              ) : null}
            </p>
          </Notice>
        ) : null}
      </div>

      {members.loading && !members.data ? <Loading /> : null}
      {members.error ? <FormError id="members-error" error={members.error} /> : null}
      {members.data ? (
        members.data.length ? (
          <div class="table-wrap">
            <table class="data-table responsive-table">
              <caption class="visually-hidden">
                {t('process.members.caption', { process: process.title })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('fields.name')}</th>
                  <th scope="col">{t('fields.role')}</th>
                  <th scope="col">{t('fields.stakeholderGroup')}</th>
                  <th scope="col">{t('fields.organisation')}</th>
                  <th scope="col">{t('process.members.joined')}</th>
                  {canManage ? (
                    <th scope="col">
                      <span class="visually-hidden">{t('common.actions')}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {members.data.map((member) => (
                  <MemberRow
                    key={member.id}
                    member={member}
                    process={process}
                    canManage={canManage}
                    onChanged={(text) => {
                      setStatus({ tone: 'success', text })
                      afterChange()
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>{t('process.members.empty')}</Empty>
        )
      ) : null}
    </section>
  )
}

function MemberRow({
  member,
  process,
  canManage,
  onChanged,
}: {
  member: Member
  process: ProcessDetail
  canManage: boolean
  onChanged: (message: string) => void
}) {
  const me = currentUser.value
  const isMe = me?.id === member.userId
  const [editing, setEditing] = useState(false)
  const [role, setRole] = useState<string>(member.role)
  const [group, setGroup] = useState(member.stakeholderGroup)
  const [organisation, setOrganisation] = useState(member.organisation)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const editButton = useRef<HTMLButtonElement>(null)
  const firstField = useRef<HTMLDivElement>(null)
  const prefix = `member-${member.id}`

  function startEditing() {
    setRole(member.role)
    setGroup(member.stakeholderGroup)
    setOrganisation(member.organisation)
    setError(null)
    setEditing(true)
    requestAnimationFrame(() => firstField.current?.querySelector('select')?.focus())
  }

  function stopEditing() {
    setEditing(false)
    setError(null)
    requestAnimationFrame(() => editButton.current?.focus())
  }

  async function save(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const body: { role?: Role; stakeholderGroup?: string; organisation?: string } = {}
    if (role !== member.role) {
      body.role = role as Role
    }
    if (group !== member.stakeholderGroup) {
      body.stakeholderGroup = group
    }
    if (organisation.trim() !== member.organisation) {
      body.organisation = organisation.trim()
    }
    if (!Object.keys(body).length) {
      stopEditing()
      return
    }
    setBusy(true)
    setError(null)
    try {
      await updateMember(process.id, member.id, body)
      setEditing(false)
      onChanged(t('process.members.updated', { name: member.name }))
      requestAnimationFrame(() => editButton.current?.focus())
    } catch (e) {
      const apiError = toApiError(e)
      setError(
        apiError.code === 'conflict' ? t('process.members.lastSecretariat') : errorText(apiError),
      )
    } finally {
      setBusy(false)
    }
  }

  async function remove() {
    setError(null)
    try {
      await removeMember(process.id, member.id)
      if (isMe) {
        navigate('/')
        return
      }
      onChanged(t('process.members.removed', { name: member.name }))
    } catch (e) {
      const apiError = toApiError(e)
      setError(
        apiError.code === 'conflict' ? t('process.members.lastSecretariat') : errorText(apiError),
      )
    }
  }

  const nameCell = (
    <th scope="row" data-label={t('fields.name')}>
      <span class="member-name">
        {member.name}
        {isMe ? <span class="badge badge-info">{t('process.members.you')}</span> : null}
      </span>
      <span class="member-email">{member.email}</span>
    </th>
  )

  return (
    <>
      <tr class={editing ? 'is-editing' : undefined}>
        {nameCell}
        <td data-label={t('fields.role')}>{t(`roles.${member.role}`)}</td>
        <td data-label={t('fields.stakeholderGroup')}>
          {groupLabel(member.stakeholderGroup, process.groups)}
        </td>
        <td data-label={t('fields.organisation')}>
          {member.organisation || <span class="muted">{t('common.none')}</span>}
        </td>
        <td data-label={t('process.members.joined')} class="nowrap">
          {formatDate(member.joinedAt)}
        </td>
        {canManage ? (
          <td class="row-actions">
            <div class="row-actions-inner">
              <Button
                small
                buttonRef={editButton}
                onClick={editing ? stopEditing : startEditing}
                aria-expanded={editing}
                aria-controls={editing ? `${prefix}-edit` : undefined}
                aria-label={t('process.members.editLabel', { name: member.name })}
              >
                {t('common.edit')}
              </Button>
              <ConfirmButton
                label={t('common.remove')}
                ariaLabel={t('process.members.removeLabel', { name: member.name })}
                question={
                  isMe
                    ? t('process.members.removeSelfQuestion')
                    : t('process.members.removeQuestion', { name: member.name })
                }
                confirmLabel={t('process.members.removeConfirm')}
                onConfirm={remove}
              />
            </div>
            {error && !editing ? (
              <p class="field-error" role="alert">
                {error}
              </p>
            ) : null}
          </td>
        ) : null}
      </tr>
      {editing ? (
        <tr class="edit-row" id={`${prefix}-edit`}>
          <td colSpan={6}>
            <form
              onSubmit={save}
              noValidate
              aria-label={t('process.members.editLabel', { name: member.name })}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  stopEditing()
                }
              }}
            >
              <div class="edit-grid" ref={firstField}>
                <SelectField
                  id={`${prefix}-role`}
                  label={t('fields.role')}
                  value={role}
                  onValue={setRole}
                  options={roleOptions()}
                />
                <SelectField
                  id={`${prefix}-group`}
                  label={t('fields.stakeholderGroup')}
                  value={group}
                  onValue={setGroup}
                  options={groupOptions(process.groups)}
                />
                <TextField
                  id={`${prefix}-organisation`}
                  label={t('fields.organisation')}
                  optional
                  maxLength={LIMITS.organisationMax}
                  value={organisation}
                  onValue={setOrganisation}
                />
              </div>
              {error ? (
                <p class="field-error" role="alert">
                  {error}
                </p>
              ) : null}
              <div class="edit-actions">
                <Button type="submit" small variant="primary" busy={busy}>
                  {t('common.save')}
                </Button>
                <Button small variant="ghost" onClick={stopEditing}>
                  {t('common.cancel')}
                </Button>
              </div>
            </form>
          </td>
        </tr>
      ) : null}
    </>
  )
}

function AddMemberForm({
  process,
  onDone,
  onClose,
}: {
  process: ProcessDetail
  onDone: (result: AddMemberResult) => void
  onClose: () => void
}) {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<string>('stakeholder')
  const [group, setGroup] = useState(process.groups[0]?.key ?? '')
  const [organisation, setOrganisation] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>('input')?.focus()
  }, [])

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const found = problems({
      email: validateEmail(email),
      stakeholderGroup: group ? null : t('validation.required'),
    })
    setErrors(found)
    setError(null)
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      const result = await addMember(process.id, {
        email: email.trim(),
        role: role as Role,
        stakeholderGroup: group,
        organisation: organisation.trim(),
      })
      setEmail('')
      setOrganisation('')
      onDone(result)
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLInputElement>('input[type=email]')?.focus(),
      )
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setErrors(fieldErrorsFrom(apiError))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="panel" id="add-member-panel">
      <h3 id="add-member-heading">{t('process.members.addTitle')}</h3>
      <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="add-member-heading">
        <p class="field-hint">{t('process.members.addHint')}</p>
        <FormError
          id="add-member-error"
          error={error}
          message={error?.code === 'conflict' ? t('process.members.alreadyMember') : null}
        />
        <div class="form-grid">
          <TextField
            id="member-email"
            label={t('fields.email')}
            type="email"
            autoComplete="off"
            inputMode="email"
            spellcheck={false}
            maxLength={LIMITS.emailMax}
            value={email}
            onValue={setEmail}
            error={errors.email}
            required
          />
          <SelectField
            id="member-role"
            label={t('fields.role')}
            value={role}
            onValue={setRole}
            options={roleOptions()}
          />
          <SelectField
            id="member-group"
            label={t('fields.stakeholderGroup')}
            value={group}
            onValue={setGroup}
            options={groupOptions(process.groups)}
            error={errors.stakeholderGroup}
          />
          <TextField
            id="member-organisation"
            label={t('fields.organisation')}
            optional
            autoComplete="organization"
            maxLength={LIMITS.organisationMax}
            value={organisation}
            onValue={setOrganisation}
            error={errors.organisation}
          />
        </div>
        <p class="role-explainer" aria-live="polite">
          <strong>{t(`roles.${role}`)}:</strong> {t(`roleDescriptions.${role}`)}
        </p>
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('process.members.submit')}
          </Button>
          <Button variant="ghost" onClick={onClose}>
            {t('common.close')}
          </Button>
        </div>
      </form>
    </div>
  )
}
