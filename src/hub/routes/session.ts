/**
 * @module hub/routes/session
 * `GET|POST|DELETE /api/session`: who am I, sign in, sign out.
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import type { DeleteSession, GetSession, PostSession } from '../api-types.js'
import { logIn, logOut, sessionInfo } from '../auth.js'
import type { HubEnv, ResolvedDeps } from '../context.js'
import { parseOr400 } from '../errors.js'

const LoginBody = z.strictObject({
  username: z.string().max(200),
  password: z.string().max(1000),
})

export function registerSessionRoutes(app: Hono<HubEnv>, deps: ResolvedDeps): void {
  app.get('/api/session', (c) => c.json<GetSession['Success']>(sessionInfo(c.get('session'))))

  app.post('/api/session', async (c) => {
    const body = parseOr400(LoginBody, await c.req.json().catch(() => null), 'invalid_body')
    const info: PostSession['Success'] = await logIn(c, deps, body.username, body.password)
    return c.json(info)
  })

  app.delete('/api/session', async (c) => {
    await logOut(c, deps)
    return c.json<DeleteSession['Success']>({ ok: true })
  })
}
