import { LightningElement, api } from 'lwc';

/** Stand-in for lightning-combobox: a labelled SLDS select. */
export default class Combobox extends LightningElement {
    @api label;
    @api value;
    @api options = [];
    get items() {
        return (this.options || []).map((o) => ({ ...o, selected: o.value === this.value }));
    }
    handleChange(event) {
        event.stopPropagation();
        this.dispatchEvent(new CustomEvent('change', { detail: { value: event.target.value } }));
    }
}
