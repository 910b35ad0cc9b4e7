/**
 * @module emulators/salesforce/validation-rules
 * Validation rules, as an admin adds them in Setup: a record whose field matches the rule's
 * condition is refused with FIELD_CUSTOM_VALIDATION_EXCEPTION, the rule's error message, and the
 * field in `fields` when the error is shown at a field (Salesforce Help, "Validation Rules";
 * REST API Developer Guide, "Status Codes and Error Responses"). The sandbox expresses a
 * condition as a case-insensitive regular expression over one field's value.
 */
import { sfError, type SfError } from './errors.js'
import type { Rec } from './store.js'

export interface ValidationRule {
  object: string
  field: string
  /** Regular expression (case-insensitive) the value must NOT match. */
  pattern: string
  message: string
}

export function checkValidationRules(rules: readonly ValidationRule[], object: string, rec: Rec): SfError[] {
  for (const r of rules) {
    if (r.object.toLowerCase() !== object.toLowerCase()) continue
    const v = rec[r.field]
    if (v === null || v === undefined) continue
    if (new RegExp(r.pattern, 'i').test(String(v))) return [sfError('FIELD_CUSTOM_VALIDATION_EXCEPTION', r.message, [r.field])]
  }
  return []
}
