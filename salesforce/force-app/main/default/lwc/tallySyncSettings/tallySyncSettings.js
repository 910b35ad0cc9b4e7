/**
 * Sync Customers → Sync Settings: which field groups Tally pushes from QuickBooks into QBO
 * Customers (product description, steps 7–8). "Update" opens the groups as checkboxes, "Save"
 * writes them to the company's `Tally_Settings__c.Synced_Field_Groups__c` (contract §12: group ids
 * separated by semicolons, empty = all) with the UI API's updateRecord. Tally reads the record at
 * every run, and the Tally Hub web app edits the same record.
 */
import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import SETTINGS_ID from '@salesforce/schema/Tally_Settings__c.Id';
import SETTINGS_GROUPS from '@salesforce/schema/Tally_Settings__c.Synced_Field_Groups__c';
import { FIELD_GROUPS, errorMessage, formatGroups, parseGroups, settingsFromGraphQL, toast } from 'c/tallyData';

export default class TallySyncSettings extends LightningElement {
    companies = [];
    realmId = '';
    editing = false;
    saving = false;
    draft = [];
    loaded = false;
    result;

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

    get severalCompanies() {
        return this.companies.length > 1;
    }

    get companyOptions() {
        return this.companies.map((c) => ({ label: c.name, value: c.realmId }));
    }

    get noCompany() {
        return this.loaded && this.companies.length === 0;
    }

    get updateDisabled() {
        return !this.current;
    }

    /** What is synced now, as the labels of the chosen groups. */
    get summary() {
        if (!this.current) return '';
        const ids = parseGroups(this.current.groups);
        if (ids.length === FIELD_GROUPS.length) return 'All field groups are synced.';
        return `Synced: ${FIELD_GROUPS.filter((g) => ids.includes(g.id)).map((g) => g.label).join(', ')}.`;
    }

    /** An empty Synced_Field_Groups__c means "all", so "none" cannot be saved. */
    get nothingChosen() {
        return this.draft.length === 0;
    }

    get saveDisabled() {
        return this.saving || this.nothingChosen;
    }

    get groups() {
        return FIELD_GROUPS.map((g) => ({ ...g, checked: this.draft.includes(g.id) }));
    }

    handleCompany(event) {
        this.realmId = event.detail.value;
        this.editing = false;
    }

    handleUpdate() {
        this.draft = parseGroups(this.current?.groups);
        this.editing = true;
    }

    handleToggle(event) {
        const id = event.target.dataset.id;
        this.draft = event.target.checked ? [...this.draft, id] : this.draft.filter((x) => x !== id);
    }

    handleCancel() {
        this.editing = false;
    }

    async handleSave() {
        const company = this.current;
        if (!company) return;
        const value = formatGroups(this.draft);
        this.saving = true;
        try {
            await updateRecord({ fields: { [SETTINGS_ID.fieldApiName]: company.id, [SETTINGS_GROUPS.fieldApiName]: value } });
            this.companies = this.companies.map((c) => (c.id === company.id ? { ...c, groups: value } : c));
            this.editing = false;
            toast(this, 'Sync Settings saved', `The next run for ${company.name} syncs these field groups.`, 'success');
        } catch (e) {
            toast(this, `Could not save the Sync Settings of ${company.name}`, errorMessage(e), 'error');
        } finally {
            this.saving = false;
        }
    }
}
