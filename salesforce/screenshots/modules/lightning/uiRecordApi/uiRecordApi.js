/** Stand-in for lightning/uiRecordApi: records each write in window.__harness.calls and succeeds. */
export function createRecord(recordInput) {
    window.__harness.calls.push({ createRecord: recordInput });
    window.__harness.onCreate?.(recordInput);
    return Promise.resolve({ id: 'a0D000000000043', apiName: recordInput.apiName, fields: {} });
}

export function updateRecord(recordInput) {
    window.__harness.calls.push({ updateRecord: recordInput });
    return Promise.resolve({ id: recordInput.fields.Id });
}
