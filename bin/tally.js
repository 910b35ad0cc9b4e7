#!/usr/bin/env -S node --max-semi-space-size=8 --
// The `tally` command. A clone works after `npm ci` with no build step: Tally's TypeScript is
// compiled to JavaScript on the first start after a change (bin/compile.js, a fraction of a second)
// and run from there, which holds 60 MB less than running it through tsx's loader; when that build
// cannot be made, the sources run through tsx. (`tally start` builds the Hub's web app when it is
// missing.) The `--` after `node` is needed: Node 20 scans every argument for `--env-file`, the
// script's own included, and exits 9 when that file is missing before Tally can say so
// (nodejs/node#54232); it stops scanning at `--`. Run it as `tally …`, `npx tally …` or
// `node -- bin/tally.js …`.
//
// `--max-semi-space-size=8`: V8's young generation at 16 MB (two semi-spaces of 8 MB) instead of
// 32. Once grown it stays committed whatever the run holds: at 100,000 customers the peak is some
// 30 MB lower with it, for about 10% more CPU (README, "Memory"; 4 MB cost more in both). Node takes
// the flag only as it starts, so `tally` and `npx tally` take it from this line; run by hand,
// `node --max-semi-space-size=8 -- bin/tally.js …` is the same.
import { dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))

async function load() {
  try {
    const { compiled } = await import('./compile.js')
    return await import(pathToFileURL(await compiled(root, 'src/main.ts')).href)
  } catch {
    // No esbuild, or a source it cannot read: tsx runs the sources and reports what is wrong.
    const { register } = await import('tsx/esm/api')
    register()
    return await import('../src/main.ts')
  }
}

const { main } = await load()
process.exitCode = await main(process.argv.slice(2))
