import { fetchTwoFactor } from '../api/auth'
import { RouteHeading, usePageTitle } from '../components/page'
import { useResource } from '../components/use-resource'
import { t } from '../i18n'
import { currentUser, setEnrolmentRequired } from '../state/session'
import { TwoFactorPanel } from './account'

/**
 * What a secretariat member or administrator without a second factor sees at every address
 * (issue 12, item 8): the server refuses them everything else until they set one up, so the
 * app asks for it first and takes them where they were going once the recovery codes are kept.
 */
export function EnrolTwoFactorPage() {
  const title = t('twoFactor.enrol.title')
  usePageTitle(title)
  const status = useResource(fetchTwoFactor, [])
  const user = currentUser.value
  return (
    <div class="container page narrow">
      <RouteHeading>{title}</RouteHeading>
      <p class="page-lead">{t('twoFactor.enrol.lead', { email: user?.email ?? '' })}</p>
      <TwoFactorPanel status={status} onKept={() => setEnrolmentRequired(false)} />
    </div>
  )
}
