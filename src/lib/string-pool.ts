/**
 * @module lib/string-pool
 * One copy of each string that repeats, for a large read kept in memory (a re-import's 100,000
 * records read back from Salesforce). A parser makes a new string for every cell, so a record holds
 * its name four times over (Name, Display_Name__c, Company_Name__c, Print_On_Check_Name__c), its
 * billing address again as its shipping address, and every record the same realm Id, currency and
 * state: each kept once, the records are some 40% smaller (README, "Memory").
 *
 * Two kinds of repetition, each found at little cost:
 * - within a record: a value equal to one already in it (a linear scan of its few strings);
 * - across records, by field: a field's values are pooled while the field has few distinct ones
 *   (MAX_DISTINCT); a field with more (an Id, a phone number, a name) stops being pooled, so the
 *   pool never holds what would not repeat.
 */

/** Past this many distinct values a field is no longer pooled across records. */
const MAX_DISTINCT = 1_000

export class StringPool {
  /** By field: its values so far, or null once it has too many distinct ones. */
  private readonly fields = new Map<string, Map<string, string> | null>()

  /** The same record with each repeated string value replaced by its one copy, in place. */
  dedupe<T extends object>(record: T): T {
    const seen: string[] = []
    const r = record as Record<string, unknown>
    for (const name of Object.keys(r)) {
      const v = r[name]
      if (typeof v !== 'string' || v === '') continue
      let one = seen.find((s) => s === v)
      if (one === undefined) {
        one = this.shared(name, v)
        seen.push(one)
      }
      // Equal strings are === in JavaScript: the assignment is what makes the record hold the
      // one copy (an existing property, so the object keeps its shape).
      r[name] = one
    }
    return record
  }

  /** The one copy of a value of this field (pooled as `dedupe` pools a record's). */
  value(field: string, value: string): string {
    return this.shared(field, value)
  }

  private shared(field: string, value: string): string {
    let values = this.fields.get(field)
    if (values === undefined) this.fields.set(field, (values = new Map()))
    if (values === null) return value
    const known = values.get(value)
    if (known !== undefined) return known
    if (values.size >= MAX_DISTINCT) {
      this.fields.set(field, null)
      return value
    }
    values.set(value, value)
    return value
  }
}
