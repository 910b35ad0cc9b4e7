#!/usr/bin/env node
// `npm start` prestart: build the Hub's single-page app once, so a fresh clone opens a working Hub.
// (`tally start` itself builds it too when it is missing, for `npx tally start`; this keeps the
// build's output in the terminal before the Hub's own lines.)
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

if (!existsSync(new URL('../web/dist/index.html', import.meta.url))) {
  const r = spawnSync('npm', ['run', 'build:web'], { stdio: 'inherit' })
  process.exit(r.status ?? 1)
}
