/**
 * @module qbo/gate
 * What the QBO client asks before each request, so that every process of one Tally (the Hub, each
 * `tally worker`, a `tally import` in a terminal) together stays under Intuit's limits per realm:
 * 500 requests a minute and 10 at once (api-facts A.7; over them QBO answers 429 / 3001 and a
 * throttled app is slowed further). The in-process limiter keeps one client under 10; the gate is the
 * shared count (the store implements it).
 * https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features#limits-and-throttles
 */

export interface RequestGate {
  /** Runs `fn` once the realm has a free slot and this minute's allowance is not spent. */
  run<T>(realmId: string, fn: () => Promise<T>): Promise<T>
}

/** Intuit's documented limits per realm and app. */
export const QBO_LIMITS = { perMinute: 500, inFlight: 10 } as const
