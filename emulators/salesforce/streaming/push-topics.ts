/**
 * @module emulators/salesforce/streaming/push-topics
 * PushTopic events for changes made through the API: after every record write, each active
 * PushTopic on that object whose operation flag is on (NotifyForOperationCreate/Update/Delete/
 * Undelete) and whose SOQL query matches the record (after the change; before it for a delete)
 * yields an event on `/topic/<Name>` with the query's fields. An update notifies per
 * NotifyForFields: `All` any change, `Referenced` (the default) a change to a field the query
 * names, `Select`/`Where` a field of that clause. Event shape:
 * `{channel, data: {event: {type, createdDate, replayId}, sobject: {Id, …}}}`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/pushtopic_events_intro.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/event_notification_rules.htm
 */
import { compileQuery, runQuery } from '../soql/query.js'
import type { Store, Rec } from '../store.js'

export interface StreamEvent {
  channel: string
  data: { event: { type: 'created' | 'updated' | 'deleted' | 'undeleted'; createdDate: string; replayId: number }; sobject: Record<string, unknown> }
}

const words = (text: string): Set<string> => new Set((text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((w) => w.toLowerCase()))

/** Calls `emit` for every PushTopic event a write of `after` (previously `before`) causes. */
export function pushTopicEvents(
  store: Store,
  objectName: string,
  before: Rec | undefined,
  after: Rec,
  o: { version: string; now: Date; nextReplayId: (channel: string) => number; emit: (e: StreamEvent) => void },
): void {
  if (objectName === 'PushTopic') return
  const topics = store.all('PushTopic').filter((t) => !t.IsDeleted && t.IsActive !== false)
  if (topics.length === 0) return
  const type: StreamEvent['data']['event']['type'] | null = !before
    ? 'created'
    : !before.IsDeleted && after.IsDeleted
      ? 'deleted'
      : before.IsDeleted && !after.IsDeleted
        ? 'undeleted'
        : 'updated'
  for (const t of topics) {
    const flag = { created: 'NotifyForOperationCreate', updated: 'NotifyForOperationUpdate', deleted: 'NotifyForOperationDelete', undeleted: 'NotifyForOperationUndelete' }[type]
    if (t[flag] === false) continue
    let q
    try {
      q = compileQuery(store.schema, String(t.Query))
    } catch {
      continue
    }
    if (q.object.name !== objectName) continue
    if (type === 'updated' && before) {
      const changed = Object.keys(after).filter((k) => !['LastModifiedDate', 'SystemModstamp', 'LastModifiedById'].includes(k) && JSON.stringify(after[k]) !== JSON.stringify(before[k]))
      const query = String(t.Query)
      const where = /\bwhere\b([\s\S]*)$/i.exec(query)?.[1] ?? ''
      const select = /^\s*select\b([\s\S]*?)\bfrom\b/i.exec(query)?.[1] ?? ''
      const scope = String(t.NotifyForFields ?? 'Referenced')
      const watched = scope === 'All' ? null : words(scope === 'Select' ? select : scope === 'Where' ? where : `${select} ${where}`)
      if (watched && !changed.some((k) => watched.has(k.toLowerCase()))) continue
    }
    // Does the record satisfy the query (the deleted one as it was)?
    const rows = runQuery(store, q, { version: o.version, now: o.now, includeDeleted: type === 'deleted' }).rows
    const row = rows.find((r) => (r as { Id?: string }).Id === after.Id)
    if (!row) continue
    const { attributes: _a, ...sobject } = row as Record<string, unknown>
    const channel = `/topic/${String(t.Name)}`
    o.emit({ channel, data: { event: { type, createdDate: o.now.toISOString(), replayId: o.nextReplayId(channel) }, sobject } })
  }
}
