/**
 * @module emulators/shared/stats
 * Request counters behind `GET /__sandbox/stats` (contract §7): every API request received,
 * OAuth included, by operation.
 */
export class RequestStats {
  requests = 0
  byOperation: Record<string, number> = {}
  /** Requests that changed records, with the objects each changed (Salesforce sandbox). */
  writes: { operation: string; objects: string[] }[] = []

  recordWrite(operation: string, objects: string[]): void {
    this.writes.push({ operation, objects })
  }

  count(operation: string): void {
    this.requests += 1
    this.byOperation[operation] = (this.byOperation[operation] ?? 0) + 1
  }

  reset(): void {
    this.requests = 0
    this.byOperation = {}
    this.writes = []
  }

  toJSON(): { requests: number; byOperation: Record<string, number> } {
    return { requests: this.requests, byOperation: { ...this.byOperation } }
  }
}
