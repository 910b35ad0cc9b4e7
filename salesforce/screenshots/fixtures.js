/** What the org's UI API GraphQL would answer for each screenshot scene (query operation → data). */
const settings = (groups, createAccounts) => ({
    uiapi: {
        query: {
            Tally_Settings__c: {
                edges: [
                    {
                        node: {
                            Id: 'a0E000000000001',
                            Name: { value: 'Sandbox Company_US_1' },
                            QBO_Realm_Id__c: { value: '9341455130166501' },
                            Create_Accounts__c: { value: createAccounts },
                            Synced_Field_Groups__c: { value: groups }
                        }
                    }
                ]
            }
        }
    }
});

const run = (status, extra) => ({
    uiapi: {
        query: {
            Tally_Run__c: {
                edges: [
                    {
                        node: {
                            Id: 'a0D000000000042',
                            Name: { value: 'RUN-000042' },
                            QBO_Realm_Id__c: { value: '9341455130166501' },
                            Mode__c: { value: 'import', displayValue: 'Import' },
                            Dry_Run__c: { value: false },
                            Status__c: { value: status, displayValue: status },
                            Started__c: { value: '2026-12-02T01:00:00.000Z', displayValue: '12/2/2026, 1:00 AM' },
                            Finished__c: { value: null, displayValue: null },
                            Customers_Seen__c: { value: 18 },
                            Customers_Failed__c: { value: 0 },
                            Accounts_Created__c: { value: 0 },
                            Salesforce_Calls__c: { value: 4 },
                            QBO_Calls__c: { value: 2 },
                            Errors__r: { edges: [] },
                            ...extra
                        }
                    }
                ]
            }
        }
    }
});

const customer = (id, name, status, email, suggestion) => ({
    node: {
        Id: id,
        Name: { value: name },
        QBO_Company__c: { value: 'Sandbox Company_US_1' },
        Link_Status__c: { value: status, displayValue: status },
        Email__c: { value: email },
        Suggested_Account__c: { value: suggestion ? suggestion[0] : null },
        Suggested_Account__r: suggestion ? { Name: { value: suggestion[1] } } : null,
        Suggestion_Score__c: { value: suggestion ? suggestion[2] : null },
        Suggestion_Reason__c: { value: suggestion ? suggestion[3] : null }
    }
});

const queue = {
    uiapi: {
        query: {
            QBO_Customer__c: {
                totalCount: 4,
                edges: [
                    customer('a0B000000000001', "Amy's Bird Sanctuary", 'Unmapped', 'Birds@Intuit.com', ['001000000000001', "Amy's Bird Sanctuary LLC", 94, "name without 'LLC'; same e-mail domain"]),
                    customer('a0B000000000002', 'Cool Cars', 'Ambiguous', 'Cool_Cars@intuit.com', ['001000000000002', 'Cool Cars (Half Moon Bay)', 71, 'same name as 2 Accounts; same phone number']),
                    customer('a0B000000000003', 'Diego Rodriguez', 'Unmapped', 'Diego@Rodriguez.com', null),
                    customer('a0B000000000004', 'Geeta Kalapatapu', 'Unmapped', 'Geeta@Kalapatapu.com', null)
                ]
            }
        }
    }
};

/** The newest run once "Start Import" or "Preview" has created it. */
export const requestedRun = (fields) =>
    run('Requested', {
        Id: 'a0D000000000043',
        Name: { value: 'RUN-000043' },
        Dry_Run__c: { value: fields.Dry_Run__c },
        QBO_Realm_Id__c: { value: fields.QBO_Realm_Id__c ?? null },
        Started__c: { value: null, displayValue: null },
        Customers_Seen__c: { value: 0 },
        Salesforce_Calls__c: { value: 0 },
        QBO_Calls__c: { value: 0 }
    });

export const ACCOUNTS = [
    { id: '001000000000002', name: 'Cool Cars (Half Moon Bay)', site: 'Half Moon Bay' },
    { id: '001000000000003', name: 'Cool Cars (Redwood City)', site: 'Redwood City' },
    { id: '001000000000004', name: 'Cooper Equipment', site: 'Tucson' },
    { id: '001000000000005', name: 'Diego Rodriguez', site: 'Middlefield' }
];

export const SCENES = {
    running: {
        tallySettings: settings('names;company;contact;billing;shipping;additional', true),
        tallyLastRun: run('Running'),
        tallyLinkQueue: queue
    },
    partial: {
        tallySettings: settings('', false),
        tallyLastRun: run('Partial', {
            Finished__c: { value: '2026-12-02T01:02:00.000Z', displayValue: '12/2/2026, 1:02 AM' },
            Customers_Seen__c: { value: 29 },
            Customers_Failed__c: { value: 1 },
            Accounts_Created__c: { value: 6 },
            Salesforce_Calls__c: { value: 9 },
            QBO_Calls__c: { value: 3 },
            Errors__r: {
                edges: [
                    {
                        node: {
                            Id: 'a0C000000000001',
                            Level__c: { value: 'warning' },
                            Field__c: { value: 'Email__c' },
                            Code__c: { value: 'INVALID_EMAIL_ADDRESS' },
                            Message__c: { value: 'invalid email address "jeff@@example.com"; the customer synced without it. Fix the e-mail in QuickBooks.' },
                            QBO_Customer__r: { Name: { value: "Jeff's Jalopies" } }
                        }
                    },
                    {
                        node: {
                            Id: 'a0C000000000002',
                            Level__c: { value: 'error' },
                            Field__c: { value: null },
                            Code__c: { value: 'DUPLICATE_VALUE' },
                            Message__c: { value: 'QBO_Key__c 9341455130166501-58 is already used by another QBO Customer; merge or delete the duplicate.' },
                            QBO_Customer__r: { Name: { value: 'Red Rock Diner' } }
                        }
                    }
                ]
            }
        }),
        tallyLinkQueue: queue
    }
};
