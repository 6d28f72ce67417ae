import type { ComponentChildren } from 'preact'
import { useEffect } from 'preact/hooks'
import { Footer, Header, SkipLink } from './components/header'
import { Loading } from './components/status'
import { AccountPage } from './pages/account'
import { EnrolTwoFactorPage } from './pages/enrol-two-factor'
import { TranslationsPage } from './pages/translations'
import { DocumentPage } from './pages/document'
import { ForgotPasswordPage } from './pages/forgot-password'
import { InboxPage } from './pages/inbox'
import { InvitationPage } from './pages/invitation'
import { NotFoundPage } from './pages/not-found'
import { ProcessHomePage, isSection } from './pages/process-home'
import { ProcessListPage } from './pages/processes'
import { ResetPasswordPage } from './pages/reset-password'
import { SignInPage } from './pages/sign-in'
import { VersionsPage } from './pages/versions'
import { location, match, navigate, safeNext } from './router'
import { mustEnrolTwoFactor, session, signInPath } from './state/session'

/** Who may see a route: anyone, only signed-out visitors, or only members. */
type Access = 'any' | 'guest' | 'member'

interface Route {
  pattern: string
  access: Access
  render: (params: Record<string, string>) => ComponentChildren
}

const ROUTES: Route[] = [
  { pattern: '/sign-in', access: 'guest', render: () => <SignInPage /> },
  { pattern: '/forgot-password', access: 'any', render: () => <ForgotPasswordPage /> },
  { pattern: '/reset-password', access: 'any', render: () => <ResetPasswordPage /> },
  {
    pattern: '/invitations/:token',
    access: 'any',
    render: (p) => <InvitationPage token={p.token ?? ''} />,
  },
  { pattern: '/', access: 'member', render: () => <ProcessListPage /> },
  {
    pattern: '/processes/:id',
    access: 'member',
    render: (p) => <ProcessHomePage id={p.id ?? ''} section="documents" />,
  },
  {
    pattern: '/processes/:id/:section',
    access: 'member',
    render: (p) =>
      isSection(p.section ?? '') ? (
        <ProcessHomePage id={p.id ?? ''} section={p.section as 'documents'} />
      ) : (
        <NotFoundPage />
      ),
  },
  {
    pattern: '/processes/:id/consultations/:consultationId',
    access: 'member',
    render: (p) => (
      <ProcessHomePage id={p.id ?? ''} section="consultations" sub={p.consultationId ?? ''} />
    ),
  },
  {
    pattern: '/processes/:id/workshops/:workshopId',
    access: 'member',
    render: (p) => (
      <ProcessHomePage id={p.id ?? ''} section="workshops" sub={p.workshopId ?? ''} />
    ),
  },
  { pattern: '/documents/:id', access: 'member', render: (p) => <DocumentPage id={p.id ?? ''} /> },
  {
    pattern: '/documents/:id/versions',
    access: 'member',
    render: (p) => <VersionsPage id={p.id ?? ''} />,
  },
  {
    pattern: '/documents/:id/languages',
    access: 'member',
    render: (p) => <TranslationsPage id={p.id ?? ''} />,
  },
  { pattern: '/account', access: 'member', render: () => <AccountPage /> },
  { pattern: '/inbox', access: 'member', render: () => <InboxPage /> },
]

function resolve(path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const params = match(route.pattern, path)
    if (params) {
      return { route, params }
    }
  }
  return null
}

/** Sends visitors where they belong: members-only pages to sign-in, and back afterwards. */
function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true, focus: false })
  }, [to])
  return <Loading />
}

export function App() {
  const { path, search } = location.value
  const info = session.value
  const resolved = resolve(path)

  let content: ComponentChildren
  if (info === undefined) {
    content = <Loading />
  } else if (!resolved) {
    content = <NotFoundPage />
  } else if (resolved.route.access === 'member' && !info) {
    content = <Redirect to={signInPath()} />
  } else if (resolved.route.access === 'guest' && info) {
    content = <Redirect to={safeNext(search.get('next'))} />
  } else if (resolved.route.access === 'member' && mustEnrolTwoFactor.value) {
    // Staff without a second factor: the server refuses everything else until it is set up.
    content = <EnrolTwoFactorPage />
  } else {
    content = resolved.route.render(resolved.params)
  }

  return (
    <>
      <SkipLink />
      <Header />
      <main id="main" tabIndex={-1}>
        {content}
      </main>
      <Footer />
    </>
  )
}
