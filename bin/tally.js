#!/usr/bin/env -S node --
// The `tally` command. Tally runs its TypeScript sources through tsx's loader, so a clone works
// after `npm ci` with no build step (`tally start` builds the Hub's web app when it is missing).
// The `--` after `node` is needed: Node 20 scans every argument for `--env-file`, the script's
// own included, and exits 9 when that file is missing before Tally can say so (nodejs/node#54232);
// it stops scanning at `--`. Run it as `tally …`, `npx tally …` or `node -- bin/tally.js …`.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main.ts')
process.exitCode = await main(process.argv.slice(2))
