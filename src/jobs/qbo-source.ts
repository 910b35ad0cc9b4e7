/**
 * @module jobs/qbo-source
 * The CustomerSource port over the QBO client: QBO's wire shape (PascalCase) becomes the
 * engine's SourceCustomer here, so vendor casing never reaches src/sync.
 */
import { QboCdcTruncatedError, type QboClient, type QboCustomer } from '../qbo/index.js'
import type { SourceAddress, SourceCustomer } from '../sync/model.js'
import type { CustomerSource } from '../sync/ports.js'
import { StringPool } from '../lib/string-pool.js'

type WireAddress = NonNullable<QboCustomer['BillAddr']>

function address(a: WireAddress | undefined): SourceAddress | undefined {
  if (!a) return undefined
  // Copied to its length: a filter's array keeps room to grow (some 120 bytes an address, and an
  // import holds 200,000 of them for the whole run).
  const lines = [a.Line1, a.Line2, a.Line3, a.Line4, a.Line5].map((l) => l?.trim()).filter((l): l is string => !!l).slice()
  const out: SourceAddress = { lines }
  if (a.City) out.city = a.City
  if (a.CountrySubDivisionCode) out.state = a.CountrySubDivisionCode
  if (a.PostalCode) out.postalCode = a.PostalCode
  if (a.Country) out.country = a.Country
  return lines.length === 0 && Object.keys(out).length === 1 ? undefined : out
}

const set = <K extends keyof SourceCustomer>(o: SourceCustomer, k: K, v: SourceCustomer[K] | undefined) => {
  if (v !== undefined && v !== '') o[k] = v
}

/** The same address (a shipping address is most often the billing one). */
function sameAddress(a: SourceAddress, b: SourceAddress): boolean {
  return a.city === b.city && a.state === b.state && a.postalCode === b.postalCode && a.country === b.country && a.lines.length === b.lines.length && a.lines.every((l, i) => l === b.lines[i])
}

/** QBO Customer (wire) → SourceCustomer. `pool`: for a read of every customer, which the run holds
 * whole: their repeated values kept once (lib/string-pool). */
export function toSourceCustomer(w: QboCustomer, realmId: string, companyName?: string | null, pool?: StringPool): SourceCustomer {
  const c: SourceCustomer = {
    realmId,
    ...(companyName ? { qboCompanyName: companyName } : {}),
    qboId: w.Id,
    displayName: w.DisplayName,
    isSubCustomer: w.Job === true,
    level: w.Level ?? 0,
    billWithParent: w.BillWithParent === true,
    taxable: w.Taxable === true,
    isProject: w.IsProject === true,
    // QBO omits Active only on very old payloads; a customer is active unless it says otherwise.
    active: w.Active !== false,
    syncToken: w.SyncToken,
  }
  set(c, 'title', w.Title)
  set(c, 'givenName', w.GivenName)
  set(c, 'middleName', w.MiddleName)
  set(c, 'familyName', w.FamilyName)
  set(c, 'suffix', w.Suffix)
  set(c, 'companyName', w.CompanyName)
  set(c, 'printOnCheckName', w.PrintOnCheckName)
  set(c, 'email', w.PrimaryEmailAddr?.Address)
  set(c, 'phone', w.PrimaryPhone?.FreeFormNumber)
  set(c, 'mobile', w.Mobile?.FreeFormNumber)
  set(c, 'fax', w.Fax?.FreeFormNumber)
  set(c, 'otherPhone', w.AlternatePhone?.FreeFormNumber)
  set(c, 'website', w.WebAddr?.URI)
  set(c, 'billing', address(w.BillAddr))
  set(c, 'shipping', address(w.ShipAddr))
  // AcctNum is defined on Customer in Intuit's XSD but not documented for it (api-facts A.1);
  // take it when QBO sends it.
  set(c, 'accountNumber', typeof w['AcctNum'] === 'string' ? (w['AcctNum'] as string) : undefined)
  set(c, 'notes', w.Notes)
  set(c, 'parentQboId', w.Job ? w.ParentRef?.value : undefined)
  set(c, 'fullyQualifiedName', w.FullyQualifiedName)
  set(c, 'deliveryMethod', w.PreferredDeliveryMethod)
  set(c, 'balance', w.Balance)
  set(c, 'currency', w.CurrencyRef?.value)
  set(c, 'createdAt', w.MetaData?.CreateTime)
  set(c, 'updatedAt', w.MetaData?.LastUpdatedTime)
  // A copy: properties added by computed key put an object in V8's dictionary mode past a dozen,
  // and an import holds every customer for the whole run (README, "Memory").
  const out = { ...c }
  if (!pool) return out
  if (out.billing) pool.dedupe(out.billing)
  // Read only, like every SourceCustomer: one object for both serves both.
  if (out.shipping) out.shipping = out.billing && sameAddress(out.billing, out.shipping) ? out.billing : pool.dedupe(out.shipping)
  return pool.dedupe(out)
}

/** `companyName`: the company's name as the connection knows it (CompanyInfo), for `QBO_Company__c`. */
export function qboCustomerSource(client: QboClient, realmId: string, companyName?: string | null): CustomerSource {
  return {
    realmId,
    async *listAllCustomers() {
      const pool = new StringPool()
      for await (const page of client.listCustomers({ includeInactive: true, pageSize: 1000 })) {
        yield page.map((w) => toSourceCustomer(w, realmId, companyName, pool))
      }
    },
    async listChangedCustomers(since) {
      let r: Awaited<ReturnType<QboClient['changedCustomers']>>
      try {
        r = await client.changedCustomers(since)
      } catch (e) {
        // CDC's answer held its maximum of 1,000 objects: changes past the cap are dropped
        // without a word (api-facts A.3), so only a full read is complete.
        if (e instanceof QboCdcTruncatedError) return null
        throw e
      }
      return { customers: r.customers.map((w) => toSourceCustomer(w, realmId, companyName)), deletedIds: r.deletedIds }
    },
    apiCalls: () => client.stats().apiCalls + client.stats().oauthCalls,
  }
}
