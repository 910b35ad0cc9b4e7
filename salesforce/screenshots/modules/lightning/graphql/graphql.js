/**
 * Stand-in for lightning/graphql: answers each query with the harness fixture named after the
 * query's operation (window.__harness.graphql.<operation>), as the org's UI API GraphQL would.
 */
export function gql(strings, ...values) {
    return strings.reduce((out, s, i) => out + s + (i < values.length ? values[i] : ''), '');
}

export class graphql {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
    }
    connect() {}
    disconnect() {}
    update(config) {
        this.config = config;
        const operation = /query\s+(\w+)/.exec(config.query)?.[1];
        const data = window.__harness.graphql[operation];
        // refresh() answers again from the fixture, which a write may have changed.
        const refresh = () => {
            this.update(this.config);
            return Promise.resolve();
        };
        this.dataCallback(data ? { data, errors: undefined, refresh } : { data: undefined, errors: [{ message: `no fixture for ${operation}` }], refresh });
    }
}
