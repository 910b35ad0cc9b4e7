/**
 * @module store/codec
 * The store's portable column conventions, shared by every repository: instants are ISO 8601 UTC
 * text (`Date#toISOString`, fixed width, so text order is time order on both dialects), booleans
 * are integers 0/1, structured values are JSON text.
 */

export const toIso = (d: Date): string => d.toISOString()

export const fromIso = (s: string): Date => new Date(s)

export const toIsoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null)

export const fromIsoOrNull = (s: string | null): Date | null => (s === null ? null : new Date(s))

export const toBit = (b: boolean): number => (b ? 1 : 0)

export const fromBit = (n: number | boolean): boolean => n === 1 || n === true

/** `%term%` with LIKE's own characters (`%`, `_` and the escape `\`) taken literally; used with
 * `escape '\'` (a one-backslash literal on both dialects).
 * https://www.sqlite.org/lang_expr.html#like
 * https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-LIKE */
export function likeContains(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** Splits `items` into arrays of at most `size`, for batched statements. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
