import { LightningElement, api } from 'lwc';

/** Stand-in for lightning-card: the SLDS card blueprint. */
export default class Card extends LightningElement {
    @api title;
    @api iconName;
    get iconClass() {
        const [, name] = (this.iconName || 'standard:default').split(':');
        return `slds-icon_container slds-icon-standard-${name.replace(/_/g, '-')}`;
    }
    // The sprite by URL: LWC rewrites `#fragment` hrefs in templates to scoped ids.
    get iconHref() {
        const [category, name] = (this.iconName || 'standard:default').split(':');
        return `/assets/icons/${category}-sprite/svg/symbols.svg#${name}`;
    }
}
