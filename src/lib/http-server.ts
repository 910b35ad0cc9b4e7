/**
 * @module lib/http-server
 * Serves a Hono app over real HTTP (default 127.0.0.1). Port 0 picks a free port (tests). The
 * Hub and the webhook receiver listen through it; the emulators use it too (the one module of
 * src/ they may import: it carries no assumption about either vendor's API).
 */
import { serve } from '@hono/node-server'
import type { Env, Hono } from 'hono'
import type { AddressInfo } from 'node:net'

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

export function listen<E extends Env>(app: Hono<E>, port = 0, host = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            // Keep-alive sockets would hold close() open; end them.
            const s = server as unknown as { closeAllConnections?: () => void }
            server.close(() => done())
            s.closeAllConnections?.()
          }),
      })
    })
    server.once('error', reject)
  })
}
