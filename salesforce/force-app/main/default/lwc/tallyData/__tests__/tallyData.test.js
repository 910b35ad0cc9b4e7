import { errorMessage, formatGroups, parseGroups } from 'c/tallyData';

describe('c/tallyData', () => {
    it('reads Synced_Field_Groups__c: empty is every group, unknown ids are dropped', () => {
        expect(parseGroups('')).toHaveLength(9);
        expect(parseGroups(null)).toHaveLength(9);
        expect(parseGroups('billing; names;nonsense')).toEqual(['names', 'billing']);
    });

    it('writes the ids in catalogue order, every group as empty', () => {
        expect(formatGroups(['billing', 'names'])).toBe('names;billing');
        expect(formatGroups(parseGroups(''))).toBe('');
    });

    it('turns UI API and GraphQL failures into one sentence', () => {
        expect(errorMessage({ body: { message: 'm', output: { errors: [{ message: 'A' }], fieldErrors: { F__c: [{ message: 'B' }] } } } })).toBe('A; F__c: B');
        expect(errorMessage({ body: { message: 'Only this' } })).toBe('Only this');
        expect(errorMessage({ body: [{ message: 'one' }, { message: 'two' }] })).toBe('one; two');
        expect(errorMessage([{ message: 'gql' }])).toBe('gql');
        expect(errorMessage(new Error('network'))).toBe('network');
    });
});
