import { describe, expect, it } from 'vitest'
import { budgetPaused, companyPhrase, hubPage, reconnectQbo, reconnectSalesforce, recordsFailed, recoveredText, runFailed } from './problem.js'

const north = { realmId: '4620816365000000001', companyName: 'North Ltd' }

describe('alert sentences', () => {
  it('name the company by its name when Tally knows it, else by realm', () => {
    expect(companyPhrase(north)).toBe('QuickBooks company "North Ltd" (realm 4620816365000000001)')
    expect(companyPhrase({ realmId: '42', companyName: null })).toBe('QuickBooks company 42')
    // The placeholder label a headless connection starts with is no name.
    expect(companyPhrase({ realmId: '42', companyName: 'QuickBooks company 42' })).toBe('QuickBooks company 42')
  })

  it('say what happened and what to do', () => {
    expect(reconnectQbo(north, 'invalid_grant').text).toBe(
      'Reconnect QuickBooks company "North Ltd" (realm 4620816365000000001) on the Tally Hub\'s Connections page: its authorization was revoked or has expired (invalid_grant). This company is not synced until then.',
    )
    expect(reconnectSalesforce('invalid_grant')).toMatchObject({ kind: 'reconnect-salesforce', realmId: null, text: expect.stringMatching(/^Reconnect Salesforce on the Tally Hub's Connections page/) })
    expect(runFailed(north, 'No response from https://login.salesforce.com (ECONNREFUSED)').text).toMatch(/^The Tally run of QuickBooks company "North Ltd" .* failed: No response from https:\/\/login\.salesforce\.com \(ECONNREFUSED\)\. Nothing more/)
    expect(recordsFailed(north, 5, ['A: Email__c X', 'B: Name Y', 'C: Z']).text).toMatch(/^5 customers of .* could not be synced to Salesforce \(A: Email__c X; B: Name Y; C: Z; …\)\. Fix the data/)
    expect(recordsFailed(north, 1, ['A: X']).text).toMatch(/^1 customer of .*\(A: X\)\./)
  })

  it('gives the budget owner its sentence and recovery', () => {
    const p = budgetPaused({ used: 81_234, max: 100_000, budget: 0.8 })
    expect(p).toMatchObject({ kind: 'budget-paused', realmId: null })
    expect(p.text).toBe('Automatic syncs are paused: the Salesforce org has used 81,234 of its 100,000 daily API requests, past Tally\'s budget of 80% (TALLY_SF_API_BUDGET). They resume by themselves when the usage allows; Start Import in the Tally Hub still runs.')
    expect(recoveredText('budget-paused', { realmId: null })).toMatch(/^Recovered: automatic syncs resumed/)
    expect(hubPage('budget-paused')).toBe('#/sync')
    expect(hubPage('reconnect-qbo')).toBe('#/connections')
  })
})
