/**
 * @module web/pages/SyncSettings
 * The "Sync Settings" section: which QBO fields are written to Salesforce. "Update" opens the
 * field choices, grouped as in the product description; "Save" stores them, "Cancel" drops them.
 */
import { useCallback, useEffect, useState } from 'react'
import type { FieldGroupView, GetSettings, GetSettingsFields, PutSettings } from '../../../src/hub/api-types.js'
import { api, errorText } from '../api.js'
import { Modal } from '../components/Modal.js'
import { ErrorAlert, Spinner } from '../components/States.js'
import { useToast } from '../components/Toasts.js'

/** `realmId`: the company whose settings (contract §9: per company); default the first. */
export function SyncSettingsSection(props: { realmId?: string } = {}) {
  const [groups, setGroups] = useState<FieldGroupView[] | null>(null)
  const [enabled, setEnabled] = useState<string[] | null>(null)
  const [editing, setEditing] = useState<Set<string> | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const notify = useToast()

  const load = useCallback(() => {
    setError(null)
    Promise.all([api<GetSettingsFields>('GET', '/api/settings/fields'), api<GetSettings>('GET', '/api/settings', { query: props.realmId ? { realmId: props.realmId } : {} })])
      .then(([f, s]) => {
        setGroups(f.groups)
        setEnabled(s.enabledFields)
      })
      .catch((e: unknown) => setError(errorText(e)))
  }, [props.realmId])
  useEffect(load, [load])

  const all = groups?.flatMap((g) => g.fields) ?? []
  const on = new Set(enabled ?? [])
  const groupsOn = groups?.filter((g) => g.fields.some((f) => on.has(f.name))).map((g) => g.label.toLowerCase()) ?? []

  const save = async () => {
    if (!editing) return
    setSaving(true)
    try {
      const s = await api<PutSettings>('PUT', '/api/settings', { body: { enabledFields: [...editing] }, query: props.realmId ? { realmId: props.realmId } : {} })
      setEnabled(s.enabledFields)
      setEditing(null)
      notify('success', 'Sync settings saved. The next import writes the fields you chose.')
    } catch (e) {
      notify('error', errorText(e))
    } finally {
      setSaving(false)
    }
  }

  const toggle = (names: string[], value: boolean) => {
    setEditing((prev) => {
      const next = new Set(prev)
      for (const n of names) if (value) next.add(n); else next.delete(n)
      return next
    })
  }

  return (
    <section className="slds-card hub-card" aria-labelledby="settings-title">
      <div className="slds-card__header slds-grid">
        <header className="slds-media slds-media_center slds-has-flexi-truncate">
          <div className="slds-media__body">
            <h2 className="slds-card__header-title" id="settings-title">Sync Settings</h2>
          </div>
        </header>
        <div className="slds-no-flex">
          <button className="slds-button slds-button_neutral" disabled={!groups || !enabled} onClick={() => setEditing(new Set(enabled ?? []))}>
            Update
          </button>
        </div>
      </div>
      <div className="slds-card__body slds-card__body_inner">
        {error ? <ErrorAlert message={error} onRetry={load} /> : null}
        {!groups && !error ? <Spinner /> : null}
        {groups && enabled ? (
          <p>
            {on.size === all.length ? 'All' : `${[...on].filter((n) => all.some((f) => f.name === n)).length} of ${all.length}`} optional
            fields sync{groupsOn.length > 0 ? `: ${groupsOn.join(', ')}` : ''}. Names, active status and the Account link always sync.
          </p>
        ) : null}
      </div>
      {editing && groups ? (
        <Modal
          title="Sync Settings"
          size="medium"
          onClose={() => setEditing(null)}
          onSubmit={save}
          footer={
            <>
              <button className="slds-button slds-button_neutral" onClick={() => setEditing(null)}>Cancel</button>
              <button className="slds-button slds-button_brand" onClick={save} disabled={saving}>Save</button>
            </>
          }
        >
          <p className="slds-m-bottom_medium">Choose the QuickBooks data to write to the QBO Customer records in Salesforce. A field you switch off keeps its last value in Salesforce.</p>
          <div className="hub-field-groups">
            {groups.map((g) => {
              const names = g.fields.map((f) => f.name)
              const count = names.filter((n) => editing.has(n)).length
              return (
                <fieldset key={g.id} className="slds-form-element hub-field-group">
                  <legend className="slds-form-element__legend slds-form-element__label hub-group-legend">
                    {g.label}
                  </legend>
                  {names.length > 1 ? (
                    <button type="button" className="slds-button hub-group-all" aria-label={`${count === names.length ? 'Clear' : 'Select'} all ${g.label}`} onClick={() => toggle(names, count !== names.length)}>
                      {count === names.length ? 'Clear all' : 'Select all'}
                    </button>
                  ) : null}
                  <div className="slds-form-element__control">
                    {g.fields.map((f) => (
                      <div key={f.name} className="slds-checkbox">
                        <input type="checkbox" id={`field-${f.name}`} checked={editing.has(f.name)} onChange={(e) => toggle([f.name], e.target.checked)} />
                        <label className="slds-checkbox__label" htmlFor={`field-${f.name}`}>
                          <span className="slds-checkbox_faux" />
                          <span className="slds-form-element__label">{f.label}</span>
                        </label>
                      </div>
                    ))}
                  </div>
                </fieldset>
              )
            })}
          </div>
        </Modal>
      ) : null}
    </section>
  )
}
