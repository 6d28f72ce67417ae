import { computed, signal } from '@preact/signals'
import type { ProcessDetail, StakeholderGroup } from '../../shared/api/processes'
import type { Action } from '../../shared/domain/permissions'
import { ALLOWED_WHEN_ARCHIVED } from '../../shared/domain/permissions'
import { fetchProcess } from '../api/processes'
import { toApiError, type ApiError } from '../api/client'
import { t } from '../i18n'

/** The process open on the process home, its loading state, and the last load error. */
export const currentProcess = signal<ProcessDetail | null>(null)
export const processError = signal<ApiError | null>(null)
export const processLoading = signal(false)

let loadSeq = 0

/** Loads a process into the store. Keeps the old one visible while reloading the same id. */
export async function loadProcess(id: string): Promise<void> {
  const seq = ++loadSeq
  if (currentProcess.value?.id !== id) {
    currentProcess.value = null
  }
  processError.value = null
  processLoading.value = true
  try {
    const detail = await fetchProcess(id)
    if (seq === loadSeq) {
      currentProcess.value = detail
    }
  } catch (error) {
    if (seq === loadSeq) {
      processError.value = toApiError(error)
    }
  } finally {
    if (seq === loadSeq) {
      processLoading.value = false
    }
  }
}

/** Takes a fresher copy from a write (PATCH, archive) without another round trip. */
export function replaceProcess(detail: ProcessDetail): void {
  currentProcess.value = detail
}

/** The actions the current user may take here, as the server said. */
const actions = computed(() => new Set<Action>(currentProcess.value?.myActions ?? []))

/**
 * Tells whether to show a control for `action`. The server decides every request; this only
 * hides what it would refuse (archived processes refuse everything but reading and unarchiving).
 */
export function allows(action: Action): boolean {
  const process = currentProcess.value
  if (!process || !actions.value.has(action)) {
    return false
  }
  return !process.archived || ALLOWED_WHEN_ARCHIVED.has(action)
}

/** The name to show for a stakeholder group: translated for built-in ones, as typed otherwise. */
export function groupLabel(
  key: string,
  groups: readonly StakeholderGroup[] = currentProcess.value?.groups ?? [],
): string {
  const group = groups.find((g) => g.key === key)
  if (group?.label) {
    return group.label
  }
  const translated = t(`groups.${key}`, { defaultValue: '' })
  if (translated) {
    return translated
  }
  // An added group we have no label for (on the invitation preview): make the key readable.
  const words = key.replace(/-/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}
