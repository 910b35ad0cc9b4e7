import { createElement } from 'lwc';
import TallyLinkQueue from 'c/tallyLinkQueue';
import { graphql } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';

const customer = (id, name, status, suggestion) => ({
    node: {
        Id: id,
        Name: { value: name },
        QBO_Company__c: { value: 'Sandbox Company' },
        Link_Status__c: { value: status, displayValue: status },
        Email__c: { value: null },
        Suggested_Account__c: { value: suggestion ? suggestion[0] : null },
        Suggested_Account__r: suggestion ? { Name: { value: suggestion[1] } } : null,
        Suggestion_Score__c: { value: suggestion ? suggestion[2] : null },
        Suggestion_Reason__c: { value: suggestion ? suggestion[3] : null }
    }
});
const queue = (total, ...edges) => ({ uiapi: { query: { QBO_Customer__c: { totalCount: total, edges } } } });
const QUEUE = queue(
    2,
    customer('a0B1', 'Amy’s Bird Sanctuary', 'Unmapped', null),
    customer('a0B2', 'Cool Cars Inc.', 'Ambiguous', ['0011', 'Cool Cars', 92, "name without 'Inc.'; same e-mail domain"])
);

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const row = (el, id) => el.shadowRoot.querySelector(`li[data-id="${id}"]`);
const button = (root, label) => [...root.querySelectorAll('lightning-button')].find((b) => b.label === label);

function mount(refresh) {
    const el = createElement('c-tally-link-queue', { is: TallyLinkQueue });
    document.body.appendChild(el);
    graphql.emit(QUEUE, undefined, refresh);
    return el;
}

describe('c-tally-link-queue', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('lists the unmapped and ambiguous customers, with the suggestion, its score and reason when there is one', async () => {
        const el = mount();
        await flush();
        expect([...el.shadowRoot.querySelectorAll('.name')].map((n) => n.textContent)).toEqual(['Amy’s Bird Sanctuary', 'Cool Cars Inc.']);
        expect(el.shadowRoot.querySelector('lightning-card').title).toBe('Unmapped and Ambiguous Customers (2)');
        expect(row(el, 'a0B1').querySelector('.suggestion')).toBeNull();
        expect(button(row(el, 'a0B1'), 'Accept')).toBeUndefined();
        expect(row(el, 'a0B2').querySelector('.suggestion').textContent.replace(/\s+/g, ' ')).toBe(
            "Suggested: Cool Cars (score 92: name without 'Inc.'; same e-mail domain)"
        );
        expect(row(el, 'a0B2').querySelector('.status').textContent).toBe('Ambiguous');
        expect(el.shadowRoot.querySelector('lightning-record-picker')).toBeNull();
    });

    it('Link Account opens an "AccountId" Account lookup; Update links the pick as Manual and the row leaves the queue', async () => {
        const refresh = jest.fn().mockResolvedValue(undefined);
        const el = mount(refresh);
        await flush();
        button(row(el, 'a0B1'), 'Link Account').click();
        await flush();
        const picker = row(el, 'a0B1').querySelector('lightning-record-picker');
        expect(picker.label).toBe('AccountId');
        expect(picker.objectApiName).toBe('Account');
        expect(button(row(el, 'a0B1'), 'Update').disabled).toBe(true);
        picker.dispatchEvent(new CustomEvent('change', { detail: { recordId: '001XYZ' } }));
        await flush();
        const toasts = [];
        el.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
        button(row(el, 'a0B1'), 'Update').click();
        await flush();
        expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: 'a0B1', Account__c: '001XYZ', Link_Status__c: 'Manual' } });
        expect(row(el, 'a0B1')).toBeNull();
        expect(el.shadowRoot.querySelector('lightning-card').title).toBe('Unmapped and Ambiguous Customers (1)');
        expect(toasts[0]).toEqual(expect.objectContaining({ title: 'Linked Amy’s Bird Sanctuary', variant: 'success' }));
        expect(refresh).toHaveBeenCalledTimes(1);
    });

    it('Accept links the suggested Account as Manual; Ignore sets Ignored and no Account', async () => {
        const el = mount();
        await flush();
        button(row(el, 'a0B2'), 'Accept').click();
        await flush();
        expect(updateRecord).toHaveBeenLastCalledWith({ fields: { Id: 'a0B2', Account__c: '0011', Link_Status__c: 'Manual' } });
        button(row(el, 'a0B1'), 'Ignore').click();
        await flush();
        expect(updateRecord).toHaveBeenLastCalledWith({ fields: { Id: 'a0B1', Account__c: null, Link_Status__c: 'Ignored' } });
        expect(el.shadowRoot.querySelector('.empty').textContent).toBe('Every QBO Customer is linked or ignored.');
    });

    it('a refused link keeps the row and shows why in an error toast', async () => {
        updateRecord.mockRejectedValueOnce({
            body: { message: 'x', output: { errors: [{ message: 'insufficient access rights on cross-reference id: 001XYZ' }], fieldErrors: {} } }
        });
        const el = mount();
        await flush();
        button(row(el, 'a0B1'), 'Link Account').click();
        await flush();
        row(el, 'a0B1').querySelector('lightning-record-picker').dispatchEvent(new CustomEvent('change', { detail: { recordId: '001XYZ' } }));
        await flush();
        const toasts = [];
        el.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
        button(row(el, 'a0B1'), 'Update').click();
        await flush();
        expect(toasts).toEqual([
            { title: 'Could not update Amy’s Bird Sanctuary', message: 'insufficient access rights on cross-reference id: 001XYZ', variant: 'error' }
        ]);
        expect(row(el, 'a0B1')).not.toBeNull();
        expect(row(el, 'a0B1').querySelector('lightning-record-picker')).not.toBeNull();
    });

    it('more than 50 waiting points to the list views; a GraphQL error is shown', async () => {
        const el = mount();
        graphql.emit(queue(130, customer('a0B1', 'Amy’s Bird Sanctuary', 'Unmapped', null)));
        await flush();
        expect(el.shadowRoot.querySelector('.more').textContent).toContain('The "Unmapped" and "Ambiguous" list views');
        graphql.emitErrors([{ message: 'No such column Suggested_Account__c' }]);
        await flush();
        expect(el.shadowRoot.querySelector('.error').textContent).toBe('Could not read the QBO Customers: No such column Suggested_Account__c');
    });
});
