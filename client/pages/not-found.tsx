import { Link } from '../components/link'
import { RouteHeading, usePageTitle } from '../components/page'
import { t } from '../i18n'

export function NotFoundPage() {
  usePageTitle(t('notFound.title'))
  return (
    <div class="container page narrow">
      <RouteHeading>{t('notFound.title')}</RouteHeading>
      <p>{t('notFound.body')}</p>
      <p>
        <Link href="/">{t('notFound.home')}</Link>
      </p>
    </div>
  )
}
