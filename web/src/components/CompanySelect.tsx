/**
 * @module web/components/CompanySelect
 * The company filter of contract §8/§9: "a company filter wherever customers or runs are listed".
 * A `<select>` labelled "Company" over every connected QuickBooks company, with "All companies"
 * when the page can show them together. Shown only when there are several companies, so a
 * single-company Hub looks as it always did.
 */
import { useEffect, useState } from 'react'
import type { ConnectionView, GetConnections } from '../../../src/hub/api-types.js'
import { api } from '../api.js'

export interface Company {
  realmId: string
  label: string
}

/** The QuickBooks companies the Hub knows, the first connected first. */
export function useCompanies(): Company[] | null {
  const [companies, setCompanies] = useState<Company[] | null>(null)
  useEffect(() => {
    api<GetConnections>('GET', '/api/connections')
      .then((r) => setCompanies(companiesOf(r.connections)))
      .catch(() => setCompanies([]))
  }, [])
  return companies
}

export function companiesOf(list: ConnectionView[]): Company[] {
  return list
    .filter((c) => c.provider === 'qbo' && c.realmId)
    .map((c) => ({ realmId: c.realmId as string, label: c.label ?? `QuickBooks company ${c.realmId as string}` }))
}

export function CompanySelect(props: { companies: Company[] | null; value: string; onChange: (realmId: string) => void; allowAll?: boolean }) {
  if (!props.companies || props.companies.length < 2) return null
  return (
    <div className="slds-form-element hub-company-select">
      <label className="slds-form-element__label" htmlFor="company-filter">Company</label>
      <div className="slds-form-element__control">
        <div className="slds-select_container">
          <select id="company-filter" className="slds-select" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
            {props.allowAll !== false ? <option value="">All companies</option> : null}
            {props.companies.map((c) => (
              <option key={c.realmId} value={c.realmId}>{`${c.label} (${c.realmId})`}</option>
            ))}
          </select>
        </div>
      </div>
    </div>
  )
}
