/**
 * @module test/contract/qbo-intuit-oauth
 * intuit-oauth 4.2.5 (Intuit's Node OAuth client) against the emulator's token endpoint
 * (clients-and-recordings §1.3: endpoints are static class properties).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import OAuthClient from 'intuit-oauth'
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.js'
import { sampleSandboxData } from '../../emulators/shared/sample-data.js'

let server: { url: string; close(): Promise<void>; emulator: QboEmulator }
type Client = { refreshUsingToken(rt: string): Promise<{ json: Record<string, unknown> }> }
const Static = OAuthClient as unknown as { tokenEndpoint: string; environment: Record<string, string> }
let client: Client

beforeAll(async () => {
  server = await startQboEmulator({ data: sampleSandboxData().qbo })
  Static.tokenEndpoint = `${server.url}/oauth2/v1/tokens/bearer`
  Static.environment.sandbox = `${server.url}/`
  const Ctor = OAuthClient as unknown as new (cfg: Record<string, string>) => Client
  client = new Ctor({ clientId: 'sandbox-qbo-client-id', clientSecret: 'sandbox-qbo-client-secret', environment: 'sandbox', redirectUri: 'http://127.0.0.1/callback' })
})
afterAll(async () => server?.close())

describe('intuit-oauth against the QBO emulator', () => {
  it('refreshUsingToken rotates the pair; the superseded refresh token then fails with invalid_grant', async () => {
    const first = server.emulator.issueTokens()
    const res = await client.refreshUsingToken(first.refresh_token)
    expect(res.json).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8726400 })
    expect(res.json.refresh_token).not.toBe(first.refresh_token)
    expect(res.json.access_token).not.toBe(first.access_token)

    const err = (await client.refreshUsingToken(first.refresh_token).catch((e: unknown) => e)) as {
      error?: string; error_description?: string; intuit_tid?: string
    }
    expect(err.error).toBe('invalid_grant')
    expect(err.error_description).toBe('Incorrect or invalid refresh token')
    expect(err.intuit_tid).not.toBe('')

    const again = await client.refreshUsingToken(String(res.json.refresh_token))
    expect(again.json.access_token).toEqual(expect.any(String))
  })
})
