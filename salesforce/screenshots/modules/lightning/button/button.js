import { LightningElement, api } from 'lwc';

/** Stand-in for lightning-button: an SLDS button; its click bubbles to the host as lightning-button's does. */
export default class Button extends LightningElement {
    @api label;
    @api variant = 'neutral';
    @api disabled = false;
    get cls() {
        return `slds-button slds-button_${this.variant === 'brand' ? 'brand' : 'neutral'}`;
    }
}
