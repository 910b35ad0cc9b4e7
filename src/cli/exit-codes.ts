/** Exit codes of contract §2. */
export const EXIT = {
  /** Every record succeeded. */
  ok: 0,
  /** The run could not complete (configuration, authentication, package not deployed…). */
  failed: 1,
  /** The run finished but some records failed (listed in the summary). */
  partial: 2,
} as const
