import type { Mail } from './mailer'

// E-mails are plain text in English and Spanish, the two languages Concord speaks from the
// start; the recipient may not have an account yet, so we cannot know their preference.

export function passwordResetMail(to: string, link: string, validHours: number): Mail {
  return {
    to,
    subject: 'Concord: reset your password / restablecer su contraseña',
    text: [
      'Someone asked to reset the password of your Concord account.',
      `Open this link within ${validHours} hours to choose a new one (it works once):`,
      link,
      'If it was not you, ignore this message; your password stays as it is.',
      '',
      'Alguien solicitó restablecer la contraseña de su cuenta de Concord.',
      `Abra este enlace en las próximas ${validHours} horas para elegir una nueva (funciona una sola vez):`,
      link,
      'Si no fue usted, ignore este mensaje; su contraseña no cambia.',
    ].join('\n'),
  }
}

export function invitationMail(
  to: string,
  link: string,
  invitation: { processTitle: string; invitedBy: string; validDays: number },
): Mail {
  return {
    to,
    subject: `Concord: invitation to "${invitation.processTitle}" / invitación`,
    text: [
      `${invitation.invitedBy} invited you to take part in "${invitation.processTitle}" on Concord.`,
      `Open this link within ${invitation.validDays} days to create your account (it works once):`,
      link,
      '',
      `${invitation.invitedBy} le invitó a participar en «${invitation.processTitle}» en Concord.`,
      `Abra este enlace en los próximos ${invitation.validDays} días para crear su cuenta (funciona una sola vez):`,
      link,
    ].join('\n'),
  }
}

export function addedToProcessMail(to: string, link: string, processTitle: string, addedBy: string): Mail {
  return {
    to,
    subject: `Concord: you were added to "${processTitle}" / fue añadido`,
    text: [
      `${addedBy} added you to "${processTitle}" on Concord: ${link}`,
      `${addedBy} le añadió a «${processTitle}» en Concord: ${link}`,
    ].join('\n'),
  }
}

/**
 * A notification of a mention or a reply. It names who and where, never the text itself: a
 * moderator may still hide the comment, and an e-mail cannot be taken back (issue 5, item 7).
 */
export function notificationMail(
  to: string,
  link: string,
  notice: { kind: 'mention' | 'reply'; actorName: string; processTitle: string; threadNumber: number; sectionTitle: string },
): Mail {
  const where = `#${notice.threadNumber} · ${notice.sectionTitle}`
  const english =
    notice.kind === 'mention'
      ? `${notice.actorName} mentioned you in "${notice.processTitle}" (${where}).`
      : `${notice.actorName} replied to your thread in "${notice.processTitle}" (${where}).`
  const spanish =
    notice.kind === 'mention'
      ? `${notice.actorName} le mencionó en «${notice.processTitle}» (${where}).`
      : `${notice.actorName} respondió a su hilo en «${notice.processTitle}» (${where}).`
  return {
    to,
    subject:
      notice.kind === 'mention'
        ? `Concord: ${notice.actorName} mentioned you / le mencionó`
        : `Concord: ${notice.actorName} replied / respondió`,
    text: [english, link, '', spanish, link].join('\n'),
  }
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
): Mail {
  const where = `#${notice.threadNumber} · ${notice.sectionTitle}`
  const english = `A moderator hid your comment in "${notice.processTitle}" (${where}). Open the thread to read the reason; only you and the moderators still see your comment.`
  const spanish = `Un moderador ocultó su comentario en «${notice.processTitle}» (${where}). Abra el hilo para leer el motivo; solo usted y la moderación siguen viendo su comentario.`
  return {
    to,
    subject: 'Concord: a moderator hid your comment / un moderador ocultó su comentario',
    text: [english, link, '', spanish, link].join('\n'),
  }
}
