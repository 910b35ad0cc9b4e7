/**
 * @module cli/progress
 * A one-line progress bar on stderr when stderr is a terminal (contract §2); silent otherwise.
 */
import type { Progress } from '../sync/ports.js'

const PHASES: Record<Progress['phase'], string> = {
  reading: 'Reading QuickBooks and Salesforce',
  planning: 'Planning',
  writing: 'Writing to Salesforce',
  done: 'Done',
}

export function progressBar(write: (s: string) => void, enabled: boolean): { update(p: Progress): void; end(): void } {
  let last = ''
  return {
    update(p) {
      if (!enabled) return
      const width = 30
      const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 0
      const bar = p.total > 0 ? `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}] ${p.done}/${p.total}` : p.done > 0 ? `${p.done}` : ''
      const line = `${PHASES[p.phase]} ${bar}`.trimEnd()
      if (line === last) return
      last = line
      write(`\r\x1b[2K${line}`)
    },
    end() {
      if (enabled && last !== '') write('\r\x1b[2K')
    },
  }
}
