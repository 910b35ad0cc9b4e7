/**
 * @module hub/static
 * Serves the built SPA from `web/dist`: files by path, `index.html` for every other non-API path
 * (hash routing needs only `/`, but a reload of any path still opens the app). Vite's hashed
 * `assets/*` are cached for a year; `index.html` is always revalidated.
 */
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { Context } from 'hono'
import type { HubEnv } from './context.js'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
}

async function fileIn(root: string, urlPath: string): Promise<string | null> {
  let rel: string
  try {
    rel = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  const full = normalize(join(root, rel))
  // Never serve outside the web root (`..`, encoded or not).
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null
  const s = await stat(full).catch(() => null)
  return s?.isFile() ? full : null
}

/** The GET handler for every path that is neither /api nor /oauth. */
export function serveSpa(webRoot: string) {
  return async (c: Context<HubEnv>): Promise<Response> => {
    const path = c.req.path === '/' ? '/index.html' : c.req.path
    const file = (await fileIn(webRoot, path)) ?? (await fileIn(webRoot, '/index.html'))
    if (!file) {
      return c.text('The Hub web app is not built. Run `npm run build:web`, then reload.', 503)
    }
    const body = await readFile(file)
    const hashed = file.includes(`${sep}assets${sep}`)
    return c.body(body, 200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
  }
}
