import { LightningElement, api } from 'lwc';

/**
 * Stand-in for lightning-record-picker: an SLDS lookup that searches the harness's Accounts
 * (window.__harness.accounts) as the real one searches the org, and fires `change` with
 * `detail.recordId` when one is picked.
 */
export default class RecordPicker extends LightningElement {
    @api label;
    @api objectApiName;
    @api placeholder;
    text = '';
    open = false;
    get matches() {
        const q = this.text.toLowerCase();
        return (window.__harness?.accounts ?? []).filter((a) => a.name.toLowerCase().includes(q)).slice(0, 5);
    }
    get comboClass() {
        return `slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click${this.open ? ' slds-is-open' : ''}`;
    }
    get expanded() {
        return this.open ? 'true' : 'false';
    }
    handleInput(event) {
        this.text = event.target.value;
        this.open = this.text.length > 0;
    }
    pick(event) {
        const id = event.currentTarget.dataset.id;
        this.text = this.matches.find((m) => m.id === id)?.name ?? '';
        this.open = false;
        this.dispatchEvent(new CustomEvent('change', { detail: { recordId: id } }));
    }
}
