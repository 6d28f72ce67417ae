import { translator } from '../consultation/public-i18n'
import { uiLanguageOf, type UiLanguage } from '../../shared/i18n/languages'
import type { Mail } from './mailer'

// E-mails are plain text in the recipient's language: the account's language when they have
// one, the process's languages for an invitation (the invitee has no account yet, so it is
// written in each of them, the process's main language first). The strings are the shared
// dictionaries' "mail" section, so every interface language has them (issue 16, item 6).

/** The interface languages to write in, from any language tags: known ones, once each, English if none. */
export function mailLanguages(tags: readonly (string | null | undefined)[]): UiLanguage[] {
  const out: UiLanguage[] = []
  for (const tag of tags) {
    const ui = uiLanguageOf(tag)
    if (!out.includes(ui)) {
      out.push(ui)
    }
  }
  return out.length > 0 ? out : ['en']
}

/** One mail with a block per language, separated by a blank line; the subject in the first. */
function compose(
  to: string,
  languages: readonly UiLanguage[],
  subject: (t: ReturnType<typeof translator>) => string,
  block: (t: ReturnType<typeof translator>) => string[],
): Mail {
  const list = languages.length > 0 ? languages : (['en'] as const)
  return {
    to,
    subject: subject(translator(list[0]!)),
    text: list.map((lang) => block(translator(lang)).join('\n')).join('\n\n'),
  }
}

export function passwordResetMail(to: string, link: string, validHours: number, lang: UiLanguage = 'en'): Mail {
  return compose(
    to,
    [lang],
    (t) => t('mail.reset.subject'),
    (t) => [t('mail.reset.intro'), t('mail.reset.open', { count: validHours }), link, t('mail.reset.notYou')],
  )
}

export function invitationMail(
  to: string,
  link: string,
  invitation: { processTitle: string; invitedBy: string; validDays: number },
  languages: readonly UiLanguage[] = ['en'],
): Mail {
  const values = { process: invitation.processTitle, inviter: invitation.invitedBy }
  return compose(
    to,
    languages,
    (t) => t('mail.invitation.subject', values),
    (t) => [t('mail.invitation.intro', values), t('mail.invitation.open', { count: invitation.validDays }), link],
  )
}

export function addedToProcessMail(
  to: string,
  link: string,
  processTitle: string,
  addedBy: string,
  lang: UiLanguage = 'en',
): Mail {
  const values = { process: processTitle, actor: addedBy }
  return compose(
    to,
    [lang],
    (t) => t('mail.added.subject', values),
    (t) => [`${t('mail.added.body', values)} ${link}`],
  )
}

/**
 * A notification of a mention or a reply. It names who and where, never the text itself: a
 * moderator may still hide the comment, and an e-mail cannot be taken back (issue 5, item 7).
 */
export function notificationMail(
  to: string,
  link: string,
  notice: { kind: 'mention' | 'reply'; actorName: string; processTitle: string; threadNumber: number; sectionTitle: string },
  lang: UiLanguage = 'en',
): Mail {
  const values = {
    actor: notice.actorName,
    process: notice.processTitle,
    where: `#${notice.threadNumber} · ${notice.sectionTitle}`,
  }
  return compose(
    to,
    [lang],
    (t) => t(`mail.${notice.kind}.subject`, values),
    (t) => [t(`mail.${notice.kind}.body`, values), link],
  )
}

/**
 * The e-mail that a moderator hid someone's comment (issue 15, item 2). It says where only:
 * neither the comment nor the moderator's reason is in it; the link opens the thread, where
 * its author reads both.
 */
export function hiddenNoticeMail(
  to: string,
  link: string,
  notice: { processTitle: string; threadNumber: number; sectionTitle: string },
  lang: UiLanguage = 'en',
): Mail {
  const values = { process: notice.processTitle, where: `#${notice.threadNumber} · ${notice.sectionTitle}` }
  return compose(
    to,
    [lang],
    (t) => t('mail.hidden.subject', values),
    (t) => [t('mail.hidden.body', values), link],
  )
}
