import { LightningElement, api } from 'lwc';

/** Stand-in for lightning-spinner: the SLDS spinner, centred in its positioned parent. */
export default class Spinner extends LightningElement {
    @api alternativeText;
    @api size = 'medium';
    get cls() {
        return `slds-spinner slds-spinner_${this.size} slds-spinner_brand`;
    }
}
