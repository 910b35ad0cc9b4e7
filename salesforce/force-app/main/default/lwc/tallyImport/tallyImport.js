/**
 * Sync Customers: the "Create Accounts" switch and "Start Import" (product description, steps 5–6),
 * plus "Preview" (contract §8). Tally is asked for a run by a `Tally_Run__c` record with Status
 * `Requested` (contract §12), created through the UI API (lightning/uiRecordApi createRecord);
 * the switch is the company's `Tally_Settings__c.Create_Accounts__c`, saved with updateRecord.
 */
import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { MessageContext, publish } from 'lightning/messageService';
import RUN_REQUESTED from '@salesforce/messageChannel/Tally_Run_Requested__c';
import TALLY_RUN from '@salesforce/schema/Tally_Run__c';
import RUN_REALM from '@salesforce/schema/Tally_Run__c.QBO_Realm_Id__c';
import RUN_MODE from '@salesforce/schema/Tally_Run__c.Mode__c';
import RUN_DRY from '@salesforce/schema/Tally_Run__c.Dry_Run__c';
import RUN_STATUS from '@salesforce/schema/Tally_Run__c.Status__c';
import SETTINGS_ID from '@salesforce/schema/Tally_Settings__c.Id';
import SETTINGS_CREATE from '@salesforce/schema/Tally_Settings__c.Create_Accounts__c';
import { errorMessage, settingsFromGraphQL, toast } from 'c/tallyData';

export default class TallyImport extends LightningElement {
    companies = [];
    realmId = '';
    loaded = false;
    busy = false;
    result;

    // Lightning Message Service: tells Last Run, a sibling on the page, that a run was requested.
    @wire(MessageContext) messageContext;

    // GraphQL wire adapter (lightning/graphql): the companies' settings records.
    @wire(graphql, {
        query: gql`
            query tallySettings {
                uiapi {
                    query {
                        Tally_Settings__c(first: 50, orderBy: { Name: { order: ASC } }) {
                            edges {
                                node {
                                    Id
                                    Name { value }
                                    QBO_Realm_Id__c { value }
                                    Create_Accounts__c { value }
                                    Synced_Field_Groups__c { value }
                                }
                            }
                        }
                    }
                }
            }
        `
    })
    wiredSettings(result) {
        this.result = result;
        if (result.errors) {
            toast(this, 'Could not read the Tally Settings', errorMessage(result.errors), 'error');
            return;
        }
        if (!result.data) return;
        this.companies = settingsFromGraphQL(result.data);
        this.loaded = true;
        if (!this.companies.some((c) => c.realmId === this.realmId)) this.realmId = this.companies[0]?.realmId ?? '';
    }

    get current() {
        return this.companies.find((c) => c.realmId === this.realmId);
    }

    get createAccounts() {
        return this.current?.createAccounts === true;
    }

    get switchDisabled() {
        return this.busy || !this.current;
    }

    get noCompany() {
        return this.loaded && this.companies.length === 0;
    }

    get severalCompanies() {
        return this.companies.length > 1;
    }

    get companyOptions() {
        return this.companies.map((c) => ({ label: c.name, value: c.realmId }));
    }

    handleCompany(event) {
        this.realmId = event.detail.value;
    }

    async handleCreateAccounts(event) {
        const company = this.current;
        if (!company) return;
        // The event's target is gone once we await: keep the input to undo a refused change.
        const input = event.target;
        const checked = input.checked;
        this.busy = true;
        try {
            await updateRecord({ fields: { [SETTINGS_ID.fieldApiName]: company.id, [SETTINGS_CREATE.fieldApiName]: checked } });
            this.companies = this.companies.map((c) => (c.id === company.id ? { ...c, createAccounts: checked } : c));
        } catch (e) {
            input.checked = !checked;
            toast(this, `Could not change Create Accounts for ${company.name}`, errorMessage(e), 'error');
        } finally {
            this.busy = false;
        }
    }

    handleStart() {
        return this.requestRun(false);
    }

    handlePreview() {
        return this.requestRun(true);
    }

    async requestRun(dryRun) {
        this.busy = true;
        const fields = {
            [RUN_MODE.fieldApiName]: 'import',
            [RUN_DRY.fieldApiName]: dryRun,
            [RUN_STATUS.fieldApiName]: 'Requested'
        };
        // Empty realm = every company (contract §12); with one company we name it.
        if (this.realmId) fields[RUN_REALM.fieldApiName] = this.realmId;
        try {
            const run = await createRecord({ apiName: TALLY_RUN.objectApiName, fields });
            toast(this, dryRun ? 'Preview requested' : 'Import requested', 'Tally starts the run within seconds; its progress shows under Last Run.', 'success');
            publish(this.messageContext, RUN_REQUESTED, { runId: run.id });
        } catch (e) {
            toast(this, dryRun ? 'Could not request the preview' : 'Could not start the import', errorMessage(e), 'error');
        } finally {
            this.busy = false;
        }
    }
}
