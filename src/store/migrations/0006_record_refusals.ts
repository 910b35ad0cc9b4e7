/**
 * @module store/migrations/0006_record_refusals
 * What Salesforce refused for a customer for a reason that repeats (JSON: the refused write's
 * fingerprint, the Account name it would not create, the errors), so a run does not send the same
 * write again and again (README, "Errors that repeat").
 */
import type { Kysely, Migration } from 'kysely'

export const recordRefusals: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('record_states').addColumn('refused', 'text').execute()
  },
}
