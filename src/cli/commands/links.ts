/**
 * @module cli/commands/links
 * `tally links …` (contract §10): the link queue from the command line — list, suggest, set,
 * accept, ignore / unignore, history, undo — through the same link service as the Hub, so every
 * change is written to Salesforce at once and recorded in the history (who = `cli:<OS user>`).
 * `--json` prints exactly the shapes of §10.
 */
import { userInfo } from 'node:os'
import { parseConfig } from '../../config/env.js'
import { NotFoundError } from '../../hub/services.js'
import { salesforceClient } from '../../jobs/connections.js'
import { createLinkService, QUEUE_STATUSES, type LinkService } from '../../jobs/links.js'
import { openTally, type Tally } from '../../jobs/tally.js'
import type { SalesforceClient } from '../../salesforce/index.js'
import type { CustomerView, LinkHistoryEntry } from '../../store/index.js'
import { failureText } from '../failure.js'
import { withEnvFile } from '../env-file.js'
import { EXIT } from '../exit-codes.js'
import type { CliIo } from '../io.js'

export interface LinksFlags {
  envFile?: string
  company?: string
  json?: boolean
  status?: string
  minScore?: number
  dryRun?: boolean
  limit?: number
}

export type LinksAction =
  | { kind: 'list' }
  | { kind: 'suggest' }
  | { kind: 'set'; key: string; accountId: string }
  | { kind: 'accept' }
  | { kind: 'ignore' | 'unignore'; key: string }
  | { kind: 'history' }
  | { kind: 'undo'; id: string }

/** Who a command-line change is by, in the history. */
function cliUser(): string {
  try {
    return `cli:${userInfo().username}`
  } catch {
    return 'cli'
  }
}

const STATUSES = ['Matched', 'Created', 'Manual', 'Inherited', 'Unmapped', 'Ambiguous', 'Ignored']

function viewJson(v: CustomerView) {
  return { qboKey: v.key, qboId: v.qboId, displayName: v.displayName, status: v.linkStatus, accountId: v.accountId, accountName: v.accountName, suggestions: v.suggestions ?? [] }
}

function historyJson(e: LinkHistoryEntry) {
  return { id: e.id, at: e.at, who: e.who, qboKey: e.qboKey, fromAccountId: e.fromAccountId, toAccountId: e.toAccountId, fromStatus: e.fromStatus, toStatus: e.toStatus, reason: e.reason }
}

function line(v: CustomerView): string {
  const best = v.suggestions?.[0]
  const s = best ? `  → ${best.accountName} (${best.score}: ${best.reasons.join('; ')})` : ''
  return `${v.key}  ${v.linkStatus ?? 'Unmapped'}  ${v.displayName}${v.accountName ? `  = ${v.accountName}` : ''}${s}`
}

export async function linksCommand(action: LinksAction, flags: LinksFlags, io: CliIo): Promise<number> {
  let tally: Tally | undefined
  const out = (human: string, json: unknown) => io.stdout(flags.json ? `${JSON.stringify(json)}\n` : human.endsWith('\n') || human === '' ? human : `${human}\n`)
  try {
    if (flags.status && !STATUSES.includes(flags.status)) {
      io.stderr(`--status takes one of ${STATUSES.join(', ')}; "${flags.status}" is not a link status.\n`)
      return EXIT.failed
    }
    const config = parseConfig(withEnvFile(io.env, io.cwd, flags.envFile), io.cwd)
    tally = await openTally(config)
    const t = tally
    let client: Promise<SalesforceClient> | null = null
    const links: LinkService = createLinkService(t, () => (client ??= salesforceClient(t)))
    const who = cliUser()
    const realmId = flags.company
    switch (action.kind) {
      case 'list': {
        const rows = await links.list(flags.status ? [flags.status] : QUEUE_STATUSES, realmId)
        out(rows.map(line).join('\n') + (rows.length ? '\n' : `No records are ${flags.status ?? 'Unmapped or Ambiguous'}.\n`), rows.map(viewJson))
        return EXIT.ok
      }
      case 'suggest': {
        const r = await links.suggest(realmId)
        const suggested = r.records.filter((x) => x.suggestions.length > 0).length
        out(
          `${r.records.map((x) => `${x.qboKey}  ${x.displayName}: ${x.suggestions.map((s) => `${s.accountName} (${s.score})`).join(', ') || 'no suggestion'}`).join('\n')}\nSuggestions for ${suggested} of ${r.records.length} waiting records (${r.salesforceCalls} Salesforce API calls).\n`,
          r.records,
        )
        return EXIT.ok
      }
      case 'set': {
        const v = await links.change(action.key, { accountId: action.accountId, status: 'Manual', who, reason: 'linked by hand with tally links set' })
        out(`Linked ${v.displayName} (${v.key}) to ${v.accountName ?? v.accountId} (Manual).`, viewJson(v))
        return EXIT.ok
      }
      case 'accept': {
        const accepted = await links.acceptAll({ ...(flags.minScore !== undefined ? { minScore: flags.minScore } : {}), dryRun: flags.dryRun ?? false, ...(realmId ? { realmId } : {}), who })
        const verb = flags.dryRun ? 'Would link' : 'Linked'
        out(
          `${accepted.map((a) => `${verb} ${a.displayName} (${a.key}) to ${a.accountName} (score ${a.score})`).join('\n')}${accepted.length ? '\n' : ''}${verb} ${accepted.length} record${accepted.length === 1 ? '' : 's'} to their best suggestion (score ≥ ${flags.minScore ?? 90})${flags.dryRun ? '; nothing was changed (--dry-run)' : ''}.\n`,
          accepted.map((a) => ({ qboKey: a.key, qboId: a.qboId, displayName: a.displayName, accountId: a.accountId, accountName: a.accountName, score: a.score })),
        )
        return EXIT.ok
      }
      case 'ignore':
      case 'unignore': {
        const v = action.kind === 'ignore' ? await links.ignore(action.key, who) : await links.unignore(action.key, who)
        out(action.kind === 'ignore' ? `Ignored ${v.displayName} (${v.key}): it is never linked, suggested or given an Account until a person links it.` : `${v.displayName} (${v.key}) is no longer ignored; the next run links it by the rules.`, viewJson(v))
        return EXIT.ok
      }
      case 'history': {
        const page = await links.history({ ...(realmId ? { realmId } : {}), page: 1, pageSize: flags.limit ?? 50 })
        out(page.items.map((e) => `${e.id}  ${e.at}  ${e.who}  ${e.displayName} (${e.qboKey}): ${e.fromAccountName ?? e.fromAccountId ?? '—'} [${e.fromStatus ?? '—'}] → ${e.toAccountName ?? e.toAccountId ?? '—'} [${e.toStatus ?? '—'}]  ${e.reason}${e.undoneBy ? '  (undone)' : ''}`).join('\n') + (page.items.length ? '\n' : 'No link changes yet.\n'), page.items.map(historyJson))
        return EXIT.ok
      }
      case 'undo': {
        const e = await links.undo(action.id, who)
        out(`Undone: ${e.displayName} (${e.qboKey}) is linked to ${e.toAccountName ?? e.toAccountId ?? 'no Account'} again, as Manual.`, historyJson(e))
        return EXIT.ok
      }
    }
    return EXIT.failed
  } catch (e) {
    if (e instanceof NotFoundError) {
      io.stderr(`${e.message}\n`)
      return EXIT.failed
    }
    io.stderr(`${failureText(e).replace('Tally could not complete the run', 'Tally could not change the links')}\n`)
    return EXIT.failed
  } finally {
    await tally?.close()
  }
}
