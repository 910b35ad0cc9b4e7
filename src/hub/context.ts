/**
 * @module hub/context
 * The Hono environment the Hub's middleware and routes share, and the dependencies
 * `createHubApp` takes.
 */
import type { IncomingMessage } from 'node:http'
import type { Logger } from '../lib/logger.js'
import type { HubAuth, HubServices, SessionRecord } from './services.js'

export interface HubDeps {
  services: HubServices
  auth: HubAuth
  /** Folder of the built SPA; default `web/dist` of the repository. */
  webRoot?: string
  logger?: Logger
  /** Marks the session cookie Secure and sends HSTS (the Hub is served over https). */
  secureCookies?: boolean
  /** The Hub's public base URL, e.g. `http://127.0.0.1:3000`: its origin is the only one allowed
   * to make state-changing requests, and OAuth redirect URIs are built from it. */
  publicUrl: string
  /** Clock, for tests of session expiry and lock-out. */
  now?: () => Date
}

/** Dependencies after defaults are applied. */
export interface ResolvedDeps extends Required<Omit<HubDeps, 'webRoot'>> {
  webRoot: string
  /** `publicUrl` without a trailing slash. */
  baseUrl: string
  origin: string
}

export interface HubEnv {
  /** `@hono/node-server` passes the Node request as `incoming`. */
  Bindings: { incoming?: IncomingMessage }
  Variables: {
    /** The signed-in session, or null. */
    session: SessionRecord | null
  }
}
