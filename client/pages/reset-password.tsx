import { useRef, useState } from 'preact/hooks'
import { LIMITS } from '../../shared/limits'
import { completePasswordReset } from '../api/auth'
import { toApiError, type ApiError } from '../api/client'
import { Button } from '../components/buttons'
import { FormError, fieldErrorsFrom } from '../components/errors'
import { NewPasswordFields, TextField, focusFirstInvalid } from '../components/fields'
import { Link } from '../components/link'
import { AuthLayout } from '../components/page'
import { Notice } from '../components/status'
import { t } from '../i18n'
import { location, navigate } from '../router'
import { problems, validateConfirmation, validateNewPassword } from './validation'

export function ResetPasswordPage() {
  const token = location.value.search.get('token') ?? ''
  const [password, setPassword] = useState('')
  const [confirmation, setConfirmation] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  // An account with a second factor needs a code too; the server says so on the first try.
  const [needsCode, setNeedsCode] = useState(false)
  const [code, setCode] = useState('')
  const formRef = useRef<HTMLFormElement>(null)

  if (!token) {
    return (
      <AuthLayout title={t('resetPassword.title')}>
        <Notice tone="warning">{t('resetPassword.missingToken')}</Notice>
        <p class="form-aside">
          <Link href="/forgot-password">{t('resetPassword.requestNew')}</Link>
        </p>
      </AuthLayout>
    )
  }

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const found = problems({
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
      await completePasswordReset(token, password, needsCode ? code.trim() : undefined)
      navigate('/sign-in?reset=1', { replace: true })
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      if (apiError.code === 'two_factor_required' || apiError.code === 'invalid_code') {
        setNeedsCode(true)
        setCode('')
        requestAnimationFrame(() => document.getElementById('reset-code')?.focus())
      }
      const fields = fieldErrorsFrom(apiError)
      if (fields.newPassword) {
        setErrors({ password: fields.newPassword })
      }
    } finally {
      setBusy(false)
    }
  }

  const expired =
    error?.code === 'link_expired' ||
    (error?.code === 'validation_failed' && 'token' in error.fieldProblems)

  return (
    <AuthLayout
      title={t('resetPassword.title')}
      intro={<p>{t('resetPassword.intro', { count: LIMITS.passwordMin })}</p>}
    >
      <form ref={formRef} onSubmit={submit} noValidate>
        <FormError
          id="reset-error"
          error={error}
          message={expired ? t('errors.link_expired') : null}
        />
        {expired ? (
          <p class="form-aside">
            <Link href="/forgot-password">{t('resetPassword.requestNew')}</Link>
          </p>
        ) : null}
        <NewPasswordFields
          label={t('fields.newPassword')}
          password={password}
          onPassword={setPassword}
          confirmation={confirmation}
          onConfirmation={setConfirmation}
          errors={{ password: errors.password, confirmation: errors.confirmation }}
        />
        {needsCode ? (
          <TextField
            id="reset-code"
            label={t('twoFactor.code')}
            hint={t('twoFactor.resetHint')}
            autoComplete="one-time-code"
            spellcheck={false}
            maxLength={20}
            value={code}
            onValue={setCode}
            required
          />
        ) : null}
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy} class="btn-block">
            {t('resetPassword.submit')}
          </Button>
        </div>
      </form>
    </AuthLayout>
  )
}
