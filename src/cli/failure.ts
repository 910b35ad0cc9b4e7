/**
 * @module cli/failure
 * The one sentence the CLI prints when a command cannot complete (contract §2, exit 1): what went
 * wrong and what to do. Vendor modules raise typed errors carrying the vendor's code and the URL
 * they called; only here, where the configuration is known, are they tied to the variable a person
 * must change (and its value, so a typo is visible).
 */
import { DEFAULTS, type Config } from '../config/env.js'
import { AppError, describeError } from '../lib/errors.js'
import { QboAuthError, QboConnectionError } from '../qbo/index.js'
import { SalesforceAuthError, SalesforceConnectionError } from '../salesforce/index.js'

const sameOrigin = (a: string | undefined, b: string): boolean => {
  try {
    return a !== undefined && new URL(a).origin === new URL(b).origin
  } catch {
    return false
  }
}

/** A sentence naming the variable behind `e`, or undefined when no variable is to blame. */
function configSentence(e: unknown, config: Readonly<Config>): string | undefined {
  if (e instanceof QboConnectionError && e.endpoint === 'token') {
    return `Tally could not reach QuickBooks' token endpoint at QBO_TOKEN_URL=${e.url ?? config.qbo.tokenUrl} (${e.code}): check QBO_TOKEN_URL (or unset it to use Intuit's ${DEFAULTS.qboTokenUrl}) and that this machine can reach it.`
  }
  if (e instanceof QboConnectionError && e.endpoint === 'api') {
    const at = e.url ? new URL(e.url).origin : config.qbo.apiUrl
    return `Tally could not reach the QuickBooks API at QBO_API_URL=${at} (${e.code}): check QBO_API_URL (or unset it to use Intuit's ${DEFAULTS.qboApiUrl}) and that this machine can reach it.`
  }
  if (e instanceof QboAuthError && e.code === 'invalid_client') {
    // Intuit answers the same for a wrong id and a wrong secret, so both are named.
    return `QuickBooks rejected the app's credentials (invalid_client): set QBO_CLIENT_ID and QBO_CLIENT_SECRET to the Client ID and Client Secret of your Intuit app (its Keys & credentials page on developer.intuit.com).`
  }
  if (e instanceof SalesforceAuthError && e.errorCode === 'invalid_client_id') {
    return `Salesforce does not know SF_CLIENT_ID=${config.salesforce.clientId ?? ''} (invalid_client_id): set SF_CLIENT_ID to the Consumer Key of your external client app in the org at SF_LOGIN_URL=${config.salesforce.loginUrl}.`
  }
  if (e instanceof SalesforceAuthError && e.errorCode === 'invalid_client') {
    return `Salesforce rejected SF_CLIENT_SECRET (invalid_client: invalid client credentials): set SF_CLIENT_SECRET to the Consumer Secret of the external client app whose Consumer Key is SF_CLIENT_ID.`
  }
  if (e instanceof SalesforceConnectionError && (e.url === undefined || sameOrigin(e.url, config.salesforce.loginUrl))) {
    return `Tally could not reach Salesforce at SF_LOGIN_URL=${config.salesforce.loginUrl} (${e.reason}): check SF_LOGIN_URL (your org's My Domain URL, e.g. https://acme.my.salesforce.com) and that this machine can reach it.`
  }
  return undefined
}

/** One sentence saying what went wrong and what to do. `config` when it could be read. */
export function failureText(e: unknown, config?: Readonly<Config>): string {
  const named = config ? configSentence(e, config) : undefined
  if (named) return named
  if (e instanceof AppError) return e.toText()
  return `Tally could not complete the run: ${describeError(e)}`
}
