/** @module store/tables/login-attempts — failed sign-ins per key (user, address) for lockout. */
import type { Selectable } from 'kysely'

export interface LoginAttemptsTable {
  key: string
  failures: number
  first_failure_at: string
  locked_until: string | null
}

export type LoginAttemptRow = Selectable<LoginAttemptsTable>
