/**
 * Contract: the sandbox's Streaming API answers what jsforce 3.10.16's `conn.streaming` (Faye,
 * long-polling) sends — handshake, subscribe, connect — and delivers PushTopic events for changes
 * made through the REST API, filtered by the topic's SOQL and operation flags, in Salesforce's
 * event shape; an unknown topic is refused at subscribe; an invalid session reaches jsforce's
 * AuthFailure extension (advice `reconnect: none`); retained events replay with -2.
 */
import { Connection } from 'jsforce'
import { StreamingExtension } from 'jsforce/lib/api/streaming.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSalesforceEmulator } from '../../emulators/salesforce/index.js'

let server: Awaited<ReturnType<typeof startSalesforceEmulator>>
let conn: Connection
beforeAll(async () => {
  server = await startSalesforceEmulator({ data: { accounts: [] } })
  conn = new Connection({ instanceUrl: server.url, accessToken: server.emulator.issueAccessToken(), version: '62.0' })
  await conn.sobject('PushTopic').create({ Name: 'BigAccounts', Query: "SELECT Id, Name, Industry FROM Account WHERE Industry = 'Banking'", ApiVersion: 62.0, NotifyForOperationUpdate: true, NotifyForOperationCreate: true })
})
afterAll(() => server.close())

/** Faye's client: jsforce's type leaves out disconnect(). */
const disconnect = (client: unknown) => (client as { disconnect(): void }).disconnect()

const next = <T>(arr: T[], n: number) =>
  new Promise<T[]>((resolve, reject) => {
    const deadline = Date.now() + 20_000
    const check = () => (arr.length >= n ? resolve(arr.slice(0, n)) : Date.now() > deadline ? reject(new Error(`only ${arr.length} events`)) : setTimeout(check, 20))
    check()
  })

describe('Streaming API (PushTopic)', () => {
  it('delivers created and updated events for records that match the topic, and nothing for others', async () => {
    const got: { event: { type: string; replayId: number; createdDate: string }; sobject: Record<string, unknown> }[] = []
    const sub = conn.streaming.topic('BigAccounts').subscribe((m) => void got.push(m as never))
    await new Promise<void>((ok, ko) => (sub as unknown as { then(a: () => void, b: (e: unknown) => void): void }).then(ok, ko))
    await conn.sobject('Account').create({ Name: 'Not a bank', Industry: 'Retail' })
    const bank = await conn.sobject('Account').create({ Name: 'First Bank', Industry: 'Banking' })
    await conn.sobject('Account').update({ Id: bank.id as string, Name: 'First Bank plc' })
    const [created, updated] = await next(got, 2)
    expect(created).toMatchObject({ event: { type: 'created', replayId: 1 }, sobject: { Id: bank.id, Name: 'First Bank', Industry: 'Banking' } })
    expect(created?.event.createdDate).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(updated).toMatchObject({ event: { type: 'updated', replayId: 2 }, sobject: { Id: bank.id, Name: 'First Bank plc' } })
    expect(Object.keys(created?.sobject ?? {}).sort()).toEqual(['Id', 'Industry', 'Name'])
    sub.cancel()
  })

  it('replays retained events from -2 with the Replay extension', async () => {
    const client = conn.streaming.createClient([new StreamingExtension.Replay('/topic/BigAccounts', -2)])
    const got: { event: { replayId: number } }[] = []
    const sub = client.subscribe('/topic/BigAccounts', (m: unknown) => void got.push(m as never))
    const events = await next(got, 2)
    expect(events.map((e) => e.event.replayId)).toEqual([1, 2])
    sub.cancel()
    disconnect(client)
  })

  it('refuses a subscription to a topic that does not exist', async () => {
    const client = conn.streaming.createClient([])
    const sub = client.subscribe('/topic/Nope', () => {})
    const err = await new Promise<unknown>((ok) => (sub as unknown as { then(a: () => void, b: (e: unknown) => void): void }).then(() => ok(null), ok))
    expect(String((err as { message?: string })?.message ?? err)).toContain('The channel you requested to subscribe to does not exist {/topic/Nope}')
    disconnect(client)
  })

  it('tells jsforce\'s AuthFailure extension when the session is invalid', async () => {
    const bad = new Connection({ instanceUrl: server.url, accessToken: 'expired', version: '62.0' })
    const failure = await new Promise<{ error?: string }>((ok) => {
      const client = bad.streaming.createClient([new StreamingExtension.AuthFailure((m: unknown) => { ok(m as { error?: string }); disconnect(client) })])
      client.subscribe('/topic/BigAccounts', () => {})
    })
    expect(failure.error).toBe('401::Authentication invalid')
  })
})
