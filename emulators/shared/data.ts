/**
 * @module emulators/shared/data
 * The sandbox data file of contract §7. Every field not given gets what QBO or Salesforce would
 * give; each emulator fills those in when it loads its half. `qbo` is one company, or an array of
 * companies (contract §9: several QuickBooks companies in the one QBO sandbox).
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'

const wireObject = z.record(z.string(), z.unknown())

const qboCompanySchema = z.object({
  realmId: z.string().regex(/^\d+$/, 'realmId is digits').optional(),
  companyName: z.string().optional(),
  customers: z.array(wireObject).default([]),
  vendors: z.array(wireObject).default([]),
  employees: z.array(wireObject).default([]),
})

export type QboCompanyData = z.infer<typeof qboCompanySchema>

const salesforceSchema = z
  .object({
    accounts: z.array(wireObject).default([]),
    /** Optional pre-existing QBO_Customer__c records (for tests of later syncs). */
    qboCustomers: z.array(wireObject).default([]),
  })
  .default({ accounts: [], qboCustomers: [] })

const oneCompanyFile = z.object({
  qbo: qboCompanySchema.default({ customers: [], vendors: [], employees: [] }),
  salesforce: salesforceSchema,
})
const companiesFile = z.object({
  qbo: z.array(qboCompanySchema).min(1, 'give at least one company'),
  salesforce: salesforceSchema,
})

export interface SandboxData {
  /** The (first) QuickBooks company. */
  qbo: QboCompanyData
  /** Every company, the first included, when there are several; absent means `[qbo]`. */
  qboCompanies?: QboCompanyData[]
  salesforce: z.infer<typeof salesforceSchema>
}

/** Both shapes of the file; which one is decided by `qbo` being an array, so that an error
 * names the field (`qbo.realmId`, `qbo.1.customers`) rather than "no shape matched". */
export const sandboxDataSchema = z.custom<unknown>().transform((raw, ctx): SandboxData => {
  const many = Array.isArray((raw as { qbo?: unknown } | null)?.qbo)
  const parsed = (many ? companiesFile : oneCompanyFile).safeParse(raw)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path as (string | number)[], message: issue.message })
    return z.NEVER
  }
  const d = parsed.data
  if (!Array.isArray(d.qbo)) return { qbo: d.qbo, salesforce: d.salesforce }
  const realms = d.qbo.map((c) => c.realmId).filter((r) => r !== undefined)
  const twice = realms.find((r, i) => realms.indexOf(r) !== i)
  if (twice) {
    ctx.addIssue({ code: 'custom', path: ['qbo'], message: `the realm ${twice} is given to two companies; give each its own` })
    return z.NEVER
  }
  return { qbo: d.qbo[0] as QboCompanyData, qboCompanies: d.qbo, salesforce: d.salesforce }
})

/** Every QuickBooks company of the data. */
export function qboCompaniesOf(d: SandboxData): QboCompanyData[] {
  return d.qboCompanies && d.qboCompanies.length > 0 ? d.qboCompanies : [d.qbo]
}

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
