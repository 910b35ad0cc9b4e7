/**
 * @module lib/provider
 * The services Tally connects to. One definition for the store's connection rows and locks, the
 * jobs that open clients, and the Hub's Connections routes.
 */
export const PROVIDERS = ['qbo', 'salesforce'] as const
export type Provider = (typeof PROVIDERS)[number]
