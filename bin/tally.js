#!/usr/bin/env node
// The `tally` command. Tally runs its TypeScript sources through tsx's loader, so a clone works
// after `npm ci` with no build step (`tally start` builds the Hub's web app when it is missing).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main.ts')
process.exitCode = await main(process.argv.slice(2))
