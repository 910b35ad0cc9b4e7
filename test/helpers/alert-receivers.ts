/**
 * @module test/helpers/alert-receivers
 * Where a test's alerts arrive, over real network protocols: an incoming-webhook receiver (a node
 * HTTP server keeping each POSTed JSON body, optionally answering 5xx to the first few), and a real
 * SMTP server (smtp-server, plain text, with AUTH) keeping each message with its envelope.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface WebhookReceiver {
  url: string
  /** The JSON bodies of the POSTs answered 200, in order. */
  posts: { text: string }[]
  /** Every POST, refused ones included. */
  attempts: number
  /** Answer the next `n` POSTs with this status instead of 200. */
  failNext(n: number, status?: number): void
  close(): Promise<void>
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const posts: { text: string }[] = []
  let failing = 0
  let failStatus = 503
  const state = { attempts: 0 }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      state.attempts++
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json') {
        res.writeHead(400).end('expected a JSON POST')
        return
      }
      if (failing > 0) {
        failing--
        res.writeHead(failStatus).end('try later')
        return
      }
      posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string })
      // Slack answers a plain "ok".
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/secret`,
    posts,
    get attempts() {
      return state.attempts
    },
    failNext(n, status = 503) {
      failing = n
      failStatus = status
    },
    close: () => new Promise((r) => server.close(() => r())),
  }
}

export interface ReceivedMail {
  from: string
  to: string[]
  /** The user that signed in. */
  user: string | undefined
  subject: string
  /** The text body, transfer encoding undone. */
  text: string
}

export interface SmtpReceiver {
  url: string
  mails: ReceivedMail[]
  close(): Promise<void>
}

/** Undoes quoted-printable (RFC 2045 §6.7): soft line breaks and =XX octets. */
function unQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

function parseMail(raw: string): { subject: string; text: string } {
  const at = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, ' ')
  const body = raw.slice(at + 4)
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? ''
  const encoding = header('Content-Transfer-Encoding').toLowerCase()
  const text = encoding === 'quoted-printable' ? unQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body
  // An encoded-word subject (RFC 2047), as nodemailer writes non-ASCII ones.
  const subject = header('Subject').replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, enc: string, v: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(v, 'base64').toString('utf8') : unQuotedPrintable(v.replace(/_/g, ' ')),
  )
  return { subject, text: text.replace(/\r\n/g, '\n').trimEnd() }
}

export async function startSmtpReceiver(o: { user: string; password: string }): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = []
  const server = new SMTPServer({
    secure: false,
    // Plain text on loopback: no STARTTLS (its self-signed certificate would be refused), and AUTH
    // allowed without TLS.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === o.user && auth.password === o.password) cb(null, { user: auth.username })
      else cb(new Error('Invalid username or password'))
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const { subject, text } = parseMail(Buffer.concat(chunks).toString('latin1'))
        const from = session.envelope.mailFrom
        mails.push({
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          subject,
          text,
        })
        cb()
      })
    },
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://${encodeURIComponent(o.user)}:${encodeURIComponent(o.password)}@127.0.0.1:${port}`,
    mails,
    close: () => new Promise((r) => server.close(() => r())),
  }
}
