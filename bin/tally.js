#!/usr/bin/env node
// The `tally` command. Tally runs its TypeScript sources through tsx's loader, so a clone works
// after `npm ci` with no build step (the Hub's web assets are built by `npm start`'s prestart).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main.ts')
process.exitCode = await main(process.argv.slice(2))
