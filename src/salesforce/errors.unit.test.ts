import { describe, expect, it } from 'vitest'
import { SalesforceAuthError, SalesforceError, SalesforceLimitError, toSalesforceError } from './errors.js'
import { parseLimitInfo } from './transport.js'

/** The shape jsforce throws (http-api.js HttpApiError): name = errorCode, data = the body item. */
function jsforceError(errorCode: string, message: string, fields?: string[]): Error {
  return Object.assign(new Error(message), { name: errorCode, errorCode, data: { errorCode, message, fields } })
}

describe('toSalesforceError', () => {
  it('keeps the vendor code, status and fields', () => {
    const e = toSalesforceError(jsforceError('INVALID_FIELD', "No such column 'foo' on entity 'Account'", ['foo']), 400)
    expect(e).toBeInstanceOf(SalesforceError)
    expect(e).toMatchObject({ status: 400, errorCode: 'INVALID_FIELD', fields: ['foo'] })
  })

  it('maps limits and auth failures to their classes', () => {
    expect(toSalesforceError(jsforceError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'))).toBeInstanceOf(SalesforceLimitError)
    expect(toSalesforceError(jsforceError('INVALID_SESSION_ID', 'Session expired or invalid'))).toMatchObject({ status: 401 })
    const grant = toSalesforceError(Object.assign(new Error('expired access/refresh token'), { name: 'invalid_grant' }), 400)
    expect(grant).toBeInstanceOf(SalesforceAuthError)
    expect(toSalesforceError(new Error('Unable to refresh session due to: expired access/refresh token'))).toBeInstanceOf(SalesforceAuthError)
  })

  it('reads the status of ERROR_HTTP_nnn codes', () => {
    expect(toSalesforceError(jsforceError('ERROR_HTTP_414', ''))).toMatchObject({ status: 414 })
  })
})

describe('parseLimitInfo', () => {
  it('reads api-usage and ignores the per-app part', () => {
    expect(parseLimitInfo('api-usage=18/5000; per-app-api-usage=17/250(appName=Tally)')).toEqual({ used: 18, max: 5000 })
    expect(parseLimitInfo(undefined)).toBeNull()
    expect(parseLimitInfo('nonsense')).toBeNull()
  })
})
