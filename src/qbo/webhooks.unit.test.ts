import { describe, expect, it } from 'vitest'
import { parseWebhook, verifyWebhookSignature } from './webhooks.js'

// The real test vector of Intuit's .NET SDK (api-facts A.4): this exact body, this verifier.
const BODY =
  '{"eventNotifications":[{"realmId":"1269959970","dataChangeEvent":{"entities":[{"name":"Vendor","id":"40","operation":"Update","lastUpdated":"2016-10-05T03:09:04.000Z"},{"name":"Customer","id":"43","operation":"Create","lastUpdated":"2016-10-05T03:07:04.000Z"}]}}]}'
const VERIFIER = '00faeec4-08d0-4996-bb37-698ae19f0149'
const SIGNATURE = '6q+xGyMirJupwKTh2/WBl2NcdxzxqdIbk3sneKTxLWM='

describe('QBO webhooks', () => {
  it('verifies Intuit\'s signature and refuses a changed body or key', () => {
    expect(verifyWebhookSignature(BODY, SIGNATURE, VERIFIER)).toBe(true)
    expect(verifyWebhookSignature(BODY.replace('43', '44'), SIGNATURE, VERIFIER)).toBe(false)
    expect(verifyWebhookSignature(BODY, SIGNATURE, 'another-verifier')).toBe(false)
    expect(verifyWebhookSignature(BODY, undefined, VERIFIER)).toBe(false)
  })

  it('reads both formats', () => {
    const legacy = parseWebhook(JSON.parse(BODY))
    expect(legacy).toEqual([
      { realmId: '1269959970', entity: 'vendor', id: '40', operation: 'update', notificationId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), changedAt: new Date('2016-10-05T03:09:04.000Z') },
      { realmId: '1269959970', entity: 'customer', id: '43', operation: 'create', notificationId: legacy[0]!.notificationId, changedAt: new Date('2016-10-05T03:07:04.000Z') },
    ])
    expect(parseWebhook([{ specversion: '1.0', id: 'e-1', type: 'qbo.customer.updated.v1', intuitentityid: '7', intuitaccountid: '310687', data: {} }])).toEqual([
      { realmId: '310687', entity: 'customer', id: '7', operation: 'updated', notificationId: 'e-1' },
    ])
    // A CloudEvent's `time` is when the change was made.
    expect(parseWebhook([{ specversion: '1.0', id: 'e-2', type: 'qbo.customer.created.v1', time: '2026-12-02T10:00:00Z', intuitentityid: '8', intuitaccountid: '310687' }])[0]?.changedAt).toEqual(new Date('2026-12-02T10:00:00Z'))
    expect(parseWebhook({ nothing: true })).toEqual([])
  })

  it('names a legacy notification by its content: the same delivery twice, not another change', () => {
    const id = (lastUpdated: string) =>
      parseWebhook({ eventNotifications: [{ realmId: '1', dataChangeEvent: { entities: [{ name: 'Customer', id: '43', operation: 'Update', lastUpdated }] } }] })[0]!.notificationId
    expect(id('2016-10-05T03:07:04.000Z')).toBe(id('2016-10-05T03:07:04.000Z'))
    expect(id('2016-10-05T03:07:04.000Z')).not.toBe(id('2016-10-05T03:08:00.000Z'))
  })
})
