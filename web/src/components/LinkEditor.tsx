/**
 * @module web/components/LinkEditor
 * The Account lookup with "Update" and "Cancel", used by the link queue and in place in the
 * QBO Customers table. "Update" writes the link in Salesforce at once (it becomes Manual).
 */
import { useState } from 'react'
import type { CustomerRow, PutCustomerAccount } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { AccountLookup, type AccountOption } from './AccountLookup.js'
import { useToast } from './Toasts.js'

export function LinkEditor(props: { row: CustomerRow; onSaved: (row: CustomerRow) => void; onCancel: () => void }) {
  const { row } = props
  const [value, setValue] = useState<AccountOption | null>(row.accountId ? { id: row.accountId, name: row.accountName ?? row.accountId } : null)
  const [error, setError] = useState<string | null>(null)
  const notify = useToast()
  const [saving, setSaving] = useState(false)

  const update = async () => {
    if (!value) {
      setError('Pick an Account from the list first.')
      return
    }
    setSaving(true)
    setError(null)
    try {
      const saved = await api<PutCustomerAccount>('PUT', '/api/customers/:key/account', { params: { key: row.key }, body: { accountId: value.id, accountName: value.name } })
      notify('success', `${saved.displayName} is linked to ${saved.accountName ?? 'the Account'}.`)
      props.onSaved(saved)
    } catch (e) {
      setError(errorText(e))
      setSaving(false)
    }
  }

  return (
    <div className="hub-link-editor">
      <AccountLookup value={value} onChange={(a) => { setValue(a); setError(null) }} candidates={row.candidates ?? []} onSubmit={update} onCancel={props.onCancel} autoFocus />
      <div className="hub-link-editor-actions">
        <button className="slds-button slds-button_brand" onClick={update} disabled={saving}>Update</button>
        <button className="slds-button slds-button_neutral" onClick={props.onCancel} disabled={saving}>Cancel</button>
      </div>
      {error ? <div className="slds-form-element__help slds-text-color_error" role="alert">{error}</div> : null}
    </div>
  )
}
