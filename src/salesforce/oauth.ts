/**
 * @module salesforce/oauth
 * The OAuth 2.0 web-server (authorization code) flow the Hub uses to connect an org: the URL to
 * send the browser to, and the code exchange. jsforce's OAuth2 class speaks to
 * `<loginUrl>/services/oauth2/authorize` and `/token`.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
import { OAuth2 } from 'jsforce'
import { toSalesforceError } from './errors.js'

export interface SalesforceTokens {
  accessToken: string
  refreshToken: string | null
  instanceUrl: string
  orgId: string
  userId: string
  /** `issued_at`, epoch milliseconds (Salesforce sends it as a string). */
  issuedAt: number
}

/** Where to send the browser; `state` comes back on the redirect and must be checked. */
export function salesforceAuthorizeUrl(o: { loginUrl: string; clientId: string; redirectUri: string; state: string; scope?: string }): string {
  const oauth2 = new OAuth2({ loginUrl: o.loginUrl, clientId: o.clientId, redirectUri: o.redirectUri })
  // `refresh_token` scope is needed for a refresh token; `api` for REST.
  return oauth2.getAuthorizationUrl({ state: o.state, scope: o.scope ?? 'api refresh_token' })
}

/** Exchanges the code from the redirect for tokens (one call to the token endpoint). */
export async function exchangeSalesforceCode(o: {
  loginUrl: string
  clientId: string
  clientSecret: string
  code: string
  redirectUri: string
}): Promise<SalesforceTokens> {
  const oauth2 = new OAuth2({ loginUrl: o.loginUrl, clientId: o.clientId, clientSecret: o.clientSecret, redirectUri: o.redirectUri })
  try {
    const res = await oauth2.requestToken(o.code)
    // `id` is https://login.salesforce.com/id/<orgId>/<userId> (api-facts B.8).
    const parts = res.id.split('/').filter(Boolean)
    return {
      accessToken: res.access_token,
      refreshToken: res.refresh_token ?? null,
      instanceUrl: res.instance_url,
      orgId: parts.at(-2) ?? '',
      userId: parts.at(-1) ?? '',
      issuedAt: Number(res.issued_at),
    }
  } catch (err) {
    throw toSalesforceError(err, 400)
  }
}
