/**
 * @module lib/names
 * The one form in which Tally compares a customer's name with an Account's (contract §5.3): as
 * Salesforce compares text — case-insensitively — after trimming and collapsing white space, and
 * in Unicode NFC so that an accent typed as one character or as two is the same name. The sync's
 * matching and the Salesforce client's name lookups both use it, so they never disagree.
 */
export function normalizeName(name: string): string {
  return collapseSpaces(name.normalize('NFC')).toLocaleLowerCase('en-US')
}

export function sameName(a: string, b: string): boolean {
  return normalizeName(a) === normalizeName(b)
}

/** White space collapsed and trimmed: the spelling a name is compared and written in. */
export function collapseSpaces(name: string): string {
  return name.replace(/\s+/gu, ' ').trim()
}
