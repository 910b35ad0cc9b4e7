/**
 * @module emulators/qbo/errors
 * The QBO fault catalogue. Normal API errors use the capitalised envelope
 * `{"Fault":{"Error":[{"Message","Detail","code","element"?}],"type"},"time"}` with `code` a string
 * (qbo_api error/validation.yml, error/400_json.yml, error/500.yml; api-facts A.6). The gateway's
 * 401/403 use a different, lower-case envelope (qbo_api error/401.yml) — see `gatewayFault`.
 */
import { formatEnvelopeTime } from './time.js'

export interface FaultError {
  Message: string
  Detail: string
  code: string
  element?: string
}

export class QboFault extends Error {
  constructor(
    readonly status: number,
    readonly errors: FaultError[],
    readonly type = 'ValidationFault',
    /** Whether the body carries `time` (every recorded fault does, except 2030 Invalid ID). */
    readonly timed = true,
  ) {
    super(errors[0]?.Message ?? 'fault')
  }

  body(nowMs: number): Record<string, unknown> {
    const fault = { Fault: { Error: this.errors, type: this.type } }
    return this.timed ? { ...fault, time: formatEnvelopeTime(nowMs) } : fault
  }
}

const fault = (code: string, Message: string, Detail: string, element?: string, status = 400) =>
  new QboFault(status, [{ Message, Detail, code, ...(element === undefined ? {} : { element }) }])

/** 6240 — qbo_api error/validation.yml (2020 sandbox wording). */
export const duplicateName = (name: string) =>
  fault('6240', 'Duplicate Name Exists Error', `The name supplied already exists. : ${name}`)

/** 5010 — qbo_api batch/basic.yml. */
export const staleObject = () =>
  fault(
    '5010',
    'Stale Object Error',
    'Stale Object Error : You and sandbox-user were working on this at the same time. sandbox-user finished before you did, so your work was not saved.',
  )

/** 610 — I-BATCH doc and qbo_api batch/basic.yml wording. */
export const objectNotFound = (entity: string, id: string) =>
  fault(
    '610',
    'Object Not Found',
    `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${entity} Id ${id})`,
    'Id',
  )

/** 2030 — qbo_api error/500.yml: "Id should be a valid number. Supplied value:1.5", recorded without `time`. */
export const invalidId = (value: string) =>
  new QboFault(400, [{ Message: 'Invalid ID', Detail: `Id should be a valid number. Supplied value:${value}`, code: '2030', element: 'Id' }], 'ValidationFault', false)

/** 2010 — qbo_api error/400_json.yml (Jackson "Unrecognized field" wording, shortened). */
export const unknownProperty = (name: string, entity: string) =>
  fault(
    '2010',
    'Request has invalid or unsupported property',
    `Property Name:Unrecognized field "${name}" (class com.intuit.schema.finance.v3.${entity}), not marked as ignorable specified is unsupported or invalid`,
  )

/** 2050 — quickbooks-ruby fault.xml "Length exceeds limit". */
export const lengthExceeded = (field: string, max: number) =>
  fault('2050', 'Length exceeds limit', `Length of the field exceeds the permissible value. ${field} : maxlength ${max}`, field)

/** 2020 — required parameter missing (Intuit error-code list). */
export const requiredMissing = (field: string, detail: string) =>
  fault('2020', 'Required param missing, need to supply the required value for the API', detail, field)

/** 6000 — generic business validation (Intuit error-code list, I-ERR). */
export const businessValidation = (detail: string, element?: string) =>
  fault('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: ${detail}`, element)

/** 4000 — query parse error (Addendum §1: qbo_api misc/irregular_char.yml, HTTP 400 since 2016). */
export const queryParseError = (detail: string) =>
  fault('4000', 'Error parsing query', `QueryParserError: ${detail}`)

/** 4001 — query validation (qbo_api error/400.yml; quickbooks-ruby query_validation_error.xml). */
export const queryValidation = (detail: string) =>
  fault('4001', 'Invalid query', `QueryValidationError: ${detail}`)

/** 500 — unknown path (qbo_api error/500.yml). */
export const unsupportedOperation = (path: string) =>
  fault(
    '500',
    'Unsupported Operation',
    `Operation Could not find resource for relative : ${path} of full path: https://c50.sandbox.qbo.intuit.com/qbo50${path} is not supported.`,
  )

/** 10000 — SystemFault (quickbooks-ruby generic_error.xml). */
export const systemFault = () =>
  new QboFault(
    500,
    [{
      Message: 'An application error has occurred while processing your request',
      Detail: 'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.',
      code: '10000',
    }],
    'SystemFault',
  )

/** 3001 — throttle (quickbooks-ruby too_many_requests_error.xml; HTTP 429 per I-THR). */
export const throttleExceeded = () =>
  new QboFault(
    429,
    [{
      Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
      Detail: 'The request limit was reached. Try again later',
      code: '3001',
    }],
    'SERVICE',
  )

/**
 * The gateway's lower-case envelope, recorded for an expired token (qbo_api error/401.yml):
 * epoch-ms `time`, explicit nulls, type AUTHENTICATION. 403 3100 uses the same shape (api-facts A.6).
 */
export function gatewayFault(nowMs: number, code: '3200' | '3100', detail: string): Record<string, unknown> {
  const message = code === '3200'
    ? 'message=AuthenticationFailed; errorCode=003200; statusCode=401'
    : 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403'
  return {
    warnings: null,
    intuitObject: null,
    fault: { error: [{ message, detail, code, element: null }], type: code === '3200' ? 'AUTHENTICATION' : 'AUTHORIZATION' },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: nowMs,
    status: null,
    cdcresponse: [],
  }
}
