import { createElement } from 'lwc';
import TallyLastRun, { REFRESH_MS } from 'c/tallyLastRun';
import { graphql } from 'lightning/graphql';
import { subscribe, unsubscribe } from 'lightning/messageService';
import RUN_REQUESTED from '@salesforce/messageChannel/Tally_Run_Requested__c';

const run = (fields) => ({
    uiapi: {
        query: {
            Tally_Run__c: {
                edges: fields
                    ? [
                          {
                              node: {
                                  Id: 'a0D1',
                                  Name: { value: 'RUN-000042' },
                                  QBO_Realm_Id__c: { value: '9341' },
                                  Mode__c: { value: 'import', displayValue: 'Import' },
                                  Dry_Run__c: { value: false },
                                  Started__c: { value: '2026-12-02T01:00:00.000Z', displayValue: '12/2/2026, 1:00 AM' },
                                  Finished__c: { value: null, displayValue: null },
                                  Customers_Seen__c: { value: 120 },
                                  Customers_Failed__c: { value: 1 },
                                  Accounts_Created__c: { value: 7 },
                                  Salesforce_Calls__c: { value: 9 },
                                  QBO_Calls__c: { value: 3 },
                                  Errors__r: { edges: [] },
                                  ...fields
                              }
                          }
                      ]
                    : []
            }
        }
    }
});

const flush = () => Promise.resolve();
const text = (el) => el.shadowRoot.textContent.replace(/\s+/g, ' ');

function mount() {
    const el = createElement('c-tally-last-run', { is: TallyLastRun });
    document.body.appendChild(el);
    return el;
}

describe('c-tally-last-run', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.useRealTimers();
        jest.clearAllMocks();
    });

    it('says there is no run yet when Tally has never run', async () => {
        const el = mount();
        graphql.emit(run(null));
        await flush();
        expect(el.shadowRoot.querySelector('.no-run').textContent).toBe('No run yet. Click "Start Import" to run the first import.');
    });

    it('shows a finished run: status, counts, API calls and its problems; no progress, no refresh', async () => {
        jest.useFakeTimers();
        const refresh = jest.fn();
        const el = mount();
        graphql.emit(
            run({
                Status__c: { value: 'Partial', displayValue: 'Partial' },
                Finished__c: { value: '2026-12-02T01:02:00.000Z', displayValue: '12/2/2026, 1:02 AM' },
                Errors__r: {
                    edges: [
                        {
                            node: {
                                Id: 'a0C1',
                                Level__c: { value: 'warning' },
                                Field__c: { value: 'Email__c' },
                                Code__c: { value: 'INVALID_EMAIL_ADDRESS' },
                                Message__c: { value: 'Email: invalid email address: bob@@example.com; the record synced without it.' },
                                QBO_Customer__r: { Name: { value: "Bob's Burgers" } }
                            }
                        }
                    ]
                }
            }),
            undefined,
            refresh
        );
        await flush();
        expect(el.shadowRoot.querySelector('.status').textContent).toBe('Partial');
        const dl = [...el.shadowRoot.querySelectorAll('.counts dt')].map((dt) => `${dt.textContent}=${dt.nextElementSibling.textContent}`);
        expect(dl).toEqual([
            'Customers Seen=120',
            'Customers Failed=1',
            'Accounts Created=7',
            'Salesforce Calls=9',
            'QBO Calls=3',
            'Started=12/2/2026, 1:00 AM',
            'Finished=12/2/2026, 1:02 AM'
        ]);
        expect(el.shadowRoot.querySelector('.errors li').textContent).toBe(
            "Warning: Bob's Burgers Email__c (INVALID_EMAIL_ADDRESS) Email: invalid email address: bob@@example.com; the record synced without it."
        );
        expect(el.shadowRoot.querySelector('.progress')).toBeNull();
        jest.advanceTimersByTime(REFRESH_MS * 3);
        expect(refresh).not.toHaveBeenCalled();
    });

    it('while the run is Running it shows progress and refreshes the record until it has finished', async () => {
        jest.useFakeTimers();
        const refresh = jest.fn();
        const el = mount();
        graphql.emit(run({ Status__c: { value: 'Running', displayValue: 'Running' } }), undefined, refresh);
        await flush();
        expect(text(el)).toContain('Running: 120 customers seen so far.');
        expect(el.shadowRoot.querySelector('lightning-spinner').alternativeText).toBe('Run in progress');
        jest.advanceTimersByTime(REFRESH_MS);
        expect(refresh).toHaveBeenCalledTimes(1);

        graphql.emit(run({ Status__c: { value: 'Succeeded', displayValue: 'Succeeded' } }), undefined, refresh);
        await flush();
        expect(el.shadowRoot.querySelector('.progress')).toBeNull();
        jest.advanceTimersByTime(REFRESH_MS * 3);
        expect(refresh).toHaveBeenCalledTimes(1);
    });

    it('a run requested beside it (Tally_Run_Requested message) is read at once', async () => {
        subscribe.mockReturnValueOnce('subscription-1');
        const refresh = jest.fn().mockResolvedValue(undefined);
        const el = mount();
        graphql.emit(run({ Status__c: { value: 'Succeeded', displayValue: 'Succeeded' } }), undefined, refresh);
        await flush();
        expect(subscribe).toHaveBeenCalledWith(undefined, RUN_REQUESTED, expect.any(Function));
        subscribe.mock.calls[0][2]({ runId: 'a0D2' });
        expect(refresh).toHaveBeenCalledTimes(1);
        document.body.removeChild(el);
        expect(unsubscribe).toHaveBeenCalledWith('subscription-1');
    });

    it('keeps refreshing while the run is going even when a refresh brings nothing new', async () => {
        jest.useFakeTimers();
        // LDS calls the wire back only when the data changed: this refresh changes nothing.
        const refresh = jest.fn().mockResolvedValue(undefined);
        mount();
        graphql.emit(run({ Status__c: { value: 'Requested', displayValue: 'Requested' } }), undefined, refresh);
        await flush();
        for (let i = 1; i <= 3; i++) {
            jest.advanceTimersByTime(REFRESH_MS);
            await flush();
            await flush();
            expect(refresh).toHaveBeenCalledTimes(i);
        }
    });

    it('a Requested dry run is shown as a preview in progress', async () => {
        const el = mount();
        graphql.emit(run({ Status__c: { value: 'Requested', displayValue: 'Requested' }, Dry_Run__c: { value: true }, QBO_Realm_Id__c: { value: null } }));
        await flush();
        expect(text(el)).toContain('RUN-000042 · Preview of Import · Every company');
        expect(text(el)).toContain('Requested: 120 customers seen so far.');
    });

    it('a GraphQL error is shown with its message', async () => {
        const el = mount();
        graphql.emitErrors([{ message: 'Validation error: Field Errors__r is not available on Tally_Run__c' }]);
        await flush();
        expect(el.shadowRoot.querySelector('.error').textContent).toBe(
            'Could not read the last run: Validation error: Field Errors__r is not available on Tally_Run__c'
        );
    });
});
