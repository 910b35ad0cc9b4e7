/**
 * @module qbo/schemas
 * Zod schemas of the QBO wire shapes Tally reads, PascalCase exactly as Intuit sends them. Objects
 * are loose (unknown properties pass through: Intuit adds fields without bumping minorversion,
 * api-facts A.0) but every field Tally uses is validated. QBO omits empty properties instead of
 * sending null, so optional fields are `optional()`, not nullable.
 *
 * Customer: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
 * Query:    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
 * CDC:      https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
 */
import { z } from 'zod'
import { QboSchemaError } from './errors.js'

const ref = z.looseObject({ value: z.string(), name: z.string().optional() })
const phone = z.looseObject({ FreeFormNumber: z.string().optional() })

/** Physical address; `Lat`/`Long` are strings and may be the literal "INVALID" (api-facts A.1). */
export const addressSchema = z.looseObject({
  Id: z.string().optional(),
  Line1: z.string().optional(),
  Line2: z.string().optional(),
  Line3: z.string().optional(),
  Line4: z.string().optional(),
  Line5: z.string().optional(),
  City: z.string().optional(),
  CountrySubDivisionCode: z.string().optional(),
  PostalCode: z.string().optional(),
  Country: z.string().optional(),
  Lat: z.string().optional(),
  Long: z.string().optional(),
})

export const metaDataSchema = z.looseObject({
  CreateTime: z.string().optional(),
  LastUpdatedTime: z.string().optional(),
})

export const customerSchema = z.looseObject({
  Id: z.string().regex(/^\d+$/, 'Id must be a string of digits'),
  SyncToken: z.string(),
  DisplayName: z.string(),
  Title: z.string().optional(),
  GivenName: z.string().optional(),
  MiddleName: z.string().optional(),
  FamilyName: z.string().optional(),
  Suffix: z.string().optional(),
  CompanyName: z.string().optional(),
  PrintOnCheckName: z.string().optional(),
  FullyQualifiedName: z.string().optional(),
  PrimaryEmailAddr: z.looseObject({ Address: z.string().optional() }).optional(),
  PrimaryPhone: phone.optional(),
  Mobile: phone.optional(),
  Fax: phone.optional(),
  AlternatePhone: phone.optional(),
  WebAddr: z.looseObject({ URI: z.string().optional() }).optional(),
  BillAddr: addressSchema.optional(),
  ShipAddr: addressSchema.optional(),
  Notes: z.string().optional(),
  Job: z.boolean().optional(),
  ParentRef: ref.optional(),
  /** Only present when > 0 (api-facts A.1). */
  Level: z.number().int().optional(),
  BillWithParent: z.boolean().optional(),
  PreferredDeliveryMethod: z.string().optional(),
  Taxable: z.boolean().optional(),
  IsProject: z.boolean().optional(),
  /** Always sent by QBO; absent only in create/update request bodies. */
  Active: z.boolean().optional(),
  Balance: z.number().optional(),
  BalanceWithJobs: z.number().optional(),
  CurrencyRef: ref.optional(),
  MetaData: metaDataSchema.optional(),
  domain: z.string().optional(),
  sparse: z.boolean().optional(),
})
export type QboCustomer = z.infer<typeof customerSchema>

/** A CDC stub for a deleted object: only `Id`, `domain`, `status` and `MetaData` (api-facts A.3). */
export const deletedStubSchema = z.looseObject({
  Id: z.string(),
  status: z.literal('Deleted'),
  MetaData: metaDataSchema.optional(),
})

/** `{"Fault":{"Error":[{"Message","Detail","code","element"}],"type"}}` (api-facts A.6). */
export const faultSchema = z.looseObject({
  Error: z.array(
    z.looseObject({
      Message: z.string().optional(),
      Detail: z.string().optional(),
      code: z.string(),
      element: z.string().optional(),
    }),
  ),
  type: z.string().optional(),
})

/**
 * `{"QueryResponse":{"Customer":[…],"startPosition":1,"maxResults":N},"time"}`; no matches (or a
 * page past the end) is `{"QueryResponse":{}}`; COUNT is `{"QueryResponse":{"totalCount":N}}`.
 * The entity rows are validated separately so an error can name the row.
 */
export const queryResponseSchema = z.looseObject({
  QueryResponse: z.looseObject({
    startPosition: z.number().optional(),
    maxResults: z.number().optional(),
    totalCount: z.number().optional(),
  }),
  time: z.string().optional(),
})

/** `{"CDCResponse":[{"QueryResponse":[{"Customer":[…]}|{}]}],"time"}` (api-facts A.3). */
export const cdcResponseSchema = z.looseObject({
  CDCResponse: z.array(
    z.looseObject({
      QueryResponse: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]).optional(),
    }),
  ),
  time: z.string().optional(),
})

/** Intuit token endpoint response (api-facts A.5). */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.string(),
  expires_in: z.number(),
  x_refresh_token_expires_in: z.number().optional(),
})

/**
 * Parses `value` or throws a `QboSchemaError` naming the entity, its Id when known, and the field:
 * "QBO sent a Customer (Id 58) whose MetaData.LastUpdatedTime is invalid: expected string".
 */
export function parseWire<S extends z.ZodType>(schema: S, value: unknown, entity: string): z.infer<S> {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)'
  const id =
    typeof value === 'object' && value !== null && typeof (value as { Id?: unknown }).Id === 'string'
      ? ` (Id ${(value as { Id: string }).Id})`
      : ''
  return throwSchema(entity, id, field, issue?.message ?? 'invalid')
}

function throwSchema(entity: string, id: string, field: string, why: string): never {
  throw new QboSchemaError({
    status: 0,
    code: 'schema',
    message: `QBO sent a ${entity}${id} whose ${field} is invalid: ${why}`,
    element: field,
  })
}
