/** @module lib/crypto.unit.test — token encryption, key parsing, key file, password hashing. */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  DecryptError,
  createCipher,
  hashPassword,
  loadOrCreateSecretKeyFile,
  parseSecretKey,
  sha256Hex,
  verifyPassword,
} from './crypto.js'
import { ConfigError } from './errors.js'

describe('createCipher', () => {
  const key = randomBytes(32)
  const cipher = createCipher(key)

  it('round-trips, with a fresh IV each time and no plaintext in the output', () => {
    const secret = 'AB11-refresh-token-ünïcode'
    const a = cipher.encrypt(secret)
    const b = cipher.encrypt(secret)
    expect(a).not.toBe(b)
    expect(a.startsWith('v1:')).toBe(true)
    expect(a).not.toContain(secret)
    expect(cipher.decrypt(a)).toBe(secret)
    expect(cipher.decrypt(b)).toBe(secret)
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('')
  })

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const token = cipher.encrypt('secret value')
    const parts = token.split(':')
    for (const i of [2, 3, 4]) {
      const bytes = Buffer.from(parts[i]!, 'base64url')
      bytes[0] = bytes[0]! ^ 1
      const altered = [...parts.slice(0, i), bytes.toString('base64url'), ...parts.slice(i + 1)].join(':')
      expect(() => cipher.decrypt(altered)).toThrow(/altered or corrupted/)
    }
  })

  it('says clearly when the key is not the one the value was encrypted with', () => {
    const other = createCipher(randomBytes(32))
    const token = cipher.encrypt('secret value')
    expect(() => other.decrypt(token)).toThrow(DecryptError)
    expect(() => other.decrypt(token)).toThrow(/different TALLY_SECRET_KEY/)
  })

  it('rejects unknown formats and keys of the wrong size', () => {
    expect(() => cipher.decrypt('plain-text')).toThrow(DecryptError)
    expect(() => cipher.decrypt('v2:a:b:c:d')).toThrow(/format/)
    expect(() => createCipher(randomBytes(16))).toThrow(ConfigError)
  })
})

describe('parseSecretKey', () => {
  const key = randomBytes(32)

  it('accepts hex, base64 and base64url, trimming white space', () => {
    expect(parseSecretKey(key.toString('hex')).equals(key)).toBe(true)
    expect(parseSecretKey(` ${key.toString('base64')}\n`).equals(key)).toBe(true)
    expect(parseSecretKey(key.toString('base64url')).equals(key)).toBe(true)
  })

  it('rejects anything that is not 32 bytes with a message saying what to do', () => {
    for (const bad of ['', 'short', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), 'x'.repeat(64)]) {
      expect(() => parseSecretKey(bad)).toThrow(/TALLY_SECRET_KEY must be 32 bytes/)
    }
  })
})

describe('loadOrCreateSecretKeyFile', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true })
  })

  it('creates a 0600 key file (and its folder) once, then reads the same key back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tally-key-'))
    dirs.push(dir)
    const path = join(dir, 'nested', 'secret.key')
    const first = await loadOrCreateSecretKeyFile(path)
    expect(first.created).toBe(true)
    expect(first.key.length).toBe(32)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const second = await loadOrCreateSecretKeyFile(path)
    expect(second.created).toBe(false)
    expect(second.key.equals(first.key)).toBe(true)
    expect(parseSecretKey(await readFile(path, 'utf8')).equals(first.key)).toBe(true)
  })

  it('refuses a key file holding garbage, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tally-key-'))
    dirs.push(dir)
    const path = join(dir, 'secret.key')
    await writeFile(path, 'not a key')
    await expect(loadOrCreateSecretKeyFile(path)).rejects.toThrow(path)
  })
})

describe('hashPassword / verifyPassword', () => {
  it('verifies the right password and rejects others', async () => {
    const hash = await hashPassword('correct horse battery staple')
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/)
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true)
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false)
    expect(await verifyPassword('', hash)).toBe(false)
  })

  it('salts each hash and rejects malformed or hostile hashes', async () => {
    const a = await hashPassword('pw')
    const b = await hashPassword('pw')
    expect(a).not.toBe(b)
    expect(await verifyPassword('pw', 'plain')).toBe(false)
    expect(await verifyPassword('pw', a.replace('$32768$', '$1073741824$'))).toBe(false)
    expect(await verifyPassword('pw', a.slice(0, -4))).toBe(false)
  })
})

describe('sha256Hex', () => {
  it('is the hex SHA-256 digest', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})
