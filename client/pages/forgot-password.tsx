import { useRef, useState } from 'preact/hooks'
import { LIMITS } from '../../shared/limits'
import { requestPasswordReset } from '../api/auth'
import { toApiError, type ApiError } from '../api/client'
import { Button } from '../components/buttons'
import { FormError } from '../components/errors'
import { TextField, focusFirstInvalid } from '../components/fields'
import { Link } from '../components/link'
import { AuthLayout } from '../components/page'
import { Notice } from '../components/status'
import { t } from '../i18n'
import { validateEmail } from './validation'

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const [sentTo, setSentTo] = useState<string | null>(null)
  const formRef = useRef<HTMLFormElement>(null)

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const problem = validateEmail(email)
    setFieldError(problem ?? undefined)
    setError(null)
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      await requestPasswordReset(email.trim())
      setSentTo(email.trim())
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <AuthLayout
      title={t('forgotPassword.title')}
      intro={sentTo ? null : <p>{t('forgotPassword.intro')}</p>}
    >
      {sentTo ? (
        <>
          <Notice tone="success" live title={t('forgotPassword.sentTitle')}>
            <p>{t('forgotPassword.sent', { email: sentTo })}</p>
          </Notice>
          <p class="form-aside">
            <Link href="/sign-in">{t('forgotPassword.back')}</Link>
          </p>
        </>
      ) : (
        <form ref={formRef} onSubmit={submit} noValidate>
          <FormError id="forgot-error" error={error} />
          <TextField
            id="email"
            label={t('fields.email')}
            type="email"
            autoComplete="email"
            inputMode="email"
            spellcheck={false}
            maxLength={LIMITS.emailMax}
            value={email}
            onValue={setEmail}
            error={fieldError}
            required
          />
          <div class="form-actions">
            <Button type="submit" variant="primary" busy={busy} class="btn-block">
              {t('forgotPassword.submit')}
            </Button>
          </div>
          <p class="form-aside">
            <Link href="/sign-in">{t('forgotPassword.back')}</Link>
          </p>
        </form>
      )}
    </AuthLayout>
  )
}
