/**
 * @module web/search
 * A search box's term, taken a moment (300 ms) after the last key. Only a changed term calls
 * `onNewTerm` (the pages go back to page 1 there): otherwise the first run, 300 ms after opening,
 * undid a quick click on Next.
 */
import { useEffect, useState } from 'react'

export function useSearchTerm(onNewTerm: () => void): { search: string; setSearch: (s: string) => void; term: string } {
  const [search, setSearch] = useState('')
  const [term, setTerm] = useState('')
  useEffect(() => {
    const next = search.trim()
    if (next === term) return
    const t = setTimeout(() => {
      setTerm(next)
      onNewTerm()
    }, 300)
    return () => clearTimeout(t)
    // onNewTerm is a page's setter call; the term alone decides when it runs.
  }, [search, term])
  return { search, setSearch, term }
}
