/**
 * @module qbo
 * Tally's QuickBooks Online client: OAuth, tokens, typed errors, the query builder and customer
 * operations. Nothing here knows about Salesforce, the store or the sync engine.
 */
export { QboClient, type QboClientOptions, type QboRequestOptions, type QboStats } from './client.js'
export { CDC_MAX_AGE_DAYS, CDC_MAX_OBJECTS, type QboQueryResult } from './customers.js'
export * from './errors.js'
export { createQboOAuth, QBO_ACCOUNTING_SCOPE, type QboOAuth, type QboOAuthOptions } from './oauth.js'
export * as qboQuery from './query.js'
export { escapeString as escapeQboString, selectQuery, countQuery } from './query.js'
export { customerSchema, parseWire, type QboCustomer } from './schemas.js'
export { memoryTokenStore, type QboTokens, type QboTokenStore } from './tokens.js'
export { parseWebhook, verifyWebhookSignature, type WebhookChange } from './webhooks.js'
export { qboWebhookEndpoint, type WebhookEndpointOptions } from './webhook-endpoint.js'
export { QBO_LIMITS, type RequestGate } from './gate.js'
