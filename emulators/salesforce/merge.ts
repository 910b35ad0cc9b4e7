/**
 * @module emulators/salesforce/merge
 * `merge()` as the SOAP API defines it (SOAP API Developer Guide, "merge()" and "MergeResult";
 * api-facts-salesforce-platform §4): one master and at most two records to merge into it, of an
 * object that supports merge (Account and Contact here; Lead and Case are not in this sandbox).
 * The master takes the field values given with it; every record whose lookup points at a merged
 * record is moved to the master (its Id is in `updatedRelatedIds`); the merged records are deleted
 * (Recycle Bin: `queryAll` sees them with `IsDeleted = true`) and keep `MasterRecordId` = the master.
 */
import { errors, sfError, type SfError } from './errors.js'
import { normalizeId } from './ids.js'
import type { Rec } from './store.js'
import { updateRecord, type WriteContext } from './writes.js'

/** Objects the sandbox can merge (SF-MERGE lists Account, Contact, Lead, Case). */
export const MERGEABLE = ['Account', 'Contact']
/** "up to three records of the same type": the master and two more (SF-MERGE). */
export const MAX_MERGED = 2

export interface MergeRequest {
  type: string
  masterId: string
  /** Field values the master takes (besides `type` and `Id`). */
  fields: Record<string, unknown>
  mergeIds: string[]
}

export interface MergeResult {
  success: boolean
  id: string | null
  mergedRecordIds: string[]
  updatedRelatedIds: string[]
  errors: SfError[]
}

const failed = (e: SfError, id: string | null = null): MergeResult => ({ success: false, id, mergedRecordIds: [], updatedRelatedIds: [], errors: [e] })

export function mergeRecords(ctx: WriteContext, req: MergeRequest): MergeResult {
  const obj = ctx.store.object(req.type)
  if (!obj || !MERGEABLE.includes(obj.name)) {
    return failed(sfError('INVALID_TYPE', `Merge is not supported for ${req.type}: merge Account, Contact, Lead or Case records`))
  }
  const masterId = normalizeId(req.masterId)
  const master = masterId ? ctx.store.get(obj.name, masterId) : undefined
  if (!master) return failed(errors.invalidCrossReference())
  if (master.IsDeleted) return failed(errors.entityIsDeleted(), master.Id)
  if (req.mergeIds.length === 0 || req.mergeIds.length > MAX_MERGED) {
    return failed(sfError('LIMIT_EXCEEDED', `A merge takes one to ${MAX_MERGED} records to merge into the master; ${req.mergeIds.length} were given`), master.Id)
  }
  const losers: Rec[] = []
  for (const raw of req.mergeIds) {
    const id = normalizeId(raw)
    const rec = id ? ctx.store.get(obj.name, id) : undefined
    if (!rec || rec.Id === master.Id) return failed(errors.invalidCrossReference(), master.Id)
    if (rec.IsDeleted) return failed(errors.entityIsDeleted(), master.Id)
    losers.push(rec)
  }
  if (Object.keys(req.fields).length > 0) {
    const r = updateRecord(ctx, obj, master.Id, req.fields)
    if (!r.success) return { success: false, id: master.Id, mergedRecordIds: [], updatedRelatedIds: [], errors: r.errors }
  }

  const now = ctx.now().getTime()
  const loserIds = new Set(losers.map((l) => l.Id))
  const updated: string[] = []
  // Children of the merged records move to the master: every lookup to this object, standard
  // (Contact.AccountId, Account.ParentId) and custom (QBO_Customer__c.Account__c) alike.
  for (const other of ctx.store.schema.objects.values()) {
    const refs = other.fields.filter((f) => f.type === 'reference' && f.name !== 'MasterRecordId' && f.referenceTo.includes(obj.name))
    if (refs.length === 0) continue
    for (const r of ctx.store.all(other.name)) {
      if (r.IsDeleted || loserIds.has(r.Id)) continue
      const hit = refs.filter((f) => typeof r[f.name] === 'string' && loserIds.has(r[f.name] as string))
      if (hit.length === 0) continue
      ctx.store.put(other.name, { ...r, ...Object.fromEntries(hit.map((f) => [f.name, master.Id])), LastModifiedDate: now, SystemModstamp: now, LastModifiedById: ctx.userId })
      updated.push(r.Id)
    }
  }
  for (const l of losers) {
    ctx.store.put(obj.name, { ...l, IsDeleted: true, MasterRecordId: master.Id, LastModifiedDate: now, SystemModstamp: now, LastModifiedById: ctx.userId })
  }
  return { success: true, id: master.Id, mergedRecordIds: losers.map((l) => l.Id), updatedRelatedIds: updated, errors: [] }
}
