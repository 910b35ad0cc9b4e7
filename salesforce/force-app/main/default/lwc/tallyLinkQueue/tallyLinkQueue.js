/**
 * Sync Customers → the queue of Unmapped and Ambiguous QBO Customers ("Using Component to map
 * QuickBooks Customers with Salesforce Accounts": Link Account, the "AccountId" field, pick the
 * Account, Update). Each row also shows Tally's best suggestion (contract §10) with "Accept", and
 * "Ignore". Reads with the GraphQL wire, writes with the UI API's updateRecord: a link by a person
 * is `Manual`; "Ignore" sets `Ignored` (field history on Account__c and Link_Status__c records who).
 */
import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import CUSTOMER_ID from '@salesforce/schema/QBO_Customer__c.Id';
import CUSTOMER_ACCOUNT from '@salesforce/schema/QBO_Customer__c.Account__c';
import CUSTOMER_STATUS from '@salesforce/schema/QBO_Customer__c.Link_Status__c';
import { errorMessage, toast } from 'c/tallyData';

const v = (f) => (f ? f.value : null);

export default class TallyLinkQueue extends LightningElement {
    rows = [];
    total = 0;
    error;
    loaded = false;
    linkingId;
    pickedAccountId;
    savingId;
    result;

    @wire(graphql, {
        query: gql`
            query tallyLinkQueue {
                uiapi {
                    query {
                        QBO_Customer__c(
                            first: 50
                            where: { Link_Status__c: { in: ["Unmapped", "Ambiguous"] } }
                            orderBy: { Name: { order: ASC } }
                        ) {
                            totalCount
                            edges {
                                node {
                                    Id
                                    Name { value }
                                    QBO_Company__c { value }
                                    Link_Status__c { value displayValue }
                                    Email__c { value }
                                    Suggested_Account__c { value }
                                    Suggested_Account__r { Name { value } }
                                    Suggestion_Score__c { value }
                                    Suggestion_Reason__c { value }
                                }
                            }
                        }
                    }
                }
            }
        `
    })
    wiredQueue(result) {
        this.result = result;
        if (result.errors) {
            this.error = errorMessage(result.errors);
            return;
        }
        if (!result.data) return;
        this.error = undefined;
        this.loaded = true;
        const conn = result.data.uiapi?.query?.QBO_Customer__c;
        this.rows = (conn?.edges ?? []).map(({ node }) => ({
            id: node.Id,
            name: v(node.Name),
            company: v(node.QBO_Company__c),
            status: v(node.Link_Status__c),
            statusLabel: node.Link_Status__c?.displayValue ?? v(node.Link_Status__c),
            email: v(node.Email__c),
            suggestedId: v(node.Suggested_Account__c),
            suggestedName: v(node.Suggested_Account__r?.Name) ?? v(node.Suggested_Account__c),
            score: v(node.Suggestion_Score__c),
            reason: v(node.Suggestion_Reason__c)
        }));
        this.total = conn?.totalCount ?? this.rows.length;
    }

    get view() {
        return this.rows.map((r) => ({
            ...r,
            hasSuggestion: Boolean(r.suggestedId),
            suggestionDetail: ` (score ${r.score ?? '?'}${r.reason ? `: ${r.reason}` : ''})`,
            linking: r.id === this.linkingId,
            busy: r.id === this.savingId,
            updateDisabled: r.id === this.savingId || !this.pickedAccountId
        }));
    }

    get empty() {
        return this.loaded && this.rows.length === 0;
    }

    get more() {
        return this.total > this.rows.length;
    }

    get title() {
        return this.loaded ? `Unmapped and Ambiguous Customers (${this.total})` : 'Unmapped and Ambiguous Customers';
    }

    handleLink(event) {
        this.linkingId = event.target.dataset.id;
        this.pickedAccountId = undefined;
    }

    handlePick(event) {
        this.pickedAccountId = event.detail.recordId ?? undefined;
    }

    handleCancel() {
        this.linkingId = undefined;
        this.pickedAccountId = undefined;
    }

    handleUpdate(event) {
        return this.save(event.target.dataset.id, this.pickedAccountId, 'Manual', 'Linked');
    }

    /** An accepted suggestion is a Manual link (contract §10). */
    handleAccept(event) {
        const row = this.rows.find((r) => r.id === event.target.dataset.id);
        return this.save(row.id, row.suggestedId, 'Manual', 'Linked');
    }

    handleIgnore(event) {
        return this.save(event.target.dataset.id, null, 'Ignored', 'Ignored');
    }

    async save(id, accountId, status, verb) {
        const row = this.rows.find((r) => r.id === id);
        this.savingId = id;
        try {
            await updateRecord({
                fields: { [CUSTOMER_ID.fieldApiName]: id, [CUSTOMER_ACCOUNT.fieldApiName]: accountId, [CUSTOMER_STATUS.fieldApiName]: status }
            });
            // The row leaves the queue at once; the wire's refresh brings the queue up to date.
            this.rows = this.rows.filter((r) => r.id !== id);
            this.total = Math.max(0, this.total - 1);
            this.linkingId = undefined;
            this.pickedAccountId = undefined;
            toast(this, `${verb} ${row.name}`, status === 'Ignored' ? 'It is never linked, suggested or created.' : 'The link is Manual: runs keep it.', 'success');
            if (typeof this.result?.refresh === 'function') await this.result.refresh();
        } catch (e) {
            toast(this, `Could not update ${row.name}`, errorMessage(e), 'error');
        } finally {
            this.savingId = undefined;
        }
    }
}
