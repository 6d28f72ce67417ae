import { LANGUAGE_NAMES, UI_LANGUAGES } from '../../shared/i18n/languages'
import { language, t } from '../i18n'
import { location } from '../router'
import { useEffect } from 'preact/hooks'
import { useLiveEvents } from '../api/events'
import { refreshUnread, unreadCount } from '../state/inbox'
import { chooseLanguage, currentUser, mustEnrolTwoFactor, signOut } from '../state/session'
import '../styles/threads.css'
import { Link } from './link'

/**
 * One button per interface language, each named in itself; the pressed one is the current
 * language. On a phone the buttons show the language's code (EN, ES, FR, PT) so the switch fits
 * beside the brand; the name stays the button's accessible name (and its tooltip).
 */
export function LanguageSwitcher() {
  return (
    <div class="lang-switch" role="group" aria-label={t('header.language')}>
      {UI_LANGUAGES.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          class="lang-option"
          aria-pressed={language.value === code}
          title={LANGUAGE_NAMES[code]}
          onClick={() => void chooseLanguage(code)}
        >
          <span class="lang-code" aria-hidden="true">
            {code.toUpperCase()}
          </span>
          <span class="lang-name">{LANGUAGE_NAMES[code]}</span>
        </button>
      ))}
    </div>
  )
}

/** The mark: two arcs meeting, for people drafting together. */
function Logo() {
  return (
    <svg
      class="logo"
      viewBox="0 0 32 32"
      width="28"
      height="28"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <path
        d="M9 16a7 7 0 0 1 12-4.9M23 16a7 7 0 0 1-12 4.9"
        stroke="#fff"
        stroke-width="3"
        fill="none"
        stroke-linecap="round"
      />
    </svg>
  )
}

export function SkipLink() {
  return (
    <a
      class="skip-link"
      href="#main"
      onClick={(event) => {
        // Focus the landmark directly: a hash change would also add a history entry.
        event.preventDefault()
        document.getElementById('main')?.focus()
      }}
    >
      {t('header.skip')}
    </a>
  )
}

export function Header() {
  const user = currentUser.value
  const path = location.value.path
  const inProcesses = path === '/' || path.startsWith('/processes') || path.startsWith('/documents')
  return (
    <header class="site-header">
      <div class={['container', 'header-inner', user ? 'has-user' : ''].filter(Boolean).join(' ')}>
        <Link href={user ? '/' : '/sign-in'} class="brand">
          <Logo />
          <span class="brand-name">{t('app.name')}</span>
        </Link>
        {user && !mustEnrolTwoFactor.value ? (
          <nav class="main-nav" aria-label={t('header.nav')}>
            <ul>
              <li>
                <Link
                  href="/"
                  aria-current={path === '/' ? 'page' : inProcesses ? 'true' : undefined}
                >
                  {t('header.processes')}
                </Link>
              </li>
              <li>
                <InboxLink current={path === '/inbox'} />
              </li>
              <li>
                <Link href="/account" aria-current={path === '/account' ? 'page' : undefined}>
                  {t('header.account')}
                </Link>
              </li>
            </ul>
          </nav>
        ) : null}
        <div class="header-lang">
          <LanguageSwitcher />
        </div>
        {user ? (
          <div class="header-signout">
            <button type="button" class="btn btn-ghost btn-small" onClick={() => void signOut()}>
              {t('header.signOut')}
            </button>
          </div>
        ) : null}
      </div>
    </header>
  )
}

/**
 * The inbox link with its unread count, kept current by the person's live stream. The count
 * is part of the link's name ("Inbox, 3 unread"), not only a red dot.
 */
function InboxLink({ current }: { current: boolean }) {
  const userId = currentUser.value?.id
  useEffect(() => {
    if (userId) {
      void refreshUnread()
    } else {
      unreadCount.value = null
    }
  }, [userId])
  useLiveEvents(userId ? null : undefined, (event) => {
    if (event.type === 'notification') {
      void refreshUnread()
    }
  })
  const count = unreadCount.value ?? 0
  return (
    <Link
      href="/inbox"
      class="inbox-link"
      aria-current={current ? 'page' : undefined}
      data-unread={count}
    >
      {t('inbox.nav')}
      {count > 0 ? (
        <>
          <span class="inbox-count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
          {/* The count is part of the link's name ("Inbox, 3 unread"), not only a red dot. */}
          <span class="visually-hidden">{t('inbox.navUnreadSuffix', { count })}</span>
        </>
      ) : null}
    </Link>
  )
}

export function Footer() {
  return (
    <footer class="site-footer">
      <div class="container">
        <p>{t('footer.tagline')}</p>
      </div>
    </footer>
  )
}
