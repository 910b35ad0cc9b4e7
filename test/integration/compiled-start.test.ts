// bin/compile.js: `tally` runs Tally's TypeScript compiled once per change of the sources. Built
// here from a small tree of its own, so the test owns what changes; bin/tally.js itself runs from
// such a build in every test that starts the command.
import { mkdtempSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain JavaScript module of bin/, without types
import { compiled } from '../../bin/compile.js'

const build = compiled as (root: string, entry: string) => Promise<string>
const roots: string[] = []
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true })
})

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'tally-compile-'))
  roots.push(root)
  mkdirSync(join(root, 'src/lib'), { recursive: true })
  mkdirSync(join(root, 'emulators'), { recursive: true })
  writeFileSync(join(root, 'package.json'), '{"name":"tally","type":"module"}')
  writeFileSync(join(root, 'src/lib/word.ts'), "export const word: string = 'one'\n")
  writeFileSync(join(root, 'src/main.ts'), "import { word } from './lib/word.js'\nimport { other } from '../emulators/other.js'\nexport const main = (): string => `${word} ${other}`\n")
  writeFileSync(join(root, 'src/main.unit.test.ts'), 'this is not TypeScript a build could read\n')
  writeFileSync(join(root, 'emulators/other.ts'), "export const other = 'two' as const\n")
  return root
}

const run = async (file: string): Promise<string> => ((await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as { main: () => string }).main()

describe('the compiled start (bin/compile.js)', () => {
  it('runs the sources compiled, across folders, without the tests', async () => {
    const root = tree()
    const out = await build(root, 'src/main.ts')
    expect(out.startsWith(join(root, '.tally-build/'))).toBe(true)
    expect(await run(out)).toBe('one two')
    expect(existsSync(out.replace('main.js', 'main.unit.test.js'))).toBe(false)
  })

  it('builds once for unchanged sources and again when one changes', async () => {
    const root = tree()
    const first = await build(root, 'src/main.ts')
    expect(await build(root, 'src/main.ts')).toBe(first)
    writeFileSync(join(root, 'src/lib/word.ts'), "export const word: string = 'three'\n")
    const later = new Date(Date.now() + 5_000)
    utimesSync(join(root, 'src/lib/word.ts'), later, later)
    const second = await build(root, 'src/main.ts')
    expect(second).not.toBe(first)
    expect(await run(second)).toBe('three two')
  })

  it('lets processes build at the same time, and keeps a few builds only', async () => {
    const root = tree()
    const outs = await Promise.all([1, 2, 3].map(() => build(root, 'src/main.ts')))
    expect(new Set(outs).size).toBe(1)
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(root, 'src/lib/word.ts'), `export const word: string = 'v${i}'\n`)
      const t = new Date(Date.now() + (i + 1) * 10_000)
      utimesSync(join(root, 'src/lib/word.ts'), t, t)
      expect(await run(await build(root, 'src/main.ts'))).toBe(`v${i} two`)
    }
    const left = readdirSync(join(root, '.tally-build'))
    expect(left.filter((d) => d.includes('.tmp-'))).toEqual([])
    expect(left.length).toBe(4)
  })
})
