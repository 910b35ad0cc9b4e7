import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { packageRoot } from './package-root.js'

const root = mkdtempSync(join(tmpdir(), 'tally-root-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('packageRoot', () => {
  it('is the folder of this repository from its sources', () => {
    expect(packageRoot()).toBe(join(import.meta.dirname, '../..'))
  })

  it('is found from a compiled copy, past other packages', () => {
    writeFileSync(join(root, 'package.json'), '{"name":"tally"}')
    const deep = join(root, '.tally-build/0123/src/jobs')
    mkdirSync(deep, { recursive: true })
    // A package.json of another package on the way up is not Tally's.
    writeFileSync(join(root, '.tally-build/package.json'), '{"name":"other"}')
    expect(packageRoot(pathToFileURL(join(deep, 'package-deploy.js')).href)).toBe(root)
  })

  it('says so when there is none', () => {
    const lone = mkdtempSync(join(tmpdir(), 'tally-none-'))
    try {
      expect(() => packageRoot(pathToFileURL(join(lone, 'x.js')).href)).toThrow(/package.json was not found/)
    } finally {
      rmSync(lone, { recursive: true, force: true })
    }
  })
})
