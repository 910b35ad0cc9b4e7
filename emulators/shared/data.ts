/**
 * @module emulators/shared/data
 * The sandbox data file of contract §7. Every field not given gets what QBO or Salesforce would
 * give; each emulator fills those in when it loads its half.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'

const wireObject = z.record(z.string(), z.unknown())

export const sandboxDataSchema = z.object({
  qbo: z
    .object({
      realmId: z.string().regex(/^\d+$/, 'realmId is digits').optional(),
      companyName: z.string().optional(),
      customers: z.array(wireObject).default([]),
      vendors: z.array(wireObject).default([]),
      employees: z.array(wireObject).default([]),
    })
    .default({ customers: [], vendors: [], employees: [] }),
  salesforce: z
    .object({
      accounts: z.array(wireObject).default([]),
      /** Optional pre-existing QBO_Customer__c records (for tests of later syncs). */
      qboCustomers: z.array(wireObject).default([]),
    })
    .default({ accounts: [], qboCustomers: [] }),
})

export type SandboxData = z.infer<typeof sandboxDataSchema>
export type WireObject = Record<string, unknown>

export async function loadDataFile(path: string): Promise<SandboxData> {
  const text = await readFile(path, 'utf8')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`, { cause: e })
  }
  const parsed = sandboxDataSchema.safeParse(json)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    throw new Error(`${path}: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid data file'}`)
  }
  return parsed.data
}
