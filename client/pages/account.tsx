import { useRef, useState } from 'preact/hooks'
import type { ApiToken, CreatedToken, TwoFactorEnrolment, TwoFactorStatus } from '../../shared/api/auth'
import { LANGUAGE_NAMES, UI_LANGUAGES, type UiLanguage } from '../../shared/i18n/languages'
import { LIMITS } from '../../shared/limits'
import { createToken, listTokens, revokeToken, updateAccount } from '../api/account'
import { changePassword, confirmTwoFactor, disableTwoFactor, fetchTwoFactor, startTwoFactor } from '../api/auth'
import { toApiError, type ApiError } from '../api/client'
import { Button, ConfirmButton, CopyButton } from '../components/buttons'
import { FormError, errorText, fieldErrorsFrom } from '../components/errors'
import { NewPasswordFields, SelectField, TextField, focusFirstInvalid } from '../components/fields'
import { RouteHeading, usePageTitle } from '../components/page'
import { Empty, Loading, Notice } from '../components/status'
import { useResource } from '../components/use-resource'
import { formatDate, formatDateTime, t } from '../i18n'
import { chooseLanguage, currentUser, setSession, setUser } from '../state/session'
import { problems, validateConfirmation, validateNewPassword, validateRequired } from './validation'

export function AccountPage() {
  const title = t('account.title')
  usePageTitle(title)
  const user = currentUser.value
  const twoFactor = useResource(fetchTwoFactor, [])
  if (!user) {
    return null
  }
  return (
    <div class="container page narrow">
      <RouteHeading>{title}</RouteHeading>
      <p class="page-lead">{t('account.lead', { email: user.email })}</p>
      <ProfileForm />
      <PasswordForm />
      <TwoFactorPanel status={twoFactor} />
      <TokensPanel twoFactorEnabled={twoFactor.data?.enabled ?? false} />
    </div>
  )
}

function ProfileForm() {
  const user = currentUser.value
  const [name, setName] = useState(user?.name ?? '')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [error, setError] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  if (!user) {
    return null
  }

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const problem = validateRequired(name)
    setFieldError(problem ?? undefined)
    setError(null)
    setSaved(false)
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      setUser(await updateAccount({ name: name.trim() }))
      setSaved(true)
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setFieldError(fieldErrorsFrom(apiError).name)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="panel" aria-labelledby="profile-heading">
      <h2 id="profile-heading">{t('account.profileTitle')}</h2>
      <form ref={formRef} onSubmit={submit} noValidate class="stack">
        <FormError id="profile-error" error={error} />
        <TextField
          id="account-name"
          label={t('fields.fullName')}
          hint={t('account.nameHint')}
          autoComplete="name"
          maxLength={LIMITS.nameMax}
          value={name}
          onValue={(v) => {
            setName(v)
            setSaved(false)
          }}
          error={fieldError}
          required
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('common.save')}
          </Button>
          <span role="status" class="inline-status">
            {saved ? (
              <>
                <span aria-hidden="true">✓ </span>
                {t('account.saved')}
              </>
            ) : null}
          </span>
        </div>
      </form>
      <div class="divider" />
      <SelectField
        id="account-language"
        label={t('account.language')}
        hint={t('account.languageHint')}
        value={user.locale}
        onValue={(v) => void chooseLanguage(v as UiLanguage)}
        options={UI_LANGUAGES.map((code) => ({ value: code, label: LANGUAGE_NAMES[code] }))}
      />
    </section>
  )
}

function PasswordForm() {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirmation, setConfirmation] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [done, setDone] = useState(false)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const found = problems({
      current: validateRequired(current),
      next: validateNewPassword(next),
      confirmation: validateConfirmation(next, confirmation),
    })
    setErrors(found)
    setError(null)
    setDone(false)
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      // The server rotates the session; adopt the new CSRF token at once.
      setSession(await changePassword(current, next))
      setCurrent('')
      setNext('')
      setConfirmation('')
      setDone(true)
    } catch (e) {
      const apiError = toApiError(e)
      if (apiError.code === 'invalid_credentials') {
        setErrors({ current: t('account.wrongCurrentPassword') })
        requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      } else {
        setError(apiError)
        const fields = fieldErrorsFrom(apiError)
        setErrors(
          problems({ current: fields.currentPassword ?? null, next: fields.newPassword ?? null }),
        )
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">{t('account.passwordTitle')}</h2>
      <form ref={formRef} onSubmit={submit} noValidate class="stack">
        <FormError id="password-error" error={error} />
        {done ? (
          <Notice tone="success" live>
            {t('account.passwordChanged')}
          </Notice>
        ) : null}
        <TextField
          id="current-password"
          label={t('fields.currentPassword')}
          type="password"
          autoComplete="current-password"
          maxLength={LIMITS.passwordMax}
          value={current}
          onValue={setCurrent}
          error={errors.current}
          required
        />
        <NewPasswordFields
          label={t('fields.newPassword')}
          password={next}
          onPassword={setNext}
          confirmation={confirmation}
          onConfirmation={setConfirmation}
          errors={{ password: errors.next, confirmation: errors.confirmation }}
        />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('account.changePassword')}
          </Button>
        </div>
      </form>
    </section>
  )
}

function TokensPanel({ twoFactorEnabled }: { twoFactorEnabled: boolean }) {
  const tokens = useResource(listTokens, [])
  const [name, setName] = useState('')
  const [code, setCode] = useState('')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [error, setError] = useState<ApiError | null>(null)
  const [actionError, setActionError] = useState<string | null>(null)
  const [created, setCreated] = useState<CreatedToken | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const full = (tokens.data?.length ?? 0) >= LIMITS.tokensPerUserMax

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const problem = validateRequired(name)
    setFieldError(problem ?? undefined)
    setError(null)
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      const result = await createToken(name.trim(), twoFactorEnabled ? code.trim() : undefined)
      setCreated(result)
      setName('')
      setCode('')
      tokens.setData((list) => [result.token, ...(list ?? [])])
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setFieldError(fieldErrorsFrom(apiError).name)
    } finally {
      setBusy(false)
    }
  }

  async function revoke(token: ApiToken) {
    setActionError(null)
    try {
      await revokeToken(token.id)
      tokens.setData((list) => (list ?? []).filter((x) => x.id !== token.id))
      if (created?.token.id === token.id) {
        setCreated(null)
      }
    } catch (e) {
      setActionError(errorText(toApiError(e)))
    }
  }

  return (
    <section class="panel" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">{t('tokens.title')}</h2>
      <p class="section-lead">{t('tokens.lead')}</p>

      {created ? <NewTokenSecret created={created} onDone={() => setCreated(null)} /> : null}

      {full ? (
        <p class="muted">{t('tokens.limit', { count: LIMITS.tokensPerUserMax })}</p>
      ) : (
        <form ref={formRef} onSubmit={submit} noValidate class="inline-form">
          <FormError id="token-error" error={error} />
          <TextField
            id="token-name"
            label={t('tokens.name')}
            hint={t('tokens.nameHint')}
            maxLength={LIMITS.tokenNameMax}
            value={name}
            onValue={setName}
            error={fieldError}
            required
            action={
              twoFactorEnabled ? undefined : (
                <Button type="submit" variant="primary" busy={busy}>
                  {t('tokens.create')}
                </Button>
              )
            }
          />
          {twoFactorEnabled ? (
            <>
              <TextField
                id="token-code"
                label={t('twoFactor.code')}
                hint={t('twoFactor.tokenHint')}
                autoComplete="one-time-code"
                spellcheck={false}
                maxLength={20}
                value={code}
                onValue={setCode}
                required
              />
              <Button type="submit" variant="primary" busy={busy}>
                {t('tokens.create')}
              </Button>
            </>
          ) : null}
        </form>
      )}

      {actionError ? (
        <FormError id="token-action-error" error={null} message={actionError} />
      ) : null}
      {tokens.loading && !tokens.data ? <Loading /> : null}
      {tokens.error ? <FormError id="tokens-error" error={tokens.error} /> : null}
      {tokens.data ? (
        tokens.data.length ? (
          <div class="table-wrap">
            <table class="data-table responsive-table">
              <caption class="visually-hidden">{t('tokens.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('tokens.name')}</th>
                  <th scope="col">{t('tokens.prefix')}</th>
                  <th scope="col">{t('tokens.created')}</th>
                  <th scope="col">{t('tokens.lastUsed')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.map((token) => (
                  <tr key={token.id}>
                    <th scope="row" data-label={t('tokens.name')}>
                      <span class="member-name">{token.name}</span>
                    </th>
                    <td data-label={t('tokens.prefix')}>
                      <code>{token.prefix}…</code>
                    </td>
                    <td data-label={t('tokens.created')}>{formatDate(token.createdAt)}</td>
                    <td data-label={t('tokens.lastUsed')}>
                      {token.lastUsedAt ? (
                        formatDateTime(token.lastUsedAt)
                      ) : (
                        <span class="muted">{t('tokens.never')}</span>
                      )}
                    </td>
                    <td class="row-actions">
                      <div class="row-actions-inner">
                        <ConfirmButton
                          label={t('tokens.revoke')}
                          ariaLabel={t('tokens.revokeLabel', { name: token.name })}
                          question={t('tokens.revokeQuestion', { name: token.name })}
                          confirmLabel={t('tokens.revokeConfirm')}
                          onConfirm={() => revoke(token)}
                        />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>{t('tokens.empty')}</Empty>
        )
      ) : null}
    </section>
  )
}

/** The secret of a token just created: shown once, with a copy button and a warning. */
function NewTokenSecret({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const ref = useRef<HTMLDivElement>(null)
  return (
    <div
      class="notice notice-warning secret-box"
      role="region"
      aria-labelledby="secret-heading"
      tabIndex={-1}
      ref={(el) => {
        if (el && ref.current !== el) {
          ref.current = el
          el.focus()
        }
      }}
    >
      <p id="secret-heading" class="notice-title">
        {t('tokens.secretTitle', { name: created.token.name })}
      </p>
      <p>{t('tokens.secretWarning')}</p>
      <div class="secret-row">
        <label for="token-secret" class="secret-label">
          {t('tokens.secretLabel')}
        </label>
        <input
          id="token-secret"
          class="secret"
          readOnly
          value={created.secret}
          spellcheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton value={created.secret} />
      </div>
      <Button small variant="ghost" onClick={onDone}>
        {t('tokens.secretDone')}
      </Button>
    </div>
  )
}

/**
 * The second factor (issue 12, item 8): set up an authenticator app with a QR code or the
 * secret typed by hand, confirm with its first code, keep the recovery codes, or turn it off.
 */
export function TwoFactorPanel({
  status,
  onKept,
}: {
  status: ReturnType<typeof useResource<TwoFactorStatus>>
  /** Called when the person says they have kept their new recovery codes. */
  onKept?: () => void
}) {
  const [enrolment, setEnrolment] = useState<TwoFactorEnrolment | null>(null)
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null)
  const [code, setCode] = useState('')
  const [password, setPassword] = useState('')
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const recoveryRef = useRef<HTMLDivElement | null>(null)
  const current = status.data

  async function start() {
    setError(null)
    setBusy(true)
    try {
      setEnrolment(await startTwoFactor())
      setCode('')
      requestAnimationFrame(() => document.getElementById('two-factor-confirm-code')?.focus())
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(false)
    }
  }

  async function confirm(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const problem = validateRequired(code)
    setFieldErrors(problem ? { code: problem } : {})
    setError(null)
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      const result = await confirmTwoFactor(code.trim())
      setRecoveryCodes(result.recoveryCodes)
      setEnrolment(null)
      setCode('')
      status.setData(() => ({ enabled: true, required: current?.required ?? false, recoveryCodesLeft: result.recoveryCodes.length }))
    } catch (e) {
      setError(toApiError(e))
      setCode('')
    } finally {
      setBusy(false)
    }
  }

  async function disable(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const found = problems({ password: validateRequired(password), code: validateRequired(code) })
    setFieldErrors(found)
    setError(null)
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      await disableTwoFactor(password, code.trim())
      setPassword('')
      setCode('')
      setRecoveryCodes(null)
      status.setData(() => ({ enabled: false, required: current?.required ?? false, recoveryCodesLeft: 0 }))
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="panel" aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">{t('twoFactor.title')}</h2>
      <p class="section-lead">{t('twoFactor.lead')}</p>
      {status.loading && !current ? <Loading /> : null}
      {status.error ? <FormError id="two-factor-status-error" error={status.error} /> : null}
      {current?.required && !current.enabled ? (
        <Notice tone="warning">{t('twoFactor.required')}</Notice>
      ) : null}
      {recoveryCodes ? (
        <div
          class="notice notice-warning secret-box"
          role="region"
          aria-labelledby="recovery-heading"
          tabIndex={-1}
          ref={(el) => {
            // Focus the codes once when they appear, not on every render.
            if (el && recoveryRef.current !== el) {
              recoveryRef.current = el
              el.focus()
            }
          }}
        >
          <p id="recovery-heading" class="notice-title">
            {t('twoFactor.recoveryTitle')}
          </p>
          <p>{t('twoFactor.recoveryWarning')}</p>
          <ul class="recovery-codes">
            {recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <CopyButton value={recoveryCodes.join('\n')} />
          <Button
            small
            variant={onKept ? 'primary' : 'ghost'}
            onClick={() => {
              setRecoveryCodes(null)
              onKept?.()
            }}
          >
            {t('twoFactor.recoveryDone')}
          </Button>
        </div>
      ) : null}
      {current && !current.enabled && !enrolment ? (
        <>
          <FormError id="two-factor-error" error={error} />
          <Button variant="primary" busy={busy} onClick={() => void start()}>
            {t('twoFactor.start')}
          </Button>
        </>
      ) : null}
      {enrolment ? (
        <form ref={formRef} onSubmit={confirm} noValidate class="stack">
          <FormError id="two-factor-error" error={error} />
          <p>{t('twoFactor.scan')}</p>
          <img class="two-factor-qr" src={enrolment.qrCodeDataUrl} alt={t('twoFactor.qrAlt')} width={200} height={200} />
          <p>
            {t('twoFactor.secretLabel')} <code id="two-factor-secret">{enrolment.secret}</code>
          </p>
          <TextField
            id="two-factor-confirm-code"
            label={t('twoFactor.code')}
            hint={t('twoFactor.confirmHint')}
            autoComplete="one-time-code"
            inputMode="numeric"
            spellcheck={false}
            maxLength={20}
            value={code}
            onValue={setCode}
            error={fieldErrors.code}
            required
          />
          <div class="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              {t('twoFactor.confirm')}
            </Button>
            <Button variant="ghost" onClick={() => setEnrolment(null)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      ) : null}
      {current?.enabled ? (
        <>
          <p>
            <strong>{t('twoFactor.on')}</strong> {t('twoFactor.codesLeft', { count: current.recoveryCodesLeft })}
          </p>
          {current.required ? (
            <p class="muted">{t('twoFactor.mustKeep')}</p>
          ) : (
            <form ref={formRef} onSubmit={disable} noValidate class="stack">
              <FormError id="two-factor-error" error={error} />
              <TextField
                id="two-factor-disable-password"
                label={t('fields.password')}
                type="password"
                autoComplete="current-password"
                maxLength={LIMITS.passwordMax}
                value={password}
                onValue={setPassword}
                error={fieldErrors.password}
                required
              />
              <TextField
                id="two-factor-disable-code"
                label={t('twoFactor.code')}
                autoComplete="one-time-code"
                spellcheck={false}
                maxLength={20}
                value={code}
                onValue={setCode}
                error={fieldErrors.code}
                required
              />
              <div class="form-actions">
                <Button type="submit" variant="danger" busy={busy}>
                  {t('twoFactor.disable')}
                </Button>
              </div>
            </form>
          )}
        </>
      ) : null}
    </section>
  )
}
