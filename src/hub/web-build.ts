/**
 * @module hub/web-build
 * Where the Hub's single-page app is built (`web/dist`), and building it when it is missing: a
 * fresh clone started with `npx tally start` (no `npm start` prestart, no `npm run build:web`)
 * still opens a working Hub. Vite's JavaScript API with the same config as `npm run build:web`.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../lib/package-root.js'

/** The built app, as `createHubApp` serves it by default. */
export const WEB_ROOT = join(packageRoot(), 'web/dist')
const VITE_CONFIG = join(packageRoot(), 'web/vite.config.ts')

export function webAppBuilt(webRoot: string = WEB_ROOT): boolean {
  return existsSync(join(webRoot, 'index.html'))
}

/** Builds web/src into WEB_ROOT (https://vite.dev/guide/api-javascript#build). Loaded on demand:
 * a Hub whose app is built never loads Vite. */
export async function buildWebApp(): Promise<void> {
  const { build } = await import('vite')
  await build({ configFile: VITE_CONFIG, mode: 'production', logLevel: 'warn' })
}
