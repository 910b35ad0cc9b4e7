import { createElement } from 'lwc';
import TallySyncSettings from 'c/tallySyncSettings';
import { graphql } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';

const settings = (groups) => ({
    uiapi: {
        query: {
            Tally_Settings__c: {
                edges: [
                    {
                        node: {
                            Id: 'a0E1',
                            Name: { value: 'Sandbox Company' },
                            QBO_Realm_Id__c: { value: '9341' },
                            Create_Accounts__c: { value: false },
                            Synced_Field_Groups__c: { value: groups }
                        }
                    }
                ]
            }
        }
    }
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const button = (el, label) => [...el.shadowRoot.querySelectorAll('lightning-button')].find((b) => b.label === label);
const boxes = (el) => [...el.shadowRoot.querySelectorAll('.groups lightning-input')];

function mount() {
    const el = createElement('c-tally-sync-settings', { is: TallySyncSettings });
    document.body.appendChild(el);
    return el;
}

describe('c-tally-sync-settings', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('summarises the saved groups; Update opens the field groups as checkboxes, checked as saved', async () => {
        const el = mount();
        graphql.emit(settings('names;billing'));
        await flush();
        expect(el.shadowRoot.querySelector('.summary').textContent).toBe('Synced: Names, Billing address.');
        expect(boxes(el)).toEqual([]);
        button(el, 'Update').click();
        await flush();
        expect(boxes(el).map((b) => [b.type, b.label, b.checked])).toEqual([
            ['checkbox', 'Names', true],
            ['checkbox', 'Company', false],
            ['checkbox', 'Contact information', false],
            ['checkbox', 'Website', false],
            ['checkbox', 'Print on check name', false],
            ['checkbox', 'Billing address', true],
            ['checkbox', 'Shipping address', false],
            ['checkbox', 'Additional information', false],
            ['checkbox', 'Balance and currency', false]
        ]);
    });

    it('Save writes the chosen group ids, separated by semicolons, to Synced_Field_Groups__c', async () => {
        const el = mount();
        graphql.emit(settings('names;billing'));
        await flush();
        button(el, 'Update').click();
        await flush();
        const website = boxes(el).find((b) => b.label === 'Website');
        website.checked = true;
        website.dispatchEvent(new CustomEvent('change'));
        const names = boxes(el).find((b) => b.label === 'Names');
        names.checked = false;
        names.dispatchEvent(new CustomEvent('change'));
        const toasts = [];
        el.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
        button(el, 'Save').click();
        await flush();
        expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: 'a0E1', Synced_Field_Groups__c: 'website;billing' } });
        expect(toasts[0]).toEqual(expect.objectContaining({ title: 'Sync Settings saved', variant: 'success' }));
        expect(el.shadowRoot.querySelector('.summary').textContent).toBe('Synced: Website, Billing address.');
    });

    it('every group checked is saved as empty (the contract: empty = all)', async () => {
        const el = mount();
        graphql.emit(settings('names'));
        await flush();
        button(el, 'Update').click();
        await flush();
        for (const b of boxes(el)) {
            if (!b.checked) {
                b.checked = true;
                b.dispatchEvent(new CustomEvent('change'));
            }
        }
        button(el, 'Save').click();
        await flush();
        expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: 'a0E1', Synced_Field_Groups__c: '' } });
        expect(el.shadowRoot.querySelector('.summary').textContent).toBe('All field groups are synced.');
    });

    it('no group checked cannot be saved, since empty means all', async () => {
        const el = mount();
        graphql.emit(settings('names'));
        await flush();
        button(el, 'Update').click();
        await flush();
        const names = boxes(el).find((b) => b.label === 'Names');
        names.checked = false;
        names.dispatchEvent(new CustomEvent('change'));
        await flush();
        expect(el.shadowRoot.querySelector('.nothing').textContent).toBe('Choose at least one field group.');
        expect(button(el, 'Save').disabled).toBe(true);
    });

    it('a refused save keeps the checkboxes open and shows the field error', async () => {
        updateRecord.mockRejectedValueOnce({
            body: {
                message: 'An error occurred while trying to update the record. Please try again.',
                output: { errors: [], fieldErrors: { Synced_Field_Groups__c: [{ message: 'data value too large' }] } }
            }
        });
        const el = mount();
        graphql.emit(settings(''));
        await flush();
        button(el, 'Update').click();
        await flush();
        const toasts = [];
        el.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
        button(el, 'Save').click();
        await flush();
        expect(toasts).toEqual([
            { title: 'Could not save the Sync Settings of Sandbox Company', message: 'Synced_Field_Groups__c: data value too large', variant: 'error' }
        ]);
        expect(boxes(el)).toHaveLength(9);
    });
});
