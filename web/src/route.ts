/**
 * @module web/route
 * Hash routing: `#/sync`, `#/customers`, `#/history`, `#/connections` (with an optional `?query`, which the
 * OAuth callback uses to report the outcome of a connection).
 */
import { useEffect, useState } from 'react'

export type Route = 'sync' | 'customers' | 'history' | 'connections'
const ROUTES: readonly Route[] = ['sync', 'customers', 'history', 'connections']

function parse(hash: string): { route: Route; query: URLSearchParams } {
  const [path = '', qs = ''] = hash.replace(/^#\/?/, '').split('?')
  const route = (ROUTES as readonly string[]).includes(path) ? (path as Route) : 'sync'
  return { route, query: new URLSearchParams(qs) }
}

export function useHashRoute(): { route: Route; query: URLSearchParams } {
  const [state, setState] = useState(() => parse(window.location.hash))
  useEffect(() => {
    const on = () => setState(parse(window.location.hash))
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])
  return state
}

/** Drops the `?query` of the current hash without adding a history entry. */
export function clearHashQuery(): void {
  const [path] = window.location.hash.split('?')
  history.replaceState(null, '', `${window.location.pathname}${path ?? ''}`)
}
