/**
 * @module emulators/salesforce/errors
 * Salesforce error codes and messages, worded as the real API words them (api-facts B.5 and the
 * Addendum §3: the message starts with the field LABEL while `fields` carries API names;
 * DUPLICATE_VALUE has empty `fields` and a 15-character Id). Single-record REST errors are a
 * top-level array of `{message, errorCode, fields}`; collection results use `statusCode`.
 */
import type { FieldDef } from './schema.js'

export interface SfError {
  statusCode: string
  message: string
  fields: string[]
}

export const sfError = (statusCode: string, message: string, fields: string[] = []): SfError => ({
  statusCode,
  message,
  fields,
})

/** An error that ends the whole HTTP request (single-record surface). */
export class SfHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message)
  }

  body(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }]
  }
}

export const errors = {
  stringTooLong: (f: FieldDef, value: string): SfError =>
    sfError('STRING_TOO_LONG', `${f.label}: data value too large: ${value} (max length=${f.length})`, [f.name]),
  invalidEmail: (f: FieldDef, value: string): SfError =>
    sfError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${value}`, [f.name]),
  requiredMissing: (names: string[]): SfError =>
    sfError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, names),
  duplicateValue: (f: FieldDef, id15: string): SfError =>
    sfError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${id15}`, []),
  restrictedPicklist: (f: FieldDef, value: string): SfError =>
    sfError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${value}`, [f.name]),
  malformedId: (f: FieldDef, value: string): SfError =>
    sfError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${value}`, [f.name]),
  badReference: (f: FieldDef, value: string): SfError =>
    sfError('INVALID_CROSS_REFERENCE_KEY', `${f.label}: this ID value isn't valid for the user: ${value}`, [f.name]),
  invalidCrossReference: (): SfError => sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []),
  noSuchColumn: (objectName: string, name: string): SfError =>
    sfError('INVALID_FIELD', `No such column '${name}' on sobject of type ${objectName}`, []),
  notWritable: (f: FieldDef, op: 'create' | 'update'): SfError =>
    sfError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to ${op} fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      [f.name],
    ),
  /** Relationship reference by external ID that matches nothing (INVALID_FIELD, real wording). */
  foreignKeyNotFound: (value: string, f: FieldDef, entity: string): SfError =>
    sfError('INVALID_FIELD', `Foreign key external ID: ${value} not found for field ${f.name} in entity ${entity}`, []),
  wrongType: (f: FieldDef, value: unknown, soapType: string): SfError =>
    sfError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${soapType} from ${typeof value === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${String(value)} or request may be missing a required field`, [f.name]),
  numberOutOfRange: (f: FieldDef, value: number): SfError =>
    sfError('NUMBER_OUTSIDE_VALID_RANGE', `${f.label}: value outside of valid range on numeric field: ${value}`, [f.name]),
  entityIsDeleted: (): SfError => sfError('ENTITY_IS_DELETED', 'entity is deleted', []),
  rolledBack: (): SfError =>
    sfError(
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'Record rolled back because not all records were valid and the request was using AllOrNone header',
      [],
    ),
  /** A collection record without `attributes` (Salesforce's message, as observed in recorded traffic). */
  attributesMissing: (): SfError =>
    sfError('JSON_PARSER_ERROR', 'Nested object for polymorphic foreign key must have an attributes field before any other fields.', []),
  unableToLock: (id: string): SfError =>
    sfError('UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id}`, []),
}

export const notFound = (): SfHttpError =>
  new SfHttpError(404, 'NOT_FOUND', 'The requested resource does not exist')
