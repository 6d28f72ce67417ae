import { useRef, useState } from 'preact/hooks'
import { LIMITS } from '../../shared/limits'
import { toApiError, type ApiError } from '../api/client'
import { Button } from '../components/buttons'
import { FormError } from '../components/errors'
import { TextField, focusFirstInvalid } from '../components/fields'
import { Link } from '../components/link'
import { AuthLayout } from '../components/page'
import { Notice } from '../components/status'
import { t } from '../i18n'
import { location, navigate, safeNext } from '../router'
import { sessionExpired, signIn, signInWithCode } from '../state/session'
import { validateEmail, validateRequired } from './validation'

export function SignInPage() {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const [challenge, setChallenge] = useState<string | null>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const next = safeNext(location.value.search.get('next'))
  const reset = location.value.search.get('reset') === '1'

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const found: Record<string, string> = {}
    const emailProblem = validateEmail(email)
    if (emailProblem) {
      found.email = emailProblem
    }
    const passwordProblem = validateRequired(password)
    if (passwordProblem) {
      found.password = passwordProblem
    }
    setErrors(found)
    setError(null)
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      const pending = await signIn(email.trim(), password)
      if (pending) {
        setChallenge(pending.challenge)
        setPassword('')
        return
      }
      navigate(next, { replace: true })
    } catch (e) {
      setError(toApiError(e))
      setPassword('')
    } finally {
      setBusy(false)
    }
  }

  if (challenge) {
    return (
      <SecondStep
        challenge={challenge}
        onDone={() => navigate(next, { replace: true })}
        onRestart={() => setChallenge(null)}
      />
    )
  }

  return (
    <AuthLayout title={t('signIn.title')} intro={<p>{t('signIn.intro')}</p>}>
      {sessionExpired.value ? <Notice tone="warning">{t('signIn.expired')}</Notice> : null}
      {reset ? (
        <Notice tone="success" live>
          {t('resetPassword.done')}
        </Notice>
      ) : null}
      <form ref={formRef} onSubmit={submit} noValidate>
        <FormError id="sign-in-error" error={error} />
        <TextField
          id="email"
          label={t('fields.email')}
          type="email"
          autoComplete="username"
          inputMode="email"
          spellcheck={false}
          maxLength={LIMITS.emailMax}
          value={email}
          onValue={setEmail}
          error={errors.email}
          required
        />
        <TextField
          id="password"
          label={t('fields.password')}
          type="password"
          autoComplete="current-password"
          maxLength={LIMITS.passwordMax}
          value={password}
          onValue={setPassword}
          error={errors.password}
          required
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy} class="btn-block">
            {t('signIn.submit')}
          </Button>
        </div>
        <p class="form-aside">
          <Link href="/forgot-password">{t('signIn.forgot')}</Link>
        </p>
      </form>
    </AuthLayout>
  )
}

/** The second step of a sign-in: the code from the authenticator app, or a recovery code. */
function SecondStep({ challenge, onDone, onRestart }: { challenge: string; onDone: () => void; onRestart: () => void }) {
  const [code, setCode] = useState('')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const problem = validateRequired(code)
    setFieldError(problem ?? undefined)
    setError(null)
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      await signInWithCode(challenge, code.trim())
      onDone()
    } catch (e) {
      const apiError = toApiError(e)
      if (apiError.code === 'link_expired') {
        onRestart()
        return
      }
      // The error summary takes the focus and is announced (components/errors.tsx).
      setError(apiError)
      setCode('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <AuthLayout title={t('twoFactor.signIn.title')} intro={<p>{t('twoFactor.signIn.intro')}</p>}>
      <form ref={formRef} onSubmit={submit} noValidate>
        <FormError id="two-factor-error" error={error} />
        <TextField
          id="two-factor-code"
          label={t('twoFactor.code')}
          hint={t('twoFactor.codeHint')}
          autoComplete="one-time-code"
          spellcheck={false}
          maxLength={20}
          value={code}
          onValue={setCode}
          error={fieldError}
          required
          autoFocus
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy} class="btn-block">
            {t('twoFactor.signIn.submit')}
          </Button>
        </div>
        <p class="form-aside">
          <Button variant="ghost" small onClick={onRestart}>
            {t('twoFactor.signIn.back')}
          </Button>
        </p>
      </form>
    </AuthLayout>
  )
}
