/**
 * @module lib/crypto
 * Secrets at rest and the Hub password. OAuth tokens are stored encrypted with AES-256-GCM under
 * `TALLY_SECRET_KEY` (contract §3), so a copy of the database alone reveals no token; the admin
 * password is kept only as a memory-hard scrypt hash. Built on `node:crypto` only.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { AppError, ConfigError } from './errors.js'

/** Encrypts and decrypts short secrets (tokens) with one key. */
export interface Cipher {
  /** `v1:<keyId>:<iv>:<tag>:<ciphertext>`, each part base64url; a fresh IV every call. */
  encrypt(plain: string): string
  /** Throws `DecryptError` when the key is not the one used, or the value was altered. */
  decrypt(token: string): string
}

/** A stored secret cannot be decrypted: wrong key, or corrupted/tampered value. */
export class DecryptError extends AppError {
  constructor(message: string) {
    super('decrypt', message)
  }
}

const VERSION = 'v1'
const KEY_BYTES = 32
const IV_BYTES = 12

/** A short public fingerprint of the key, so a wrong key is told apart from a tampered value. */
function keyId(key: Buffer): string {
  return createHash('sha256').update('tally-key-id').update(key).digest().subarray(0, 6).toString('base64url')
}

/** AES-256-GCM cipher for `key` (32 bytes, see `parseSecretKey`). */
export function createCipher(key: Buffer): Cipher {
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(`The secret key must be ${KEY_BYTES} bytes, got ${key.length}.`)
  }
  const kid = keyId(key)
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES)
      const c = createCipheriv('aes-256-gcm', key, iv)
      c.setAAD(Buffer.from(VERSION))
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      const parts = [iv, c.getAuthTag(), ct].map((b) => b.toString('base64url'))
      return [VERSION, kid, ...parts].join(':')
    },
    decrypt(token) {
      const parts = token.split(':')
      if (parts.length !== 5 || parts[0] !== VERSION) {
        throw new DecryptError('A stored secret is not in a format Tally knows (expected v1:…).')
      }
      const [, tokenKid, iv, tag, ct] = parts as [string, string, string, string, string]
      if (tokenKid !== kid) {
        throw new DecryptError(
          'A stored secret was encrypted with a different TALLY_SECRET_KEY; restore the original key ' +
            'or reconnect the service in the Hub.',
        )
      }
      try {
        const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
        d.setAAD(Buffer.from(VERSION))
        d.setAuthTag(Buffer.from(tag, 'base64url'))
        return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8')
      } catch {
        throw new DecryptError('A stored secret failed its integrity check: it was altered or corrupted.')
      }
    },
  }
}

const KEY_HELP =
  'TALLY_SECRET_KEY must be 32 bytes written as 64 hex characters or as base64 ' +
  '(generate one with `openssl rand -base64 32`).'

/** Parses a 32-byte key given as hex (64 chars) or base64/base64url (43–44 chars). */
export function parseSecretKey(text: string): Buffer {
  const s = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex')
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) {
    const key = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    if (key.length === KEY_BYTES) return key
  }
  throw new ConfigError(KEY_HELP)
}

/**
 * Reads the key file at `path`, or on first start generates 32 random bytes into it (base64,
 * mode 0600, folder created). `created` tells the caller to say so once.
 */
export async function loadOrCreateSecretKeyFile(path: string): Promise<{ key: Buffer; created: boolean }> {
  try {
    return { key: parseKeyFile(await readFile(path, 'utf8'), path), created: false }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 }) // owner only, like the store's folder
  const key = randomBytes(KEY_BYTES)
  try {
    // 'wx': never overwrite a key another process wrote a moment ago.
    await writeFile(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
    return { key, created: true }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    return { key: parseKeyFile(await readFile(path, 'utf8'), path), created: false }
  }
}

function parseKeyFile(text: string, path: string): Buffer {
  try {
    return parseSecretKey(text)
  } catch {
    throw new ConfigError(`The key file ${path} does not hold a valid key. ${KEY_HELP}`)
  }
}

// scrypt parameters (RFC 7914): N=2^15, r=8, p=1 needs 128·N·r·p = 32 MiB; maxmem leaves headroom.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 }
const HASH_BYTES = 32
const maxmemFor = (N: number, r: number, p: number) => 128 * N * r * p + 32 * 1024 * 1024

function scryptAsync(pw: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pw.normalize('NFC'), salt, HASH_BYTES, { N, r, p, maxmem: maxmemFor(N, r, p) }, (e, key) =>
      e ? reject(e) : resolve(key),
    )
  })
}

/** Hashes a password as `scrypt$N$r$p$<salt>$<hash>` (base64url). */
export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(16)
  const { N, r, p } = SCRYPT
  const hash = await scryptAsync(pw, salt, N, r, p)
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$')
}

/** True when `pw` matches `encoded`; false for a wrong password or a malformed hash. */
export async function verifyPassword(pw: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  // Bounds keep a crafted hash from asking for gigabytes of memory.
  const sane = Number.isInteger(N) && N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0
  const rpOk = Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16
  if (!sane || !rpOk) return false
  const expected = Buffer.from(parts[5] ?? '', 'base64url')
  if (expected.length !== HASH_BYTES) return false
  const actual = await scryptAsync(pw, Buffer.from(parts[4] ?? '', 'base64url'), N, r, p)
  return timingSafeEqual(actual, expected)
}

/** SHA-256 hex of a secret, for lookups and change detection without keeping the secret. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
