/**
 * @module emulators/salesforce
 * The Salesforce sandbox: a stateful emulator of the Salesforce REST API and OAuth 2.0 login
 * server over real HTTP, whose `QBO_Customer__c` schema is read from the Tally package metadata.
 * What it reproduces, and what it does not, is listed in ./README.md with sources.
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import type { SandboxData, WireObject } from '../../emulators/shared/data.js'
import { seededRandom } from '../../emulators/shared/random.js'
import { listen } from '../../src/lib/http-server.js'
import { RequestStats } from '../../emulators/shared/stats.js'
import { IdFactory, normalizeId, to18 } from './ids.js'
import { defaultLimits } from './limits.js'
import { DEFAULT_METADATA_DIR, packagePermissionSets, readPackage } from './metadata.js'
import { newMetadataApiState, registerMetadataApi } from './metadata-api/routes.js'
import { registerStreaming, type StreamingOptions } from './streaming/bayeux.js'
import { permissionSetAssignmentObject, permissionSetObject, pushTopicObject } from './setup-objects.js'
import { issueTokens } from './routes/oauth.js'
import { registerOAuth } from './routes/oauth.js'
import { registerBulk2, DEFAULT_BULK_OPTIONS, type BulkOptions } from './routes/bulk2.js'
import { newBulkState } from './bulk/jobs.js'
import { registerComposite } from './routes/composite.js'
import { registerCompositeRequest } from './routes/composite-request.js'
import { inSubrequest, registerGuard } from './routes/guard.js'
import { registerMerge } from './routes/merge.js'
import { registerQuery } from './routes/query.js'
import { registerSandbox } from './routes/sandbox.js'
import { registerSObjects } from './routes/sobjects.js'
import { accountObject } from './account-fields.js'
import { contactObject, findField, userObject } from './schema.js'
import type { FieldDef, ObjectDef, Schema } from './schema.js'
import { SAMPLE_ACCOUNTS } from './seed.js'
import type { FaultKind, ResolvedOptions, SfState } from './state.js'
import { Store } from './store.js'
import type { Rec } from './store.js'
import { createRecord } from './writes.js'
import type { ValidationRule } from './validation-rules.js'
export type { ValidationRule } from './validation-rules.js'

export type { FaultKind } from './state.js'
export { normalizeId, to18 } from './ids.js'

export interface SalesforceEmulatorOptions {
  /** The `salesforce` half of the sandbox data file (contract §7). Default: the sample org. */
  data?: Partial<SandboxData['salesforce']>
  clientId?: string
  clientSecret?: string
  latencyMs?: number
  faultRate?: number
  tokenTtlSeconds?: number
  /** Enterprise Edition with 10 licences: 100,000 + 1,000 × 10 (api-facts B.6). */
  dailyApiLimit?: number
  randomSeed?: number
  now?: () => Date
  /** The package's `force-app/main/default`; default: the repository's `salesforce/` package. */
  metadataDir?: string
  /** false: the org starts without Tally's package (`tally sandbox --no-package`), so that
   * `tally salesforce deploy` can install it through the Metadata API. Default true. */
  package?: boolean
  /** Streaming API timeouts (defaults: Salesforce's 110 s connect hold, 40 s client expiry). */
  streaming?: StreamingOptions
  /** Id length quoted in DUPLICATE_VALUE messages (Addendum §3: 15). */
  idLength?: number
  /** Trim leading/trailing white space of single-line text values on save (README "Whitespace"). */
  trimText?: boolean
  /** Validation rules, as an admin would add them (FIELD_CUSTOM_VALIDATION_EXCEPTION). */
  validationRules?: ValidationRule[]
  /** Bulk API 2.0 timing and limits (defaults in routes/bulk2.ts: a closed job waits 10 ms, then
   * 20 ms per 10,000-record batch; uploads up to 150 MB base64-encoded; 50,000 query rows a page). */
  bulk?: Partial<BulkOptions>
  /** false: every SOQL query scans the object's records instead of using the planner's indexes
   * (soql/plan.ts). The answers are the same; tests compare the two. Default true. */
  queryIndexes?: boolean
}

export interface SalesforceEmulator {
  app: Hono
  reset(): void
  /** Answers every held Streaming API connect (before the server closes). */
  releaseStreams(): void
  /** The Streaming API channels each connected client is subscribed to. */
  streamSubscriptions(): string[][]
  /** The events retained on a channel (what a replay from -2 would get). */
  streamEvents(channel: string): { type: string; replayId: number; sobject: Record<string, unknown> }[]
  stats: RequestStats
  orgId: string
  userId: string
  /** A valid access token for tests: the client-credentials run-as user's, or another user's. */
  issueAccessToken(userId?: string): string
  /** Adds a user to the org (a person who edits records, not Tally); returns its Id. */
  addUser(firstName: string, lastName: string): string
  /** Inserts a record as an API create would (throws on validation errors); returns its Id. */
  insert(type: string, fields: WireObject): string
  /** A stored record (datetimes as epoch ms), or undefined. */
  get(type: string, id: string): Record<string, unknown> | undefined
  /** Every live record of a type. */
  list(type: string): Record<string, unknown>[]
  /** Replace the org's validation rules. */
  setValidationRules(rules: ValidationRule[]): void
  /** Queue transient faults for the next API requests, or change the random fault rate. */
  setFaults(faults: { faultRate?: number; next?: FaultKind[] }): void
  /** The API requests that changed records since the stats were reset, with the objects each changed. */
  writeRequests(): { operation: string; objects: string[] }[]
  /** API requests counted against the daily allocation so far. */
  apiUsage(): { used: number; max: number }
  /** Turn the SOQL planner's indexes on or off (the `queryIndexes` option) from now on. */
  setQueryIndexes(on: boolean): void
  /** REST and Bulk queries answered from indexes and by scanning, since start or reset. */
  queryPlans(): { indexed: number; scanned: number }
  schema: Schema
}

function buildSchema(metadataDir: string, withPackage: boolean): Schema {
  const pkg = withPackage ? readPackage(metadataDir) : { customObjects: [], standardObjectFields: new Map<string, FieldDef[]>() }
  const standard = [accountObject(), contactObject(), userObject(), ...setupObjects()]
  for (const obj of standard) obj.fields.push(...(pkg.standardObjectFields.get(obj.name) ?? []))
  const objects = new Map<string, ObjectDef>()
  for (const o of [...standard, ...pkg.customObjects]) objects.set(o.name, o)
  return { objects }
}

const setupObjects = (): ObjectDef[] => [permissionSetObject(), permissionSetAssignmentObject(), pushTopicObject()]

export function createSalesforceEmulator(options: SalesforceEmulatorOptions = {}): SalesforceEmulator {
  const validationRules: ValidationRule[] = [...(options.validationRules ?? [])]
  const resolved: ResolvedOptions = {
    clientId: options.clientId ?? 'sandbox-sf-client-id',
    clientSecret: options.clientSecret ?? 'sandbox-sf-client-secret',
    latencyMs: options.latencyMs ?? 0,
    faultRate: options.faultRate ?? 0,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
    dailyApiLimit: options.dailyApiLimit ?? 110_000,
    idLength: options.idLength ?? 15,
    trimText: options.trimText ?? true,
    now: options.now ?? (() => new Date()),
  }
  const seed = options.randomSeed ?? 1
  const metadataDir = options.metadataDir ?? DEFAULT_METADATA_DIR
  const withPackage = options.package ?? true
  const schema = buildSchema(metadataDir, withPackage)
  const metadataApi = newMetadataApiState()
  const store = new Store(schema)
  const orgId = to18('00DdM00000Tally')
  const state: SfState = {
    options: resolved,
    schema,
    store,
    ids: new IdFactory(seed),
    stats: new RequestStats(),
    random: seededRandom(seed),
    orgId,
    userId: '',
    username: 'integration@tally.sandbox',
    accessTokens: new Map(),
    refreshTokens: new Map(),
    authCodes: new Map(),
    cursors: new Map(),
    api: { max: resolved.dailyApiLimit, used: 0 },
    limits: defaultLimits(),
    faultQueue: [],
    bulk: newBulkState(),
    queryPlanning: { useIndexes: options.queryIndexes ?? true, indexed: 0, scanned: 0 },
    writeContext: (userId?: string) => ({
      store,
      ids: state.ids,
      now: resolved.now,
      userId: userId ?? state.userId,
      idLength: resolved.idLength,
      trimText: resolved.trimText,
      validationRules,
    }),
  }

  /** A user of the org, created by the integration user (who creates itself). */
  const putUser = (id: string, u: { FirstName: string; LastName: string; Username: string; Email: string; Alias: string }): void => {
    const now = resolved.now().getTime()
    store.put('User', {
      Id: id, IsDeleted: false, ...u, Name: `${u.FirstName} ${u.LastName}`, IsActive: true,
      CreatedDate: now, CreatedById: state.userId, LastModifiedDate: now, LastModifiedById: state.userId, SystemModstamp: now,
    })
  }

  const insert = (type: string, fields: WireObject): string => {
    const obj = store.object(type)
    if (!obj) throw new Error(`Unknown sObject type ${type}`)
    // Seed data may carry read-only fields (Id, CreatedDate…): write the rest, then apply them.
    const writable = Object.fromEntries(
      Object.entries(fields).filter(([k]) => {
        const f = findField(obj, k)
        return !f || f.createable
      }),
    )
    const result = createRecord(state.writeContext(), obj, writable)
    if (!result.success || !result.id) {
      throw new Error(`Cannot load ${type} ${JSON.stringify(fields).slice(0, 120)}: ${result.errors.map((e) => e.message).join('; ')}`)
    }
    const rec = store.get(obj.name, result.id) as Rec
    for (const name of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp']) {
      const v = fields[name]
      if (typeof v === 'string' && !Number.isNaN(Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')))) {
        rec[name] = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
      }
    }
    store.put(obj.name, rec)
    return result.id
  }

  const load = (): void => {
    // A reset also undoes deploys: the schema is the one the org started with.
    schema.objects.clear()
    for (const [k, v] of buildSchema(metadataDir, withPackage).objects) schema.objects.set(k, v)
    metadataApi.jobs.clear()
    metadataApi.others.clear()
    store.clear()
    state.ids = new IdFactory(seed)
    state.random = seededRandom(seed)
    state.cursors.clear()
    state.api = { max: resolved.dailyApiLimit, used: 0 }
    state.limits = defaultLimits()
    state.faultQueue = []
    state.bulk = newBulkState()
    state.queryPlanning.indexed = 0
    state.queryPlanning.scanned = 0
    state.userId = state.ids.next('005')
    putUser(state.userId, { FirstName: 'Integration', LastName: 'User', Username: state.username, Email: 'noreply@example.com', Alias: 'integ' })
    const accounts = options.data?.accounts ?? (options.data ? [] : SAMPLE_ACCOUNTS)
    for (const a of accounts) insert('Account', a)
    for (const q of options.data?.qboCustomers ?? []) insert('QBO_Customer__c', q)
    // (After the data, so that its record Ids stay what they were before setup objects existed.)
    // An org with the package installed has its permission sets, assigned to the integration user.
    if (withPackage) {
      for (const name of packagePermissionSets(metadataDir)) {
        const psId = insert('PermissionSet', { Name: name, Label: name.replace(/_/g, ' ') })
        insert('PermissionSetAssignment', { AssigneeId: state.userId, PermissionSetId: psId })
      }
    }
  }
  load()

  // Salesforce answers `/sobjects/Account/` as `/sobjects/Account` (the REST API Developer Guide
  // writes its resources with a trailing slash, e.g. `/services/data/vXX.X/limits/`, and recorded
  // clients' POSTs with one succeed), on every REST path: one router setting, so no route can
  // forget it.
  const app = new Hono({ strict: false })
  // Every answer carries the org's clock in `Date` (RFC 9110 §6.6.1, to the second), as
  // Salesforce's do: clients read when their writes ended from it, so it follows the emulated
  // clock, not the host's (Node would add the host's). A Composite subrequest's headers are not
  // the HTTP answer's: its `httpHeaders` carry only what the resource sets (Location).
  app.use(async (c, next) => {
    await next()
    if (!inSubrequest()) c.res.headers.set('Date', new Date(resolved.now()).toUTCString())
  })
  registerOAuth(app, state)
  registerSandbox(app, state, () => {
    streaming.reset()
    load()
    state.stats.reset()
    state.accessTokens.clear()
    state.refreshTokens.clear()
  }, (rules) => validationRules.splice(0, validationRules.length, ...rules))
  registerGuard(app, state)
  registerSObjects(app, state)
  registerComposite(app, state)
  registerCompositeRequest(app, state)
  registerQuery(app, state)
  registerBulk2(app, state, { ...DEFAULT_BULK_OPTIONS, ...options.bulk })
  registerMerge(app, state)
  registerMetadataApi(app, state, metadataApi)
  const streaming = registerStreaming(app, state, options.streaming)
  app.notFound((c) =>
    c.newResponse(JSON.stringify([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]), 404, {
      'Content-Type': 'application/json;charset=UTF-8',
    }),
  )

  return {
    app,
    stats: state.stats,
    orgId,
    get userId() {
      return state.userId
    },
    schema,
    reset: () => {
      streaming.reset()
      load()
      state.stats.reset()
    },
    issueAccessToken: (userId = state.userId) => issueTokens(state, 'http://127.0.0.1', userId, resolved.clientId, false).access_token as string,
    addUser(firstName, lastName) {
      const id = state.ids.next('005')
      const alias = `${firstName.slice(0, 1)}${lastName.slice(0, 4)}`.toLowerCase()
      putUser(id, { FirstName: firstName, LastName: lastName, Username: `${alias}.${id.slice(-4)}@example.com`, Email: `${alias}@example.com`, Alias: alias })
      return id
    },
    insert,
    get: (type, id) => {
      const obj = store.object(type)
      const full = normalizeId(id)
      const rec = obj && full ? store.get(obj.name, full) : undefined
      return rec ? { ...rec } : undefined
    },
    list: (type) => {
      const obj = store.object(type)
      return obj ? store.all(obj.name).filter((r) => !r.IsDeleted).map((r) => ({ ...r })) : []
    },
    setValidationRules: (rules) => {
      validationRules.splice(0, validationRules.length, ...rules)
    },
    setFaults: ({ faultRate, next }) => {
      if (faultRate !== undefined) resolved.faultRate = faultRate
      if (next) state.faultQueue.push(...next)
    },
    apiUsage: () => ({ used: state.api.used, max: state.api.max }),
    setQueryIndexes: (on) => {
      state.queryPlanning.useIndexes = on
    },
    queryPlans: () => ({ indexed: state.queryPlanning.indexed, scanned: state.queryPlanning.scanned }),
    releaseStreams: () => streaming.closeAll(),
    streamSubscriptions: () => [...streaming.clients.values()].map((c) => [...c.channels]),
    streamEvents: (channel) => (streaming.retained.get(channel) ?? []).map((e) => ({ type: e.data.event.type, replayId: e.data.event.replayId, sobject: { ...e.data.sobject } })),
    writeRequests: () => state.stats.writes.map((w) => ({ ...w, objects: [...w.objects] })),
  }
}

export async function startSalesforceEmulator(
  options: SalesforceEmulatorOptions & { port?: number } = {},
): Promise<{ url: string; close(): Promise<void>; emulator: SalesforceEmulator }> {
  const emulator = createSalesforceEmulator(options)
  const server = await listen(emulator.app, options.port ?? 0)
  return {
    url: server.url,
    close: () => {
      emulator.releaseStreams()
      return server.close()
    },
    emulator,
  }
}

/** A random secret-looking string, for callers that want unique client credentials. */
export const randomClientSecret = (): string => randomBytes(24).toString('hex')
