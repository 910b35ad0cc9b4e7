import { describe, expect, it } from 'vitest'
import * as f from '../../test/fixtures/qbo-client/faults.js'
import type {
  QboError} from './errors.js';
import {
  headerLoose,
  QboAuthError,
  QboDuplicateNameError,
  qboErrorFromResponse,
  QboNotFoundError,
  QboServerError,
  QboStaleObjectError,
  QboThrottleError,
  QboValidationError,
} from './errors.js'

const build = (x: f.FaultFixture): QboError =>
  qboErrorFromResponse({ status: x.status, headers: new Headers(x.headers), body: x.body })

describe('qboErrorFromResponse', () => {
  it('6240 → QboDuplicateNameError with code, detail and intuit_tid', () => {
    const e = build(f.duplicateName)
    expect(e).toBeInstanceOf(QboDuplicateNameError)
    expect(e).toMatchObject({ status: 400, code: '6240', message: 'Duplicate Name Exists Error', retryable: false })
    expect(e.detail).toBe('The name supplied already exists. : null')
    expect(e.intuitTid).toBe('1-5f733f0a-2c7e3b1d5f0a0c3e4b6d7a21')
    expect(e.type).toBe('ValidationFault')
  })
  it('5010 → QboStaleObjectError; reads an intuit_tid header spelled with underscore', () => {
    const e = build(f.staleObject)
    expect(e).toBeInstanceOf(QboStaleObjectError)
    expect(e.code).toBe('5010')
    expect(e.intuitTid).toBe('tid-5010-abc')
    expect(e.element).toBeUndefined()
  })
  it('gateway 401 (lower-case envelope) → QboAuthError 3200', () => {
    const e = build(f.expiredToken)
    expect(e).toBeInstanceOf(QboAuthError)
    expect(e).toMatchObject({ status: 401, code: '3200', message: 'AuthenticationFailed', type: 'AUTHENTICATION' })
    expect(e.detail).toMatch(/^Token expired/)
    expect(e.intuitTid).toBe('1-5f7349e0-0fd2bee86a8a83c67a77fbb2')
  })
  it('429 / 3001 → retryable QboThrottleError', () => {
    const e = build(f.throttled)
    expect(e).toBeInstanceOf(QboThrottleError)
    expect(e).toMatchObject({ code: '3001', retryable: true, message: 'ThrottleExceeded', intuitTid: 'tid-429' })
  })
  it('4001 → QboValidationError, never retryable', () => {
    const e = build(f.invalidQuery)
    expect(e).toBeInstanceOf(QboValidationError)
    expect(e).toMatchObject({ code: '4001', retryable: false })
  })
  it('610 → QboNotFoundError', () => {
    expect(build(f.notFound)).toBeInstanceOf(QboNotFoundError)
  })
  it('500 / 10000 → retryable QboServerError; 501 is not retryable', () => {
    const e = build(f.systemFault)
    expect(e).toBeInstanceOf(QboServerError)
    expect(e).toMatchObject({ code: '10000', retryable: true })
    expect(build({ ...f.systemFault, status: 501 }).retryable).toBe(false)
  })
  it('a 200 carrying a Fault is still an error', () => {
    const e = build(f.faultIn200)
    expect(e).toBeInstanceOf(QboDuplicateNameError)
    expect(e.status).toBe(200)
  })
  it('invalid_grant → QboAuthError telling the user to reconnect', () => {
    const e = build(f.invalidGrant)
    expect(e).toBeInstanceOf(QboAuthError)
    expect(e.code).toBe('invalid_grant')
    expect(e.message).toMatch(/Reconnect QuickBooks/)
    expect(e.intuitTid).toBe('tid-oauth-1')
  })
  it('a non-JSON 502 becomes a retryable server error with an http code', () => {
    const e = qboErrorFromResponse({ status: 502, headers: new Headers(), body: '<html>Bad Gateway</html>' })
    expect(e).toBeInstanceOf(QboServerError)
    expect(e).toMatchObject({ code: 'http_502', retryable: true })
  })
  it('takes Retry-After into account when present', () => {
    const e = qboErrorFromResponse({ status: 429, headers: new Headers({ 'retry-after': '2' }), body: '' })
    expect(e.retryAfterMs).toBe(2000)
  })
})

describe('headerLoose', () => {
  it('matches case-, underscore- and dash-insensitively', () => {
    const h = new Headers({ 'INTUIT-TID': 'x' })
    expect(headerLoose(h, 'intuit_tid')).toBe('x')
    expect(headerLoose(h, 'IntuitTid')).toBe('x')
    expect(headerLoose(h, 'x-spanid')).toBeUndefined()
  })
})
