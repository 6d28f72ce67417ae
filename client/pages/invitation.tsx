import { useRef, useState } from 'preact/hooks'
import { LIMITS } from '../../shared/limits'
import { toApiError, type ApiError } from '../api/client'
import { acceptInvitation, fetchInvitation } from '../api/members'
import { Button } from '../components/buttons'
import { FormError, fieldErrorsFrom } from '../components/errors'
import { NewPasswordFields, TextField, focusFirstInvalid } from '../components/fields'
import { Link } from '../components/link'
import { AuthLayout } from '../components/page'
import { Loading, Notice } from '../components/status'
import { useResource } from '../components/use-resource'
import { formatDate, t } from '../i18n'
import { navigate } from '../router'
import { groupLabel } from '../state/process'
import { adoptNewAccount, currentUser, signOut } from '../state/session'
import { problems, validateConfirmation, validateNewPassword, validateRequired } from './validation'

export function InvitationPage({ token }: { token: string }) {
  const preview = useResource(() => fetchInvitation(token), [token])
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [confirmation, setConfirmation] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const user = currentUser.value

  if (preview.loading && !preview.data) {
    return (
      <AuthLayout title={t('invitation.title')}>
        <Loading />
      </AuthLayout>
    )
  }

  if (preview.error || !preview.data) {
    const code = preview.error?.code
    const expired = code === 'invitation_expired'
    return (
      <AuthLayout title={expired ? t('invitation.expiredTitle') : t('invitation.invalidTitle')}>
        <Notice tone="warning">
          <p>
            {expired
              ? t('invitation.expired')
              : code === 'not_found' || code === 'validation_failed'
                ? t('invitation.invalid')
                : t(`errors.${code ?? 'internal'}`)}
          </p>
        </Notice>
        <p class="form-aside">
          <Link href="/sign-in">{t('invitation.goToSignIn')}</Link>
        </p>
      </AuthLayout>
    )
  }

  const invitation = preview.data

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const found = problems({
      name: validateRequired(name),
      password: validateNewPassword(password),
      confirmation: validateConfirmation(password, confirmation),
    })
    setErrors(found)
    setError(null)
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      const result = await acceptInvitation(token, name.trim(), password)
      await adoptNewAccount(result.session ?? null)
      navigate(`/processes/${encodeURIComponent(result.processId)}`, { replace: true })
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setErrors(fieldErrorsFrom(apiError))
    } finally {
      setBusy(false)
    }
  }

  const conflict = error?.code === 'conflict'

  return (
    <AuthLayout
      title={t('invitation.title')}
      intro={
        <p>
          {t('invitation.intro', {
            inviter: invitation.invitedBy,
            process: invitation.processTitle,
          })}
        </p>
      }
    >
      <dl class="summary-list">
        <div>
          <dt>{t('invitation.process')}</dt>
          <dd>{invitation.processTitle}</dd>
        </div>
        <div>
          <dt>{t('fields.role')}</dt>
          <dd>{t(`roles.${invitation.role}`)}</dd>
        </div>
        <div>
          <dt>{t('fields.stakeholderGroup')}</dt>
          <dd>{groupLabel(invitation.stakeholderGroup, [])}</dd>
        </div>
        {invitation.organisation ? (
          <div>
            <dt>{t('fields.organisation')}</dt>
            <dd>{invitation.organisation}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('fields.email')}</dt>
          <dd>{invitation.email}</dd>
        </div>
        <div>
          <dt>{t('invitation.expires')}</dt>
          <dd>{formatDate(invitation.expiresAt)}</dd>
        </div>
      </dl>
      <p class="role-explainer">{t(`roleDescriptions.${invitation.role}`)}</p>

      {user ? (
        <Notice tone="warning" title={t('invitation.signedInTitle')}>
          <p>{t('invitation.signedIn', { current: user.email, invited: invitation.email })}</p>
          <Button small onClick={() => void signOut(null)}>
            {t('header.signOut')}
          </Button>
        </Notice>
      ) : (
        <form ref={formRef} onSubmit={submit} noValidate>
          <h2 class="form-title">{t('invitation.formTitle')}</h2>
          <FormError
            id="invitation-error"
            error={error}
            message={conflict ? t('invitation.accountExists') : null}
          />
          {conflict ? (
            <p class="form-aside">
              <Link href="/sign-in">{t('invitation.goToSignIn')}</Link>
            </p>
          ) : null}
          <TextField
            id="name"
            label={t('fields.fullName')}
            autoComplete="name"
            maxLength={LIMITS.nameMax}
            value={name}
            onValue={setName}
            error={errors.name}
            required
          />
          <NewPasswordFields
            label={t('fields.choosePassword')}
            password={password}
            onPassword={setPassword}
            confirmation={confirmation}
            onConfirmation={setConfirmation}
            errors={{ password: errors.password, confirmation: errors.confirmation }}
          />
          <div class="form-actions">
            <Button type="submit" variant="primary" busy={busy} class="btn-block">
              {t('invitation.submit')}
            </Button>
          </div>
        </form>
      )}
    </AuthLayout>
  )
}
