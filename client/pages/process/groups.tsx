import { useRef, useState } from 'preact/hooks'
import type { ProcessDetail, StakeholderGroup } from '../../../shared/api/processes'
import { LIMITS } from '../../../shared/limits'
import { toApiError, type ApiError } from '../../api/client'
import { addGroup, removeGroup } from '../../api/processes'
import { Button, ConfirmButton } from '../../components/buttons'
import { FormError, errorText, fieldErrorsFrom } from '../../components/errors'
import { TextField, focusFirstInvalid } from '../../components/fields'
import { RouteHeading } from '../../components/page'
import { Notice } from '../../components/status'
import { formatNumber, t } from '../../i18n'
import { allows, groupLabel, loadProcess } from '../../state/process'
import { validateRequired } from '../validation'

export function GroupsSection({ process }: { process: ProcessDetail }) {
  const canManage = allows('groups.manage')
  const [status, setStatus] = useState<string | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})

  async function remove(group: StakeholderGroup) {
    const label = groupLabel(group.key, process.groups)
    setErrors({})
    try {
      await removeGroup(process.id, group.key)
      setStatus(t('process.groups.removed', { label }))
      await loadProcess(process.id)
    } catch (e) {
      const apiError = toApiError(e)
      setErrors({
        [group.key]: apiError.code === 'conflict' ? t('process.groups.inUse') : errorText(apiError),
      })
    }
  }

  return (
    <section aria-labelledby="section-heading">
      <div class="section-header">
        <RouteHeading level={2} id="section-heading">
          {t('process.sections.groups')}
        </RouteHeading>
      </div>
      <p class="section-lead">{t('process.groups.lead')}</p>
      <div aria-live="polite" class="live-region">
        {status ? <Notice tone="success">{status}</Notice> : null}
      </div>
      <ul class="group-list" role="list">
        {process.groups.map((group) => {
          const label = groupLabel(group.key, process.groups)
          return (
            <li key={group.key} class="group-item">
              <div class="group-main">
                <span class="group-name">{label}</span>
                <span class="group-kind">
                  {group.builtIn ? t('process.groups.builtIn') : t('process.groups.custom')}
                </span>
              </div>
              <span class="group-count">
                {t('process.groups.memberCount', {
                  count: group.memberCount,
                  formatted: formatNumber(group.memberCount),
                })}
              </span>
              {canManage ? (
                <div class="group-actions">
                  {group.memberCount > 0 ? (
                    <span class="muted small">{t('process.groups.inUseShort')}</span>
                  ) : (
                    <ConfirmButton
                      label={t('common.remove')}
                      ariaLabel={t('process.groups.removeLabel', { label })}
                      question={t('process.groups.removeQuestion', { label })}
                      confirmLabel={t('process.groups.removeConfirm')}
                      onConfirm={() => remove(group)}
                    />
                  )}
                  {errors[group.key] ? (
                    <p class="field-error" role="alert">
                      {errors[group.key]}
                    </p>
                  ) : null}
                </div>
              ) : null}
            </li>
          )
        })}
      </ul>
      {canManage ? (
        <AddGroupForm
          process={process}
          onAdded={(label) => {
            setStatus(t('process.groups.added', { label }))
            void loadProcess(process.id)
          }}
        />
      ) : null}
    </section>
  )
}

function AddGroupForm({
  process,
  onAdded,
}: {
  process: ProcessDetail
  onAdded: (label: string) => void
}) {
  const [label, setLabel] = useState('')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const full = process.groups.length >= LIMITS.groupsMax

  async function submit(event: Event) {
    event.preventDefault()
    if (busy) {
      return
    }
    const problem = validateRequired(label)
    setFieldError(problem ?? undefined)
    setError(null)
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    try {
      const group = await addGroup(process.id, label.trim())
      setLabel('')
      onAdded(group.label ?? label.trim())
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setFieldError(fieldErrorsFrom(apiError).label)
    } finally {
      setBusy(false)
    }
  }

  if (full) {
    return <p class="muted">{t('process.groups.limit', { count: LIMITS.groupsMax })}</p>
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      class="panel inline-form"
      aria-labelledby="add-group-heading"
    >
      <h3 id="add-group-heading">{t('process.groups.addTitle')}</h3>
      <FormError
        id="add-group-error"
        error={error}
        message={error?.code === 'conflict' ? t('process.groups.exists') : null}
      />
      <TextField
        id="group-label"
        label={t('fields.groupLabel')}
        hint={t('process.groups.labelHint')}
        maxLength={LIMITS.groupLabelMax}
        value={label}
        onValue={setLabel}
        error={fieldError}
        required
        action={
          <Button type="submit" variant="primary" busy={busy}>
            {t('process.groups.add')}
          </Button>
        }
      />
    </form>
  )
}
