/**
 * @module emulators/qbo/query-lang/lexer
 * Tokenizer for the QBO query language (I-QUERY: developer.intuit.com … /data-queries). Strings
 * are single-quoted with backslash escapes (`'Amy\'s Bird Sanctuary'` recorded to work: qbo_api
 * get/display_name.yml); double quotes are a lexical error (Addendum §1, misc/irregular_char.yml).
 * Keywords are case-insensitive: node-quickbooks sends `select * from customer … orderby …`.
 */
import { queryParseError } from '../errors.js'

export type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'punct' | 'eof'

export interface Token {
  kind: TokenKind
  text: string
  /** For strings: the unescaped value. */
  value: string
  /** 1-based column, as QBO's JavaCC messages report it. */
  column: number
}

const OPS = ['<=', '>=', '!=', '<>', '=', '<', '>']

export function tokenize(input: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < input.length) {
    const ch = input[i] as string
    if (/\s/.test(ch)) {
      i += 1
      continue
    }
    const column = i + 1
    if (ch === "'") {
      let value = ''
      let j = i + 1
      let closed = false
      while (j < input.length) {
        const c = input[j] as string
        if (c === '\\' && j + 1 < input.length) {
          value += input[j + 1]
          j += 2
          continue
        }
        if (c === "'") {
          closed = true
          break
        }
        value += c
        j += 1
      }
      if (!closed) throw lexicalError(input, i)
      tokens.push({ kind: 'string', text: input.slice(i, j + 1), value, column })
      i = j + 1
      continue
    }
    if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(input[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(input.slice(i)) as RegExpExecArray
      tokens.push({ kind: 'number', text: m[0], value: m[0], column })
      i += m[0].length
      continue
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(i)) as RegExpExecArray
      tokens.push({ kind: 'ident', text: m[0], value: m[0], column })
      i += m[0].length
      continue
    }
    const op = OPS.find((o) => input.startsWith(o, i))
    if (op) {
      tokens.push({ kind: 'op', text: op, value: op, column })
      i += op.length
      continue
    }
    if ('*(),.'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, value: ch, column })
      i += 1
      continue
    }
    throw lexicalError(input, i)
  }
  tokens.push({ kind: 'eof', text: '', value: '', column: input.length + 1 })
  return tokens
}

function lexicalError(input: string, index: number) {
  const ch = input[index] ?? ''
  return queryParseError(
    `Lexical error at line 1, column ${index + 1}.  Encountered: "${ch.replace(/"/g, '\\"')}" (${ch.charCodeAt(0)}), after : ""`,
  )
}
