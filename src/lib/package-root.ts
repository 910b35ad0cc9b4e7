/**
 * @module lib/package-root
 * The folder of Tally's own package.json (the repository), found from a module's URL by walking up.
 * A module may run from `src/` (tsx, vitest) or from the compiled copy `bin/tally.js` makes in
 * `.tally-build/<key>/` (bin/compile.js): a fixed `../..` from the module would be right in only one
 * of them, so the folders beside `src/` (salesforce/, web/) are found from here.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'tally'

export function packageRoot(moduleUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(moduleUrl))
  for (;;) {
    const file = join(dir, 'package.json')
    if (existsSync(file) && isTally(file)) return dir
    const up = dirname(dir)
    if (up === dir) throw new Error(`Tally's package.json was not found above ${fileURLToPath(moduleUrl)}`)
    dir = up
  }
}

function isTally(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME
  } catch {
    return false
  }
}
