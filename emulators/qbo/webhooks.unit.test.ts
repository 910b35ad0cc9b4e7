/** @module emulators/qbo/webhooks.unit.test — the signer against Intuit's own test vector. */
import { describe, expect, it } from 'vitest'
import { signWebhookBody, webhookBody } from './webhooks.js'

describe('webhook signatures', () => {
  it('reproduces the .NET SDK WebhooksServiceTest vector (api-facts A.4)', () => {
    // Body bytes exactly as in intuit/QuickBooks-V3-DotNET-SDK WebhooksServiceTest.cs.
    const body = '{"eventNotifications":[{"realmId":"1269959970","dataChangeEvent":{"entities":[' +
      '{"name":"Vendor","id":"40","operation":"Update","lastUpdated":"2016-10-05T03:09:04.000Z"},' +
      '{"name":"Customer","id":"43","operation":"Create","lastUpdated":"2016-10-05T03:07:04.000Z"}]}}]}'
    expect(signWebhookBody('00faeec4-08d0-4996-bb37-698ae19f0149', body)).toBe('6q+xGyMirJupwKTh2/WBl2NcdxzxqdIbk3sneKTxLWM=')
    expect(signWebhookBody('another-verifier', body)).not.toBe('6q+xGyMirJupwKTh2/WBl2NcdxzxqdIbk3sneKTxLWM=')
  })

  it('builds the legacy body byte-for-byte like the SDK sample', () => {
    const body = webhookBody('legacy', [
      { realmId: '1269959970', entity: 'Vendor', id: '40', operation: 'updated', timeMs: Date.parse('2016-10-05T03:09:04.000Z') },
      { realmId: '1269959970', entity: 'Customer', id: '43', operation: 'created', timeMs: Date.parse('2016-10-05T03:07:04.000Z') },
    ])
    expect(signWebhookBody('00faeec4-08d0-4996-bb37-698ae19f0149', body)).toBe('6q+xGyMirJupwKTh2/WBl2NcdxzxqdIbk3sneKTxLWM=')
  })

  it('builds CloudEvents arrays', () => {
    const [event] = JSON.parse(webhookBody('cloudevents', [
      { realmId: '9341452631925553', entity: 'Customer', id: '7', operation: 'deleted', timeMs: 0 },
    ])) as Record<string, string>[]
    expect(event).toMatchObject({ specversion: '1.0', type: 'qbo.customer.deleted.v1', intuitentityid: '7', intuitaccountid: '9341452631925553' })
    expect(event?.id).toMatch(/^[0-9a-f-]{36}$/)
  })
})
