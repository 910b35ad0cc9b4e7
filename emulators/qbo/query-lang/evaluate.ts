/**
 * @module emulators/qbo/query-lang/evaluate
 * Runs a parsed QBO query over in-memory wire objects. Semantics and their sources:
 * - entity names are matched case-insensitively (node-quickbooks sends `from customer`); an
 *   unknown entity is 4001 "invalid context declaration: X" (qbo_api error/400.yml);
 * - only filterable properties may appear in WHERE/ORDERBY (I-CUST "filterable" column); field
 *   names are case-insensitive (QIME sends `where id = '3'`); `MetaData.`/`Metadata.` both work
 *   (I-QUERY samples use both);
 * - string comparison is case-insensitive, `LIKE` knows only `%` (I-QUERY);
 * - inactive rows are hidden unless the WHERE mentions Active (qbo_api get/inactive_vendors.yml);
 * - default order is FullyQualifiedName, case-insensitive (qbo_api all/customers.yml came back in
 *   that order although the doc says Id), ties by Id, so paging is stable;
 * - STARTPOSITION is 1-based, default 1; MAXRESULTS default 100, max 1000 (PYQB README citing
 *   Intuit). Above 1000 is rejected here ("value N is too large") — assumed by symmetry with the
 *   recorded "too small" message, not recorded.
 */
import { queryValidation } from '../errors.js'
import { parseQboTime } from '../time.js'
import type { Condition, Literal, Query } from './ast.js'

type FieldType = 'id' | 'string' | 'bool' | 'number' | 'time' | 'ref'

/** Property name → [path in the wire object, type]. */
type FieldCatalog = Record<string, [string[], FieldType]>

const common: FieldCatalog = {
  Id: [['Id'], 'id'],
  DisplayName: [['DisplayName'], 'string'],
  GivenName: [['GivenName'], 'string'],
  MiddleName: [['MiddleName'], 'string'],
  FamilyName: [['FamilyName'], 'string'],
  CompanyName: [['CompanyName'], 'string'],
  PrimaryEmailAddr: [['PrimaryEmailAddr', 'Address'], 'string'],
  PrintOnCheckName: [['PrintOnCheckName'], 'string'],
  Active: [['Active'], 'bool'],
  'MetaData.CreateTime': [['MetaData', 'CreateTime'], 'time'],
  'MetaData.LastUpdatedTime': [['MetaData', 'LastUpdatedTime'], 'time'],
}

export const QUERYABLE: Record<string, FieldCatalog> = {
  Customer: {
    ...common,
    FullyQualifiedName: [['FullyQualifiedName'], 'string'],
    Balance: [['Balance'], 'number'],
    // Not in the doc's filterable list, but commonly sent by clients to walk hierarchies.
    Job: [['Job'], 'bool'],
    ParentRef: [['ParentRef', 'value'], 'ref'],
  },
  Vendor: { ...common, Balance: [['Balance'], 'number'] },
  Employee: { ...common },
}

export type QueryResult = { count: number } | { rows: Record<string, unknown>[]; startPosition: number }

export function resolveEntity(name: string): string {
  const found = Object.keys(QUERYABLE).find((e) => e.toLowerCase() === name.toLowerCase())
  if (!found) throw queryValidation(`invalid context declaration: ${name}`)
  return found
}

export function evaluateQuery(query: Query, rowsOf: (entity: string) => Record<string, unknown>[]): QueryResult {
  const entity = resolveEntity(query.entity)
  const catalog = QUERYABLE[entity] as FieldCatalog
  const field = (name: string): [string[], FieldType] => {
    const normal = name.replace(/^metadata\./i, 'MetaData.').toLowerCase()
    const key = Object.keys(catalog).find((k) => k.toLowerCase() === normal)
    if (!key) throw queryValidation(`property '${name}' is not queryable`)
    return catalog[key] as [string[], FieldType]
  }
  const preds = query.where.map((c) => predicate(c, field(c.field)))
  const mentionsActive = query.where.some((c) => c.field.toLowerCase() === 'active')
  const orderFields = query.orderBy.map((o) => ({ spec: field(o.field), dir: o.direction === 'DESC' ? -1 : 1 }))

  const matched = rowsOf(entity).filter(
    (row) => (mentionsActive || row.Active !== false) && preds.every((p) => p(row)),
  )
  if (query.count) return { count: matched.length }

  const nameKey = entity === 'Customer' ? 'FullyQualifiedName' : 'DisplayName'
  matched.sort((a, b) => {
    for (const { spec, dir } of orderFields) {
      const c = compareValues(get(a, spec[0]), get(b, spec[0]), spec[1])
      if (c !== 0) return c * dir
    }
    const byName = compareStrings(String(a[nameKey] ?? ''), String(b[nameKey] ?? ''))
    return byName !== 0 ? byName : Number(a.Id) - Number(b.Id)
  })

  const max = query.maxResults ?? 100
  if (max > 1000) throw queryValidation(`value ${max} is too large. Max allowed value is 1000`)
  const start = query.startPosition ?? 1
  return { rows: matched.slice(start - 1, start - 1 + max), startPosition: start }
}

function get(row: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = row
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined
  return v
}

const compareStrings = (a: string, b: string): number => {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  return x < y ? -1 : x > y ? 1 : 0
}

function coerce(value: unknown, type: FieldType): number | string | boolean | undefined {
  if (value === undefined || value === null) return undefined
  switch (type) {
    case 'id':
    case 'number':
      return Number(value)
    case 'bool':
      return value === true || String(value).toLowerCase() === 'true'
    case 'time':
      return parseQboTime(String(value))
    default:
      return String(value).toLowerCase()
  }
}

function literal(value: Literal, type: FieldType): number | string | boolean {
  const v = coerce(value, type)
  if (v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
    throw queryValidation(`invalid value '${String(value)}' for a ${type} property`)
  }
  return v
}

function compareValues(a: unknown, b: unknown, type: FieldType): number {
  const x = coerce(a, type)
  const y = coerce(b, type)
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1
  return x < y ? -1 : x > y ? 1 : 0
}

function predicate(c: Condition, [path, type]: [string[], FieldType]): (row: Record<string, unknown>) => boolean {
  if (c.op === 'LIKE') {
    const escaped = c.pattern.toLowerCase().split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    const re = new RegExp(`^${escaped.join('.*')}$`, 's')
    return (row) => {
      const v = get(row, path)
      return v !== undefined && re.test(String(v).toLowerCase())
    }
  }
  if (c.op === 'IN') {
    const wanted = c.values.map((v) => literal(v, type))
    return (row) => {
      const v = coerce(get(row, path), type)
      return v !== undefined && wanted.includes(v)
    }
  }
  const want = literal(c.value, type)
  return (row) => {
    const v = coerce(get(row, path), type)
    if (v === undefined) return false
    switch (c.op) {
      case '=': return v === want
      case '!=': return v !== want
      case '<': return v < want
      case '>': return v > want
      case '<=': return v <= want
      default: return v >= want
    }
  }
}
