import { describe, expect, it } from 'vitest'
import { ConfigError } from '../lib/errors.js'
import { parseConfig } from './env.js'

const problems = (env: Record<string, string>): string => {
  try {
    parseConfig(env, '/tmp')
  } catch (e) {
    if (e instanceof ConfigError) return e.message
    throw e
  }
  return ''
}

describe('alert configuration (contract §3, §11)', () => {
  it('reads the webhook and the e-mail channel', () => {
    const c = parseConfig({ TALLY_ALERT_WEBHOOK: 'https://hooks.slack.com/services/T/B/x', TALLY_SMTP_URL: 'smtp://u:p@mail.example.com:587', TALLY_ALERT_EMAIL: 'ops@example.com, it@example.com' }, '/tmp')
    expect(c.alerts).toEqual({ webhookUrl: 'https://hooks.slack.com/services/T/B/x', email: { smtpUrl: 'smtp://u:p@mail.example.com:587', to: ['ops@example.com', 'it@example.com'] } })
    expect(parseConfig({}, '/tmp').alerts).toEqual({ webhookUrl: undefined, email: undefined })
  })

  it('names the variable and what to do, never echoing the SMTP password', () => {
    expect(problems({ TALLY_ALERT_WEBHOOK: 'hooks.slack.com/x' })).toMatch(/TALLY_ALERT_WEBHOOK must be an http\(s\) URL/)
    const bad = problems({ TALLY_SMTP_URL: 'mail.example.com:587 s3cret', TALLY_ALERT_EMAIL: 'ops@example.com' })
    expect(bad).toMatch(/TALLY_SMTP_URL must be an SMTP URL: smtp:\/\/user:password@host:port/)
    expect(bad).not.toMatch(/s3cret/)
    expect(problems({ TALLY_SMTP_URL: 'smtp://mail.example.com' })).toMatch(/TALLY_ALERT_EMAIL: TALLY_SMTP_URL is set/)
    expect(problems({ TALLY_ALERT_EMAIL: 'ops@example.com' })).toMatch(/TALLY_SMTP_URL: TALLY_ALERT_EMAIL is set/)
    expect(problems({ TALLY_SMTP_URL: 'smtp://mail.example.com', TALLY_ALERT_EMAIL: 'ops@example.com,nobody' })).toMatch(/"nobody" is not an e-mail address/)
  })
})
