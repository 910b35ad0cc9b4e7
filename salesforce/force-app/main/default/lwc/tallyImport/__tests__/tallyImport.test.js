import { createElement } from 'lwc';
import TallyImport from 'c/tallyImport';
import { graphql } from 'lightning/graphql';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { publish } from 'lightning/messageService';
import RUN_REQUESTED from '@salesforce/messageChannel/Tally_Run_Requested__c';

const settings = (...companies) => ({
    uiapi: {
        query: {
            Tally_Settings__c: {
                edges: companies.map(([id, name, realm, create]) => ({
                    node: {
                        Id: id,
                        Name: { value: name },
                        QBO_Realm_Id__c: { value: realm },
                        Create_Accounts__c: { value: create },
                        Synced_Field_Groups__c: { value: null }
                    }
                }))
            }
        }
    }
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const button = (el, label) => [...el.shadowRoot.querySelectorAll('lightning-button')].find((b) => b.label === label);

function mount() {
    const el = createElement('c-tally-import', { is: TallyImport });
    document.body.appendChild(el);
    return el;
}

describe('c-tally-import', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('shows the Create Accounts switch as the company settings say, and no company picker for one company', async () => {
        const el = mount();
        graphql.emit(settings(['a0E1', 'Sandbox Company', '9341', true]));
        await flush();
        const toggle = el.shadowRoot.querySelector('lightning-input.create-accounts');
        expect(toggle.label).toBe('Create Accounts');
        expect(toggle.type).toBe('toggle');
        expect(toggle.checked).toBe(true);
        expect(toggle.disabled).toBe(false);
        expect(el.shadowRoot.querySelector('lightning-combobox')).toBeNull();
        expect(button(el, 'Start Import')).toBeTruthy();
    });

    it('Start Import creates a Tally Run: Mode import, Status Requested, not a dry run, for the company', async () => {
        const el = mount();
        graphql.emit(settings(['a0E1', 'Sandbox Company', '9341', false]));
        await flush();
        const toasts = [];
        el.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
        createRecord.mockResolvedValueOnce({ id: 'a0D000000000042' });
        button(el, 'Start Import').click();
        await flush();
        expect(createRecord).toHaveBeenCalledTimes(1);
        expect(publish).toHaveBeenCalledWith(undefined, RUN_REQUESTED, { runId: 'a0D000000000042' });
        expect(createRecord.mock.calls[0][0]).toEqual({
            apiName: 'Tally_Run__c',
            fields: { Mode__c: 'import', Dry_Run__c: false, Status__c: 'Requested', QBO_Realm_Id__c: '9341' }
        });
        expect(toasts).toEqual([expect.objectContaining({ title: 'Import requested', variant: 'success' })]);
    });

    it('Preview requests a dry run; with no company connected the run is for every company', async () => {
        const el = mount();
        graphql.emit(settings());
        await flush();
        expect(el.shadowRoot.querySelector('.no-company').textContent).toContain('No QuickBooks company is connected yet');
        expect(el.shadowRoot.querySelector('lightning-input.create-accounts').disabled).toBe(true);
        button(el, 'Preview').click();
        await flush();
        expect(createRecord.mock.calls[0][0].fields).toEqual({ Mode__c: 'import', Dry_Run__c: true, Status__c: 'Requested' });
    });

    it('the switch saves Create_Accounts__c on the chosen company settings record', async () => {
        const el = mount();
        graphql.emit(settings(['a0E1', 'Alpha', '111', false], ['a0E2', 'Beta', '222', false]));
        await flush();
        const combo = el.shadowRoot.querySelector('lightning-combobox');
        expect(combo.label).toBe('QuickBooks company');
        expect(combo.options).toEqual([{ label: 'Alpha', value: '111' }, { label: 'Beta', value: '222' }]);
        combo.dispatchEvent(new CustomEvent('change', { detail: { value: '222' } }));
        await flush();
        const toggle = el.shadowRoot.querySelector('lightning-input.create-accounts');
        toggle.checked = true;
        toggle.dispatchEvent(new CustomEvent('change'));
        await flush();
        expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: 'a0E2', Create_Accounts__c: true } });
        button(el, 'Start Import').click();
        await flush();
        expect(createRecord.mock.calls[0][0].fields.QBO_Realm_Id__c).toBe('222');
    });

    it('a refused run request shows the UI API error in a toast', async () => {
        createRecord.mockRejectedValueOnce({
            body: { message: 'An error occurred', output: { errors: [{ message: 'You do not have access to Tally Runs.' }], fieldErrors: {} } }
        });
        const el = mount();
        graphql.emit(settings(['a0E1', 'Sandbox Company', '9341', false]));
        await flush();
        const toasts = [];
        el.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
        button(el, 'Start Import').click();
        await flush();
        expect(toasts).toEqual([{ title: 'Could not start the import', message: 'You do not have access to Tally Runs.', variant: 'error' }]);
        expect(publish).not.toHaveBeenCalled();
        expect(button(el, 'Start Import').disabled).toBe(false);
    });

    it('a refused switch change is undone and reported', async () => {
        updateRecord.mockRejectedValueOnce({ body: [{ message: 'insufficient access rights on object id' }] });
        const el = mount();
        graphql.emit(settings(['a0E1', 'Sandbox Company', '9341', false]));
        await flush();
        const toasts = [];
        el.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
        const toggle = el.shadowRoot.querySelector('lightning-input.create-accounts');
        toggle.checked = true;
        toggle.dispatchEvent(new CustomEvent('change'));
        await flush();
        expect(toggle.checked).toBe(false);
        expect(toasts[0]).toEqual({
            title: 'Could not change Create Accounts for Sandbox Company',
            message: 'insufficient access rights on object id',
            variant: 'error'
        });
    });
});
