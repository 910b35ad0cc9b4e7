import { LightningElement } from 'lwc';

/** Stand-in for lightning-button-group. */
export default class ButtonGroup extends LightningElement {}
