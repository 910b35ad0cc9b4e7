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
    expect(parseWebhook(JSON.parse(BODY))).toEqual([
      { realmId: '1269959970', entity: 'vendor', id: '40', operation: 'update' },
      { realmId: '1269959970', entity: 'customer', id: '43', operation: 'create' },
    ])
    expect(parseWebhook([{ specversion: '1.0', type: 'qbo.customer.updated.v1', intuitentityid: '7', intuitaccountid: '310687', data: {} }])).toEqual([
      { realmId: '310687', entity: 'customer', id: '7', operation: 'updated' },
    ])
    expect(parseWebhook({ nothing: true })).toEqual([])
  })
})
