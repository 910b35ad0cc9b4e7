/**
 * @module salesforce
 * Tally's Salesforce client: the public surface other modules import.
 */
export { createSalesforceClient, DEFAULT_API_VERSION, COLLECTION_CHUNK } from './client.js'
export type { SalesforceClient, SalesforceClientOptions, SaveResult, ConnectionInfo } from './client.js'
export { SalesforceError, SalesforceAuthError, SalesforceConnectionError, SalesforceLimitError, PackageNotDeployedError, toSalesforceError } from './errors.js'
export { soql, soqlIdentifier, soqlFields, likePattern, joinSoql, escapeSoqlString, escapeSoqlLike, quoteSoql, encodeSoqlParam, Soql, MAX_SOQL_LENGTH } from './soql.js'
export type { SoqlValue } from './soql.js'
export { accountFates, accountsDeletedSince, countAccounts, listAllAccounts, findAccountsByNames, searchAccounts, upsertAccountsBySourceKey, createAccountsBySourceKey, accountsOf, findSuggestionCandidates, suggestionCandidateQueries } from './accounts.js'
export type { AccountFate, AccountRow, SuggestionTerms } from './accounts.js'
export { normalizeAccountName, sameAccountName, planAccountNameQueries, MAX_QUERY_PATH_BYTES } from './account-names.js'
export { listQboCustomerRecords, listSelectedQboCustomerRecords, selectQboCustomerRecords, listQboCustomerRecordsByStatus, upsertQboCustomers, setRecordLink, getQboCustomerRecord, qboCustomersOf, QBO_CUSTOMER } from './qbo-customers.js'
export type { QboCustomerRecord, RecordSelection } from './qbo-customers.js'
export { salesforceAuthorizeUrl, exchangeSalesforceCode } from './oauth.js'
export type { SalesforceTokens } from './oauth.js'
export { checkPackageDeployed, CHECKED_OBJECTS, PACKAGE_FIELDS, PACKAGE_OBJECT } from './package-check.js'
export type { DescribeResult, DescribeField } from './package-check.js'
export { bulkUpsert, toCsv, parseBulkError, SalesforceBulkJobError, BULK_NULL, BULK_UNPROCESSED, DEFAULT_BULK_POLL } from './bulk.js'
export type { BulkPoll, BulkUpsert } from './bulk.js'
export { COMPOSITE_MAX_QUERIES, COMPOSITE_MAX_SUBREQUESTS } from './client.js'
export type { CompositeResult, CompositeSubrequest } from './client.js'
export { createPart, describePart, patchPart, queryPart, sendParts } from './composite.js'
export type { CompositePart } from './composite.js'
