#!/usr/bin/env node
// Runs one TypeScript file through tsx's loader: `node bin/run-ts.js bench/import.bench.ts`.
import { register } from 'tsx/esm/api'
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'

register()
const [file, ...rest] = process.argv.slice(2)
if (!file) {
  console.error('usage: node bin/run-ts.js FILE.ts [args…]')
  process.exit(1)
}
process.argv = [process.argv[0], file, ...rest]
await import(pathToFileURL(resolve(file)).href)
