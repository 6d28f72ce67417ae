import nodemailer from 'nodemailer'
import type { FastifyBaseLogger } from 'fastify'

export interface Mail {
  to: string
  subject: string
  text: string
}

/** Sends e-mail. Without SMTP the message, links included, is written to the log instead. */
export interface Mailer {
  send(mail: Mail): Promise<void>
}

/** A mailer over SMTP_URL when it is set; otherwise one that logs each message at info. */
export function createMailer(options: { smtpUrl: string | undefined; from: string; log: FastifyBaseLogger }): Mailer {
  if (!options.smtpUrl) {
    return {
      async send(mail) {
        // The brief requires this: without SMTP, reset and invitation links go to the log.
        options.log.info({ mail: { to: mail.to, subject: mail.subject } }, `e-mail (SMTP not configured):\n${mail.text}`)
      },
    }
  }
  const transport = nodemailer.createTransport(options.smtpUrl)
  return {
    async send(mail) {
      // A mail server that is down must not undo what was already committed (an invitation,
      // a reset request): the failure is logged for the operator, and the person can ask again.
      try {
        await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text })
      } catch (err) {
        options.log.error({ err, mail: { to: mail.to, subject: mail.subject } }, 'e-mail could not be sent')
      }
    },
  }
}

/** A mailer that keeps every message in memory, for tests. */
export function createCapturingMailer(): Mailer & { messages: Mail[] } {
  const messages: Mail[] = []
  return {
    messages,
    async send(mail) {
      messages.push(mail)
    },
  }
}
