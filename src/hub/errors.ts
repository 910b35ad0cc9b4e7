/**
 * @module hub/errors
 * `HubError` carries an HTTP status and a code of the closed `ApiErrorCode` union; the one
 * `app.onError` turns it (and anything else thrown) into the `{ error: { code, message } }` envelope.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'
import type { ApiErrorCode } from './api-types.js'

export class HubError extends Error {
  readonly status: ContentfulStatusCode
  readonly code: ApiErrorCode
  constructor(status: ContentfulStatusCode, code: ApiErrorCode, message: string) {
    super(message)
    this.name = 'HubError'
    this.status = status
    this.code = code
  }
}

type Where = 'invalid_body' | 'invalid_query_params' | 'invalid_uri_params'

/** Parses `value` with `schema` or throws a 400 naming the first problem. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, code: Where): z.output<S> {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
  throw new HubError(400, code, `${where}${issue?.message ?? 'invalid input'}`)
}
