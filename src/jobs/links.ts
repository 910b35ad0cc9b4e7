/**
 * @module jobs/links
 * A person's link changes (contract §10), for the Hub and `tally links` alike: link by hand,
 * accept a suggestion (one, or all at or above a score), Ignore and back, and Undo — each written
 * to Salesforce at once, remembered as written (so the next run leaves it), shown in the Hub's copy,
 * and recorded in the link history with who did it and why.
 */
import { NotFoundError, type AcceptedLink } from '../hub/services.js'
import type { SalesforceClient } from '../salesforce/index.js'
import { COLLECTION_CHUNK, getQboCustomerRecord, listQboCustomerRecordsByStatus, soql } from '../salesforce/index.js'
import {
  appendLinkHistory,
  getCustomerView,
  getLinkHistoryEntry,
  listCustomerViewsByStatus,
  listLinkHistory,
  saveRecordStates,
  setCustomerViewLink,
  setCustomerViewSuggestions,
  type CustomerView,
  type LinkHistoryEntry,
  type LinkHistoryFilter,
  type StoredLinkStatus,
} from '../store/index.js'
import { SUGGESTION_FIELDS } from '../sync/fields.js'
import { suggestionFields } from '../sync/link.js'
import { sameValue } from '../sync/map.js'
import type { FieldValue, SourceCustomer } from '../sync/model.js'
import { customerFromRecord, SUGGESTION_SOURCE_FIELDS } from '../sync/record-customer.js'
import { suggestionProfiles } from '../sync/run.js'
import { buildSuggestionIndex, CONFIDENT_SCORE, suggestAccounts, type Suggestion } from '../sync/suggest.js'
import { salesforceTarget } from './salesforce-target.js'
import type { Tally } from './tally.js'

/** The statuses of the link queue (contract §10 `tally links list`'s default). */
export const QUEUE_STATUSES = ['Unmapped', 'Ambiguous'] as const

export interface LinkChange {
  /** The Account to link to, or null for none. */
  accountId: string | null
  /** Its Name when the caller knows it (saves a query). */
  accountName?: string | null
  status: StoredLinkStatus
  who: string
  reason: string
  /** This change undoes that history entry. */
  undoOf?: string
}


export interface SuggestedRecord {
  qboKey: string
  qboId: string
  displayName: string
  status: string
  suggestions: Suggestion[]
}

export interface LinkService {
  /** The one way a person's link reaches Salesforce. Throws `NotFoundError`. */
  change(key: string, c: LinkChange): Promise<CustomerView>
  acceptSuggestion(key: string, accountId: string, who: string): Promise<CustomerView>
  acceptAll(o: { minScore?: number; dryRun: boolean; realmId?: string; who: string }): Promise<AcceptedLink[]>
  ignore(key: string, who: string): Promise<CustomerView>
  unignore(key: string, who: string): Promise<CustomerView>
  list(statuses: readonly string[], realmId?: string): Promise<CustomerView[]>
  /** Recomputes the suggestions of every Unmapped and Ambiguous record now, from the records and
   * Accounts in Salesforce (no QuickBooks call), and writes the best onto each record whose best
   * changed. */
  suggest(realmId?: string): Promise<{ records: SuggestedRecord[]; salesforceCalls: number }>
  history(f: LinkHistoryFilter): Promise<{ total: number; items: LinkHistoryEntry[] }>
  undo(id: string, who: string): Promise<LinkHistoryEntry>
}

export function createLinkService(t: Tally, sf: () => Promise<SalesforceClient>): LinkService {
  const { db } = t.store

  async function change(key: string, c: LinkChange): Promise<CustomerView> {
    const view = await getCustomerView(db, key)
    if (!view) throw new NotFoundError(`No QBO Customer record with key ${key}; run an import first.`)
    const client = await sf()
    // The record's Id as Salesforce has it now (a record may have been re-created since).
    const rec = view.salesforceId ? { Id: view.salesforceId } : await getQboCustomerRecord(client, key)
    if (!rec) throw new NotFoundError(`The QBO Customer record ${key} is not in Salesforce; run an import first.`)
    const recordId = String(rec['Id'])
    // The Hub's lookup already showed the Account's name; only a caller that did not give it
    // costs a query. An Id Salesforce does not know is refused by the PATCH itself.
    let accountName = c.accountId ? (c.accountName ?? null) : null
    if (c.accountId && accountName === null) {
      const found = await client.query<{ Id: string; Name: string }>(soql`SELECT Id, Name FROM Account WHERE Id = ${c.accountId} LIMIT 1`)
      if (found.length === 0) throw new NotFoundError(`No Account with Id ${c.accountId}.`)
      accountName = found[0]?.Name ?? null
    }
    // One PATCH: the link, and the record's suggestion cleared once a person decided (contract §4:
    // "cleared when the record is linked"; an Ignored record is never suggested).
    const fields: Record<string, unknown> = { Account__c: c.accountId, Link_Status__c: c.status }
    const keepsSuggestion = c.status === 'Unmapped' || c.status === 'Ambiguous'
    if (!keepsSuggestion) for (const f of SUGGESTION_FIELDS) fields[f] = null
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_update_fields.htm
    await client.patchRecord('QBO_Customer__c', recordId, fields)
    // Tally now remembers this link as written: a Manual or Ignored status keeps it; Unmapped (an
    // Ignore taken back) lets the next run link it by the rules.
    await saveRecordStates(db, [{ key, salesforceId: recordId, accountWritten: c.accountId, linkStatus: c.status }])
    await setCustomerViewLink(db, key, { accountId: c.accountId, accountName, linkStatus: c.status })
    await appendLinkHistory(db, [
      {
        who: c.who,
        realmId: view.realmId,
        qboKey: key,
        qboId: view.qboId,
        displayName: view.displayName,
        fromAccountId: view.accountId,
        fromAccountName: view.accountName,
        toAccountId: c.accountId,
        toAccountName: accountName,
        fromStatus: view.linkStatus,
        toStatus: c.status,
        reason: c.reason,
        ...(c.undoOf ? { undoOf: c.undoOf } : {}),
      },
    ])
    return { ...view, salesforceId: recordId, accountId: c.accountId, accountName, linkStatus: c.status, ...(keepsSuggestion ? {} : { suggestions: null }) }
  }

  const describe = (s: { accountName: string; score: number; reasons: string[] }) =>
    `accepted the suggestion "${s.accountName}" (score ${s.score}: ${s.reasons.join('; ')})`

  return {
    change,
    async acceptSuggestion(key, accountId, who) {
      const view = await getCustomerView(db, key)
      if (!view) throw new NotFoundError(`No QBO Customer record with key ${key}; run an import first.`)
      const s = view.suggestions?.find((x) => x.accountId === accountId)
      if (!s) throw new NotFoundError(`The Account ${accountId} is not among the suggestions of ${view.displayName} (${key}).`)
      return change(key, { accountId, accountName: s.accountName, status: 'Manual', who, reason: describe(s) })
    },
    async acceptAll(o) {
      const min = o.minScore ?? CONFIDENT_SCORE
      const chosen: { link: AcceptedLink; best: Suggestion }[] = []
      for (const v of await listCustomerViewsByStatus(db, QUEUE_STATUSES, o.realmId)) {
        const best = v.suggestions?.[0]
        if (best && best.score >= min) {
          chosen.push({ best, link: { key: v.key, qboId: v.qboId, displayName: v.displayName, accountId: best.accountId, accountName: best.accountName, score: best.score } })
        }
      }
      if (!o.dryRun) {
        for (const { link, best } of chosen) {
          await change(link.key, { accountId: link.accountId, accountName: link.accountName, status: 'Manual', who: o.who, reason: `${describe(best)}, with all at ${min} or above` })
        }
      }
      return chosen.map((c) => c.link)
    },
    ignore: (key, who) => change(key, { accountId: null, status: 'Ignored', who, reason: 'ignored: this customer has no Account here' }),
    unignore: (key, who) => change(key, { accountId: null, status: 'Unmapped', who, reason: 'no longer ignored: the next run links it by the rules' }),
    list: (statuses, realmId) => listCustomerViewsByStatus(db, statuses, realmId),
    async suggest(realmId) {
      const client = await sf()
      const before = client.apiCalls()
      const target = salesforceTarget(client)
      const realms = realmId ? [realmId] : [...new Set((await listCustomerViewsByStatus(db, QUEUE_STATUSES)).map((v) => v.realmId))]
      const out: SuggestedRecord[] = []
      for (const realm of realms) {
        const rows = await listQboCustomerRecordsByStatus(client, realm, QUEUE_STATUSES, [...SUGGESTION_SOURCE_FIELDS, ...SUGGESTION_FIELDS])
        if (rows.length === 0) continue
        const customers = rows.map(customerFromRecord)
        const index = buildSuggestionIndex(await suggestionProfiles(target, customers))
        const changed: { QBO_Key__c: string; [k: string]: unknown }[] = []
        const views: { key: string; suggestions: Suggestion[] }[] = []
        rows.forEach((r, i) => {
          const suggestions = suggestAccounts(customers[i] as SourceCustomer, index)
          const key = String(r['QBO_Key__c'])
          const want = suggestionFields(suggestions[0])
          if (Object.entries(want).some(([k, v]) => !sameValue(v, (r[k] ?? null) as FieldValue))) changed.push({ QBO_Key__c: key, ...want })
          views.push({ key, suggestions })
          out.push({ qboKey: key, qboId: String(r['QBO_Id__c']), displayName: String(r['Display_Name__c'] ?? ''), status: String(r['Link_Status__c']), suggestions })
        })
        // sObject Collections upsert on the key, 200 a call: only the three suggestion fields.
        for (let i = 0; i < changed.length; i += COLLECTION_CHUNK) await client.upsert('QBO_Customer__c', 'QBO_Key__c', changed.slice(i, i + COLLECTION_CHUNK))
        await setCustomerViewSuggestions(db, views)
      }
      return { records: out, salesforceCalls: client.apiCalls() - before }
    },
    history: (f) => listLinkHistory(db, f),
    async undo(id, who) {
      const entry = await getLinkHistoryEntry(db, id)
      if (!entry) throw new NotFoundError(`No link history entry ${id}.`)
      await change(entry.qboKey, {
        accountId: entry.fromAccountId,
        accountName: entry.fromAccountName,
        status: 'Manual',
        who,
        reason: `undid the change of ${entry.at} by ${entry.who}`,
        undoOf: entry.id,
      })
      const page = await listLinkHistory(db, { qboKey: entry.qboKey, page: 1, pageSize: 1 })
      return page.items[0] as LinkHistoryEntry
    },
  }
}
