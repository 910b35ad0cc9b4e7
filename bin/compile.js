// Tally's TypeScript compiled once to plain JavaScript, for `bin/tally.js`. Running the sources
// through tsx's loader costs a big run about 60 MB of memory for as long as it lasts (Node 20 runs
// loader hooks in a thread of their own, and tsx keeps every module's transform and source map):
// a `tally import` starts at 158 MB RSS that way and at 97 MB from compiled files (README, "Memory").
//
// The files of src/ and emulators/ (not the tests) are transformed one by one with esbuild, as tsx
// would, into .tally-build/<key>/ in the package's folder, keeping their folders, so their relative
// imports and the packages they import resolve as from the sources. Not under node_modules: a clone
// whose node_modules is a link to another's would run that other's build and find its folders
// (Node resolves a module's path through links). The key is a hash of every file's path,
// size and time of change: an edited source makes a new build on the next start, an unchanged one
// starts at once. Several processes may build at the same time: each builds into a folder of its
// own and renames it into place, and the first one there is kept.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/** Where builds go, in the package root (git and the linters ignore it). */
export const BUILD_FOLDER = '.tally-build'
/** Folders compiled, relative to the package root. */
const FOLDERS = ['src', 'emulators']
/** Builds kept besides the newest (a process started earlier may still load modules from one). */
const KEPT = 3
/** Part of the key: a change to how this file builds makes every build new. */
const FORMAT = 1

/** Every TypeScript source of the folders, tests left out, with its size and time of change. */
function sources(root) {
  const out = []
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name)
      if (e.isDirectory()) walk(path)
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) {
        const s = statSync(path)
        out.push({ path, id: `${relative(root, path)}\0${s.size}\0${s.mtimeMs}` })
      }
    }
  }
  for (const f of FOLDERS) walk(join(root, f))
  return out.sort((a, b) => (a.id < b.id ? -1 : 1))
}

/**
 * The compiled copy of `entry` (a path under the root, e.g. `src/main.ts`), built when the sources
 * changed since the last build. Returns its file path.
 */
export async function compiled(root, entry) {
  const { build, version } = await import('esbuild')
  const files = sources(root)
  const hash = createHash('sha256').update(`${FORMAT}\0${version}\0${process.version}\0`)
  for (const f of files) hash.update(f.id).update('\n')
  const cache = join(root, BUILD_FOLDER)
  const dir = join(cache, hash.digest('hex').slice(0, 16))
  const out = join(dir, entry.replace(/\.ts$/, '.js'))
  if (existsSync(out)) return out
  mkdirSync(cache, { recursive: true })
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    // https://esbuild.github.io/api/#build — bundle: false transforms each file alone (imports
    // are left as written); the tsconfig.json next to the sources applies, as it does for tsx.
    await build({
      entryPoints: files.map((f) => f.path),
      outbase: root,
      outdir: tmp,
      bundle: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    })
    try {
      renameSync(tmp, dir)
    } catch (e) {
      // Another process put the same build in place first: it is the same files.
      if (!existsSync(out)) throw e
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  prune(cache, dir)
  return out
}

/** Removes builds but the newest few, and folders left by a build that was killed. */
function prune(cache, current) {
  try {
    const dirs = readdirSync(cache)
      .map((name) => join(cache, name))
      .filter((path) => path !== current)
      .map((path) => ({ path, at: statSync(path).mtimeMs }))
      .sort((a, b) => b.at - a.at)
    // A temporary folder may be another process's build under way: only an old one is left over.
    const old = Date.now() - 10 * 60_000
    const stale = dirs.filter((d) => d.path.includes('.tmp-') && d.at < old)
    const builds = dirs.filter((d) => !d.path.includes('.tmp-'))
    for (const d of [...stale, ...builds.slice(KEPT)]) rmSync(d.path, { recursive: true, force: true })
  } catch {
    // Pruning is tidiness only.
  }
}
