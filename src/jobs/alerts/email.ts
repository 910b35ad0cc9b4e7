/**
 * @module jobs/alerts/email
 * Alerts by e-mail through the SMTP server of TALLY_SMTP_URL (`smtp://user:password@host:port`;
 * `smtps://` for TLS from the first byte), with nodemailer (https://nodemailer.com/smtp/): a plain
 * `smtp://` connection is upgraded with STARTTLS when the server offers it. Timeouts keep a
 * server that does not answer from holding a run.
 */
import type { Transporter } from 'nodemailer'
import type { AlertChannel, AlertMessage } from './channel.js'

export interface EmailOptions {
  smtpUrl: string
  to: readonly string[]
  /** Per connection step (default 10 s). */
  timeoutMs?: number
}

/** The sender: the SMTP user when it is an address (servers often insist), else tally@<host>. */
export function senderOf(smtpUrl: string): string {
  const u = new URL(smtpUrl)
  const user = decodeURIComponent(u.username)
  return `Tally <${user.includes('@') ? user : `tally@${u.hostname}`}>`
}

export function emailChannel(o: EmailOptions): AlertChannel {
  const timeoutMs = o.timeoutMs ?? 10_000
  // nodemailer is loaded with the first alert: a run that sends none does not carry it.
  let transport: Promise<Transporter> | null = null
  const open = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({ url: o.smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs }),
    ))
  const from = senderOf(o.smtpUrl)
  return {
    name: 'email',
    async send(message: AlertMessage) {
      const info = await (await open()).sendMail({ from, to: [...o.to], subject: message.subject, text: message.text })
      // An address the server refused is a failure of this alert, even when others took it.
      if (info.rejected.length > 0) throw new Error(`the SMTP server refused ${info.rejected.map(String).join(', ')}`)
    },
    async close() {
      if (transport) (await transport).close()
    },
  }
}
