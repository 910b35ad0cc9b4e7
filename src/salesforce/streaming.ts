/**
 * @module salesforce/streaming
 * PushTopics and their Streaming API channel through jsforce 3.10.16's streaming client (Faye over
 * CometD long-polling at `{instanceUrl}/cometd/{version}`): `ensurePushTopic` makes sure the topic
 * exists with the wanted query (one SOQL, plus one create or update when it is missing or
 * different); `subscribeTopic` listens on `/topic/<Name>` and reports the connection going down
 * and up, and an invalid session (handshake or connect answered with advice `reconnect: none`,
 * jsforce's AuthFailure extension) after which a new subscription must be made.
 * https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/working_with_pushtopics.htm
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_pushtopic.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/using_streaming_api_client_connection.htm
 */
import { StreamingExtension } from 'jsforce/lib/api/streaming.js'
import type { SalesforceClient } from './client.js'
import { soql } from './soql.js'

export interface PushTopicDefinition {
  /** At most 25 characters. */
  name: string
  /** Must select Id. */
  query: string
  apiVersion: number
}

export interface TopicEvent {
  type: 'created' | 'updated' | 'deleted' | 'undeleted'
  replayId: number
  sobject: Record<string, unknown>
}

export interface TopicSubscription {
  /** Unsubscribes and disconnects (waiting up to 2 s for the server), then drops whatever Faye
   * would still retry, so that nothing keeps the process alive afterwards. */
  cancel(): Promise<void>
}

/** Creates the PushTopic, or brings its query back to the wanted one; says which it did. */
export async function ensurePushTopic(sf: SalesforceClient, def: PushTopicDefinition): Promise<'unchanged' | 'created' | 'updated'> {
  const rows = await sf.query<{ Id: string; Query: string; IsActive: boolean }>(soql`SELECT Id, Query, IsActive FROM PushTopic WHERE Name = ${def.name}`)
  const fields = {
    Query: def.query,
    ApiVersion: def.apiVersion,
    IsActive: true,
    NotifyForFields: 'Referenced',
    NotifyForOperationCreate: true,
    NotifyForOperationUpdate: true,
    NotifyForOperationDelete: false,
    NotifyForOperationUndelete: false,
  }
  const existing = rows[0]
  if (!existing) {
    await sf.create('PushTopic', { Name: def.name, ...fields })
    return 'created'
  }
  if (existing.Query === def.query && existing.IsActive) return 'unchanged'
  await sf.patchRecord('PushTopic', existing.Id, fields)
  return 'updated'
}

interface RawMessage {
  event?: { type?: TopicEvent['type']; replayId?: number }
  sobject?: Record<string, unknown>
}

/** Subscribes to `/topic/<name>`. `onDown`/`onUp` follow the long-polling connection;
 * `onAuthFailure` means the session is gone: cancel, refresh, subscribe again. */
export async function subscribeTopic(
  sf: SalesforceClient,
  name: string,
  onEvent: (e: TopicEvent) => void,
  o: { onDown?: () => void; onUp?: () => void; onAuthFailure?: () => void } = {},
): Promise<TopicSubscription> {
  const conn = await sf.jsforce()
  const client = conn.streaming.createClient([new StreamingExtension.AuthFailure(() => o.onAuthFailure?.())])
  const faye = client as unknown as {
    on(event: string, fn: () => void): void
    disconnect(): { then(ok: () => void, ko: () => void): void } | undefined
    _dispatcher: { _envelopes: Map<string, { timer: NodeJS.Timeout | null }>; close(): void }
  }
  if (o.onDown) faye.on('transport:down', o.onDown)
  if (o.onUp) faye.on('transport:up', o.onUp)
  const subscription = client.subscribe(`/topic/${name}`, (m: unknown) => {
    const msg = m as RawMessage
    onEvent({ type: msg.event?.type ?? 'updated', replayId: msg.event?.replayId ?? 0, sobject: msg.sobject ?? {} })
  })
  // The subscribe reply settles the subscription: a missing topic rejects here.
  await new Promise<void>((resolve, reject) => {
    const s = subscription as unknown as { then(ok: () => void, ko: (e: unknown) => void): void }
    s.then(resolve, (e) => {
      void faye.disconnect()
      reject(e instanceof Error ? e : new Error(`Streaming API refused /topic/${name}: ${JSON.stringify(e)}`))
    })
  })
  return {
    async cancel() {
      subscription.cancel()
      const sent = faye.disconnect()
      await Promise.race([
        new Promise<void>((done) => (sent ? sent.then(done, done) : done())),
        new Promise<void>((done) => setTimeout(done, 2000).unref()),
      ])
      // Faye retries a message whose request failed, forever: after a disconnect nothing is owed.
      const d = faye._dispatcher
      for (const e of d._envelopes.values()) if (e.timer) clearTimeout(e.timer)
      d._envelopes.clear()
      d.close()
    },
  }
}
