/**
 * @module emulators/salesforce/ids
 * Salesforce record Ids: a 3-character key prefix, then a 12-character body, then the 3-character
 * case-safe suffix that turns the case-sensitive 15-character Id into the 18-character one the
 * REST API returns. The suffix algorithm is the documented one (each 5-character chunk → a 5-bit
 * mask of which characters are upper-case → one of `A–Z0–5`).
 * https://help.salesforce.com/s/articleView?id=000385585 (15 vs 18 character Ids)
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** The three suffix characters for a 15-character Id. */
export function idSuffix(id15: string): string {
  let out = ''
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i)
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i
    }
    out += SUFFIX_ALPHABET.charAt(bits)
  }
  return out
}

export const to18 = (id15: string): string => id15 + idSuffix(id15)

/**
 * Accepts a 15- or 18-character Id as Salesforce does and returns the canonical 18-character form,
 * or undefined when it is not a well-formed Id (wrong length, bad characters, wrong suffix).
 */
export function normalizeId(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[a-zA-Z0-9]+$/.test(value)) return undefined
  if (value.length === 15) return to18(value)
  if (value.length === 18) {
    const id15 = value.slice(0, 15)
    return idSuffix(id15) === value.slice(15).toUpperCase() ? to18(id15) : undefined
  }
  return undefined
}

/** Makes Ids with a fixed pod segment and a running counter, e.g. `001dM00000Ab12cQAC`. */
export class IdFactory {
  private counter: number

  constructor(seed = 0) {
    // Start somewhere non-trivial so Ids look like real ones, reproducibly.
    this.counter = 100_000 + (seed % 1_000_000)
  }

  next(keyPrefix: string): string {
    this.counter += 1
    let n = this.counter
    let body = ''
    for (let i = 0; i < 9; i++) {
      body = BASE62.charAt(n % 62) + body
      n = Math.floor(n / 62)
    }
    // prefix (3) + instance "dM" (2) + reserved "0" (1) + 9 base-62 characters = 15.
    return to18(`${keyPrefix}dM0${body}`)
  }
}
