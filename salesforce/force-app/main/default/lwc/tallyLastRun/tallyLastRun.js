/**
 * Sync Customers: the last run's summary and, while it is Requested or Running, its progress.
 * Reads the newest `Tally_Run__c` (and its first errors) with the GraphQL wire; Tally writes the
 * status and counts onto that record as the run goes (contract §12), so while the run is going
 * the component asks the UI API again every few seconds. That is this browser reading its own
 * org — Tally itself never polls the org for runs.
 */
import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { MessageContext, subscribe, unsubscribe } from 'lightning/messageService';
import RUN_REQUESTED from '@salesforce/messageChannel/Tally_Run_Requested__c';
import { errorMessage } from 'c/tallyData';

export const REFRESH_MS = 5000;
const GOING = new Set(['Requested', 'Running']);
const BADGE = {
    Requested: 'slds-badge',
    Running: 'slds-badge slds-theme_info',
    Succeeded: 'slds-badge slds-theme_success',
    Partial: 'slds-badge slds-theme_warning',
    Failed: 'slds-badge slds-theme_error'
};

const v = (f) => (f ? f.value : null);
const shown = (f) => (f ? (f.displayValue ?? f.value) : null);

export default class TallyLastRun extends LightningElement {
    run;
    error;
    loaded = false;
    result;
    timer;
    subscription;

    @wire(MessageContext) messageContext;

    /** "Start Import" beside us published a new run: read it now (then the timer follows it). */
    connectedCallback() {
        this.connected = true;
        this.subscription = subscribe(this.messageContext, RUN_REQUESTED, () => this.refresh());
    }

    refresh() {
        return typeof this.result?.refresh === 'function' ? this.result.refresh() : Promise.resolve();
    }

    @wire(graphql, {
        query: gql`
            query tallyLastRun {
                uiapi {
                    query {
                        Tally_Run__c(first: 1, orderBy: { CreatedDate: { order: DESC } }) {
                            edges {
                                node {
                                    Id
                                    Name { value }
                                    QBO_Realm_Id__c { value }
                                    Mode__c { value displayValue }
                                    Dry_Run__c { value }
                                    Status__c { value displayValue }
                                    Started__c { value displayValue }
                                    Finished__c { value displayValue }
                                    Customers_Seen__c { value }
                                    Customers_Failed__c { value }
                                    Accounts_Created__c { value }
                                    Salesforce_Calls__c { value }
                                    QBO_Calls__c { value }
                                    Errors__r(first: 5) {
                                        edges {
                                            node {
                                                Id
                                                Level__c { value }
                                                Field__c { value }
                                                Code__c { value }
                                                Message__c { value }
                                                QBO_Customer__r { Name { value } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        `
    })
    wiredRun(result) {
        this.result = result;
        if (result.errors) {
            this.error = errorMessage(result.errors);
            this.schedule(false);
            return;
        }
        if (!result.data) return;
        this.error = undefined;
        this.loaded = true;
        const node = result.data.uiapi?.query?.Tally_Run__c?.edges?.[0]?.node;
        this.run = node ? toRun(node) : undefined;
        this.schedule(this.run !== undefined && GOING.has(this.run.status));
    }

    /**
     * Refreshes the wire in REFRESH_MS while the run is going; stops once it has finished. The wire
     * is called back only when the record changed, so each refresh schedules the next itself.
     */
    schedule(going) {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (!going || typeof this.result?.refresh !== 'function') return;
        // eslint-disable-next-line @lwc/lwc/no-async-operation -- a run's progress is only on the record
        this.timer = setTimeout(() => {
            this.timer = undefined;
            Promise.resolve(this.refresh())
                .catch(() => undefined)
                .then(() => {
                    if (this.timer === undefined && this.connected) this.schedule(this.going);
                });
        }, REFRESH_MS);
    }

    connected = false;

    disconnectedCallback() {
        this.connected = false;
        clearTimeout(this.timer);
        unsubscribe(this.subscription);
        this.subscription = undefined;
    }

    get noRun() {
        return this.loaded && !this.run;
    }

    get going() {
        return this.run !== undefined && GOING.has(this.run.status);
    }
}

function toRun(node) {
    const status = v(node.Status__c);
    const errors = (node.Errors__r?.edges ?? []).map(({ node: e }) => ({
        id: e.Id,
        level: v(e.Level__c) === 'warning' ? 'Warning' : 'Error',
        customer: v(e.QBO_Customer__r?.Name) ?? '',
        field: v(e.Field__c) ?? '',
        code: v(e.Code__c) ?? '',
        message: v(e.Message__c) ?? ''
    }));
    return {
        id: node.Id,
        name: v(node.Name),
        status,
        statusLabel: shown(node.Status__c),
        badgeClass: BADGE[status] ?? 'slds-badge',
        mode: (v(node.Dry_Run__c) ? 'Preview of ' : '') + (shown(node.Mode__c) ?? ''),
        company: v(node.QBO_Realm_Id__c) || 'Every company',
        started: shown(node.Started__c) ?? '—',
        finished: shown(node.Finished__c) ?? '—',
        counts: [
            { key: 'seen', ddKey: 'seen-value', label: 'Customers Seen', value: v(node.Customers_Seen__c) ?? 0 },
            { key: 'failed', ddKey: 'failed-value', label: 'Customers Failed', value: v(node.Customers_Failed__c) ?? 0 },
            { key: 'created', ddKey: 'created-value', label: 'Accounts Created', value: v(node.Accounts_Created__c) ?? 0 },
            { key: 'sf', ddKey: 'sf-value', label: 'Salesforce Calls', value: v(node.Salesforce_Calls__c) ?? 0 },
            { key: 'qbo', ddKey: 'qbo-value', label: 'QBO Calls', value: v(node.QBO_Calls__c) ?? 0 }
        ],
        seen: v(node.Customers_Seen__c) ?? 0,
        errors,
        hasErrors: errors.length > 0
    };
}
