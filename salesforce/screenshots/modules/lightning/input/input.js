import { LightningElement, api } from 'lwc';

/**
 * Stand-in for lightning-input (toggle, checkbox, text) with the SLDS blueprints. Like the real
 * one it fires its own `change` from the host, and the host's `checked`/`value` are current.
 */
export default class Input extends LightningElement {
    @api label;
    @api type = 'text';
    @api disabled = false;
    @api messageToggleActive = 'Active';
    @api messageToggleInactive = 'Inactive';
    _checked = false;
    _value = '';
    @api get checked() {
        return this._checked;
    }
    set checked(v) {
        this._checked = Boolean(v);
    }
    @api get value() {
        return this._value;
    }
    set value(v) {
        this._value = v;
    }
    get isToggle() {
        return this.type === 'toggle';
    }
    get isCheckbox() {
        return this.type === 'checkbox';
    }
    handleChange(event) {
        event.stopPropagation();
        this._checked = event.target.checked;
        this._value = event.target.value;
        this.dispatchEvent(new CustomEvent('change', { detail: { checked: this._checked, value: this._value } }));
    }
}
