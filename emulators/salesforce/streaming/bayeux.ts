/**
 * @module emulators/salesforce/streaming/bayeux
 * The Streaming API's CometD endpoint, `POST /cometd/{version}`, as jsforce 3.10.16's Faye client
 * uses it (long-polling, one message per POST since jsforce turns batching off; a JSON array of
 * Bayeux messages in, a JSON array of replies out):
 * - `/meta/handshake` → a `clientId`, `supportedConnectionTypes: ["long-polling"]`, advice
 *   `{reconnect: "retry", interval: 0, timeout: 110000}`, `ext: {replay: true, "payload.format": true}`;
 *   an invalid session → `401::Authentication invalid` with advice `reconnect: "none"`;
 * - `/meta/subscribe` to `/topic/<PushTopic Name>` (an active PushTopic, else
 *   `400::The channel you requested to subscribe to does not exist {/topic/X}`), with the replay
 *   extension `ext.replay[channel]`: -1 new events only (the default), -2 every retained one, N
 *   those after replay id N;
 * - `/meta/connect` → held until an event arrives or the advice timeout (110 s) passes, then the
 *   events and the connect reply; the first connect after a handshake is answered at once; a
 *   client not seen for 40 s after a delivery (or unknown) gets `403::Unknown client` with advice
 *   `reconnect: "handshake"`, and Faye handshakes and subscribes again;
 * - `/meta/unsubscribe`, `/meta/disconnect`.
 * Events come from ./push-topics.ts for every change made through the API.
 * https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/using_streaming_api_client_connection.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/using_streaming_api_timeouts.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/using_streaming_api_durability.htm
 * https://docs.cometd.org/current/reference/#_bayeux (Bayeux 1.0 message fields)
 */
import { randomBytes } from 'node:crypto'
import type { Context, Hono } from 'hono'
import type { SfState } from '../state.js'
import { pushTopicEvents, type StreamEvent } from './push-topics.js'

export interface StreamingOptions {
  /** How long a `/meta/connect` is held with no event (Salesforce: 110 s). */
  connectTimeoutMs?: number
  /** A client that has not reconnected within this after a delivery is forgotten (Salesforce: 40 s). */
  clientExpiryMs?: number
}

interface Client {
  id: string
  channels: Set<string>
  queue: StreamEvent[]
  connects: number
  lastSeen: number
  waiting: { release: () => void } | null
}

interface BayeuxMessage {
  channel?: string
  id?: string
  clientId?: string
  subscription?: string
  ext?: { replay?: Record<string, number> }
}

/** Events kept per channel for replay (Salesforce keeps PushTopic events 24 hours). */
const RETAINED = 1000
const RETENTION_MS = 24 * 3600_000

export interface StreamingState {
  clients: Map<string, Client>
  retained: Map<string, StreamEvent[]>
  replayIds: Map<string, number>
  /** Releases every held connect (the server is closing). */
  closeAll(): void
  reset(): void
}

export function registerStreaming(app: Hono, s: SfState, o: StreamingOptions = {}): StreamingState {
  const connectTimeout = o.connectTimeoutMs ?? 110_000
  const expiry = o.clientExpiryMs ?? 40_000
  const st: StreamingState = {
    clients: new Map(),
    retained: new Map(),
    replayIds: new Map(),
    closeAll() {
      for (const c of st.clients.values()) c.waiting?.release()
    },
    reset() {
      st.closeAll()
      st.clients.clear()
      st.retained.clear()
      st.replayIds.clear()
    },
  }

  const deliver = (e: StreamEvent) => {
    const kept = st.retained.get(e.channel) ?? []
    kept.push(e)
    const cutoff = s.options.now().getTime() - RETENTION_MS
    while (kept.length > RETAINED || (kept[0] && Date.parse(kept[0].data.event.createdDate) < cutoff)) kept.shift()
    st.retained.set(e.channel, kept)
    for (const c of st.clients.values()) {
      if (!c.channels.has(e.channel)) continue
      c.queue.push(e)
      c.waiting?.release()
    }
  }

  s.store.listeners.push((objectName, before, after) => {
    pushTopicEvents(s.store, objectName, before, after, {
      version: '62.0',
      now: s.options.now(),
      nextReplayId: (channel) => {
        const n = (st.replayIds.get(channel) ?? 0) + 1
        st.replayIds.set(channel, n)
        return n
      },
      emit: deliver,
    })
  })

  const advice = { reconnect: 'retry', interval: 0, timeout: connectTimeout }
  const unknownClient = (m: BayeuxMessage) => ({
    channel: m.channel,
    id: m.id,
    successful: false,
    error: '403::Unknown client',
    advice: { reconnect: 'handshake', interval: 500 },
  })
  const now = () => Date.now()
  const live = (id: string | undefined): Client | undefined => {
    const c = id ? st.clients.get(id) : undefined
    if (c && !c.waiting && now() - c.lastSeen > expiry) {
      st.clients.delete(c.id)
      return undefined
    }
    return c
  }

  async function handle(m: BayeuxMessage): Promise<unknown[]> {
    switch (m.channel) {
      case '/meta/handshake': {
        const id = randomBytes(12).toString('base64url')
        st.clients.set(id, { id, channels: new Set(), queue: [], connects: 0, lastSeen: now(), waiting: null })
        return [{ channel: m.channel, id: m.id, version: '1.0', minimumVersion: '1.0', clientId: id, supportedConnectionTypes: ['long-polling'], successful: true, advice, ext: { replay: true, 'payload.format': true } }]
      }
      case '/meta/subscribe': {
        const c = live(m.clientId)
        if (!c) return [unknownClient(m)]
        c.lastSeen = now()
        const sub = m.subscription ?? ''
        const name = /^\/topic\/(.+)$/.exec(sub)?.[1]
        const topic = name && s.store.all('PushTopic').find((t) => !t.IsDeleted && t.IsActive !== false && String(t.Name) === name)
        if (!topic) {
          return [{ channel: m.channel, id: m.id, clientId: c.id, subscription: sub, successful: false, error: `400::The channel you requested to subscribe to does not exist {${sub}}` }]
        }
        c.channels.add(sub)
        const from = m.ext?.replay?.[sub] ?? -1
        if (from !== -1) c.queue.push(...(st.retained.get(sub) ?? []).filter((e) => from === -2 || e.data.event.replayId > from))
        return [{ channel: m.channel, id: m.id, clientId: c.id, subscription: sub, successful: true }]
      }
      case '/meta/unsubscribe': {
        const c = live(m.clientId)
        if (!c) return [unknownClient(m)]
        c.channels.delete(m.subscription ?? '')
        return [{ channel: m.channel, id: m.id, clientId: c.id, subscription: m.subscription, successful: true }]
      }
      case '/meta/disconnect': {
        const c = live(m.clientId)
        c?.waiting?.release()
        if (c) st.clients.delete(c.id)
        return [{ channel: m.channel, id: m.id, clientId: m.clientId, successful: true }]
      }
      case '/meta/connect': {
        const c = live(m.clientId)
        if (!c) return [unknownClient(m)]
        c.waiting?.release()
        c.connects += 1
        if (c.queue.length === 0 && c.connects > 1) {
          await new Promise<void>((resolve) => {
            // A held poll must not keep the process alive on its own.
            const timer = setTimeout(() => release(), connectTimeout)
            timer.unref()
            const release = () => {
              clearTimeout(timer)
              if (c.waiting?.release === release) c.waiting = null
              resolve()
            }
            c.waiting = { release }
          })
        }
        c.lastSeen = now()
        const events = c.queue.splice(0)
        return [...events, { channel: m.channel, id: m.id, clientId: c.id, successful: true, advice }]
      }
      default:
        return [{ channel: m.channel, id: m.id, successful: false, error: `400::Unsupported channel ${m.channel ?? ''}` }]
    }
  }

  app.post('/cometd/:version', async (c: Context) => {
    const bearer = c.req.header('authorization')?.replace(/^(Bearer|OAuth) /i, '') ?? ''
    const session = s.accessTokens.get(bearer)
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      return c.json([{ successful: false, error: '400::Bad JSON' }], 400)
    }
    const messages = (Array.isArray(body) ? body : [body]) as BayeuxMessage[]
    if (!session || session.expiresAt <= s.options.now().getTime()) {
      return c.json(messages.map((m) => ({ channel: m.channel, id: m.id, successful: false, error: '401::Authentication invalid', advice: { reconnect: 'none' } })), 401)
    }
    s.stats.count(`streaming${messages[0]?.channel ?? ''}`.replace(/\//g, '.'))
    const replies: unknown[] = []
    for (const m of messages) replies.push(...(await handle(m)))
    return c.json(replies)
  })
  return st
}
