import { computed, signal } from '@preact/signals'
import type { SessionInfo, User } from '../../shared/api/auth'
import type { UiLanguage } from '../../shared/limits'
import { updateAccount } from '../api/account'
import * as authApi from '../api/auth'
import { configureApi } from '../api/client'
import { isUiLanguage, language, setLanguage } from '../i18n'
import { location, navigate } from '../router'

/**
 * The session store: who is signed in and the CSRF token their writes must carry.
 * `undefined` while the first probe is running, `null` when signed out.
 */
export const session = signal<SessionInfo | null | undefined>(undefined)

/** The signed-in user, or null (also while loading). */
export const currentUser = computed<User | null>(() => session.value?.user ?? null)

/**
 * Whether this staff account must set up a second factor before anything else (the server
 * refuses everything else until then); the app shows only the set-up page meanwhile.
 */
export const mustEnrolTwoFactor = computed(() => session.value?.twoFactorEnrolmentRequired === true)

/** Marks the second factor as set up, or as needed (the server said so), for this session. */
export function setEnrolmentRequired(required: boolean): void {
  if (session.value && session.value.twoFactorEnrolmentRequired !== required) {
    session.value = { ...session.value, twoFactorEnrolmentRequired: required }
  }
}

/** Set when the server said the session ended, so the sign-in page can explain why. */
export const sessionExpired = signal(false)

/** Adopts a session answer from sign-in, password change, invitation acceptance or the probe. */
export function setSession(info: SessionInfo | null): void {
  session.value = info
  if (info) {
    sessionExpired.value = false
    // The account's language wins over the browser's once we know who this is.
    setLanguage(info.user.locale)
  }
}

/** Replaces the user (after a profile change) and keeps the current token. */
export function setUser(user: User): void {
  if (session.value) {
    session.value = { ...session.value, user }
  }
}

/** Asks the server who we are; resolves once `session` is known. */
export async function loadSession(): Promise<void> {
  try {
    setSession(await authApi.fetchSession())
  } catch {
    // The server is unreachable: treat as signed out; the sign-in form reports the failure.
    session.value = null
  }
}

/**
 * A language picked with the switcher while signed out. Signing in right after keeps it
 * (and saves it to the account) instead of flipping back to the account's old setting.
 */
const PENDING_KEY = 'concord.language.chosenSignedOut'

function readPendingChoice(): UiLanguage | null {
  try {
    const value = window.localStorage.getItem(PENDING_KEY)
    return isUiLanguage(value) ? value : null
  } catch {
    return null
  }
}

function writePendingChoice(value: UiLanguage | null): void {
  try {
    if (value) {
      window.localStorage.setItem(PENDING_KEY, value)
    } else {
      window.localStorage.removeItem(PENDING_KEY)
    }
  } catch {
    // Without storage the choice lasts for this page only.
  }
  choiceInMemory = value
}

// Kept in storage too, so a reload between choosing and signing in does not lose it.
let choiceInMemory: UiLanguage | null = readPendingChoice()

/** Adopts a fresh session, first saving `keep` as the account language when it differs. */
async function adoptSession(info: SessionInfo, keep: UiLanguage | null): Promise<void> {
  writePendingChoice(null)
  let adopted = info
  if (keep && keep !== info.user.locale) {
    // The PATCH needs this session's CSRF token.
    session.value = info
    try {
      adopted = { ...info, user: await updateAccount({ locale: keep }) }
    } catch {
      adopted = { ...info, user: { ...info.user, locale: keep } }
    }
  }
  setSession(adopted)
}

/**
 * Signs in with a password. For an account with a second factor nothing is adopted yet: the
 * challenge is returned, and `signInWithCode` finishes the sign-in.
 */
export async function signIn(email: string, password: string): Promise<{ challenge: string } | null> {
  const answer = await authApi.signIn(email, password)
  if ('challenge' in answer) {
    return { challenge: answer.challenge }
  }
  await adoptSession(answer, choiceInMemory ?? readPendingChoice())
  return null
}

/** Finishes a sign-in with the code from the authenticator app or a recovery code. */
export async function signInWithCode(challenge: string, code: string): Promise<void> {
  await adoptSession(await authApi.signInTwoFactor(challenge, code), choiceInMemory ?? readPendingChoice())
}

/**
 * Takes over the session of an account just created from an invitation. The account keeps
 * the language its owner used to create it.
 */
export async function adoptNewAccount(info: SessionInfo | null): Promise<void> {
  const fresh = info ?? (await authApi.fetchSession())
  if (fresh) {
    await adoptSession(fresh, language.value)
  } else {
    session.value = null
  }
}

/** Signs out and goes to `to` (the sign-in page unless told otherwise). */
export async function signOut(to: string | null = '/sign-in'): Promise<void> {
  try {
    await authApi.signOut()
  } finally {
    session.value = null
    if (to) {
      navigate(to)
    }
  }
}

/**
 * Switches the interface language and, for a signed-in user, saves it to the account so
 * it follows them to other browsers. The switch happens at once; saving is best effort.
 */
export async function chooseLanguage(next: UiLanguage): Promise<void> {
  setLanguage(next)
  const user = currentUser.value
  if (!user) {
    writePendingChoice(next)
  } else if (user.locale !== next) {
    try {
      setUser(await updateAccount({ locale: next }))
    } catch {
      // Kept on this browser (localStorage) even if the account could not be updated.
    }
  }
}

/** The path to come back to after signing in. */
export function signInPath(): string {
  const here =
    location.value.path + (location.value.search.size ? `?${location.value.search.toString()}` : '')
  return here === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`
}

/**
 * Reacts to the server saying the session is over (an API call's 401, or the collaboration
 * socket's Unauthenticated close): forget it and go to sign-in, coming back here afterwards.
 */
export function sessionEnded(): void {
  if (session.value) {
    session.value = null
    sessionExpired.value = true
    navigate(signInPath(), { replace: true })
  }
}

configureApi({
  csrfToken: () => session.value?.csrfToken ?? null,
  onUnauthenticated: sessionEnded,
  refreshCsrfToken: async () => {
    const info = await authApi.fetchSession().catch(() => null)
    session.value = info
    return info?.csrfToken ?? null
  },
  onEnrolmentRequired: () => setEnrolmentRequired(true),
})
