/**
 * Shared by Tally's Lightning web components: the Sync Settings field groups, the
 * `Tally_Settings__c` records as the GraphQL wire returns them, and UI API errors as one sentence.
 */
import { ShowToastEvent } from 'lightning/platformShowToastEvent';

/**
 * The Sync Settings groups, in the words of the product description. Their ids are what
 * `Tally_Settings__c.Synced_Field_Groups__c` holds (contract §12) and must equal FIELD_GROUPS in
 * src/sync/fields.ts — test/contract/salesforce-package.test.ts checks that they do.
 */
export const FIELD_GROUPS = [
    { id: 'names', label: 'Names' },
    { id: 'company', label: 'Company' },
    { id: 'contact', label: 'Contact information' },
    { id: 'website', label: 'Website' },
    { id: 'printOnCheck', label: 'Print on check name' },
    { id: 'billing', label: 'Billing address' },
    { id: 'shipping', label: 'Shipping address' },
    { id: 'additional', label: 'Additional information' },
    { id: 'balance', label: 'Balance and currency' }
];

const ALL_IDS = FIELD_GROUPS.map((g) => g.id);

/** `Synced_Field_Groups__c` → group ids; empty means every group (contract §12). Unknown ids are dropped. */
export function parseGroups(value) {
    if (!value) return [...ALL_IDS];
    const wanted = new Set(value.split(';').map((s) => s.trim()));
    return ALL_IDS.filter((id) => wanted.has(id));
}

/** Group ids → `Synced_Field_Groups__c`: every group is stored as empty, the contract's "all". */
export function formatGroups(ids) {
    const chosen = ALL_IDS.filter((id) => ids.includes(id));
    return chosen.length === ALL_IDS.length ? '' : chosen.join(';');
}

const v = (field) => (field ? field.value : null);

/** The GraphQL answer for `Tally_Settings__c` → plain objects, one per QuickBooks company. */
export function settingsFromGraphQL(data) {
    const edges = data?.uiapi?.query?.Tally_Settings__c?.edges ?? [];
    return edges.map(({ node }) => ({
        id: node.Id,
        name: v(node.Name) || v(node.QBO_Realm_Id__c) || node.Id,
        realmId: v(node.QBO_Realm_Id__c),
        createAccounts: v(node.Create_Accounts__c) === true,
        groups: v(node.Synced_Field_Groups__c)
    }));
}

/**
 * A UI API or GraphQL failure as text a person can act on. updateRecord/createRecord reject with
 * `{ body: { message, output: { errors, fieldErrors } } }` or `{ body: [{ message }] }`; the
 * GraphQL wire reports `[{ message }]`.
 */
export function errorMessage(error) {
    if (!error) return 'Unknown error';
    if (Array.isArray(error)) return error.map(errorMessage).join('; ');
    if (typeof error === 'string') return error;
    const body = error.body;
    if (Array.isArray(body)) return body.map((b) => b.message).join('; ');
    if (body) {
        const out = body.output;
        const parts = [];
        for (const e of out?.errors ?? []) parts.push(e.message);
        for (const [field, list] of Object.entries(out?.fieldErrors ?? {})) {
            for (const e of list) parts.push(`${field}: ${e.message}`);
        }
        if (parts.length > 0) return parts.join('; ');
        if (body.message) return body.message;
    }
    return error.message || 'Unknown error';
}

/** Shows a Lightning toast from `component`. */
export function toast(component, title, message, variant) {
    component.dispatchEvent(new ShowToastEvent({ title, message, variant }));
}
