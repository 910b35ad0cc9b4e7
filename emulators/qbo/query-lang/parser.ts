/**
 * @module emulators/qbo/query-lang/parser
 * Recursive-descent parser for the QBO query language (I-QUERY). Accepts what real clients send:
 * lower-case keywords and entity (node-quickbooks, QIME), `ORDERBY` and `ORDER BY`,
 * `STARTPOSITION`/`MAXRESULTS` in either order (n8n sends `MAXRESULTS 1000 STARTPOSITION n`;
 * qbo_api all/customers.yml recorded it accepted), a projection list (QBO ignores projections and
 * returns whole objects, api-facts A.2). `OR`, `GROUP BY`, `JOIN` are not supported (I-QUERY) and
 * are parse errors here (code 4000, "Error parsing query").
 */
import { queryParseError, queryValidation } from '../errors.js'
import type { Condition, Literal, OrderBy, Query } from './ast.js'
import { tokenize, type Token } from './lexer.js'

export function parseQuery(text: string): Query {
  return new Parser(tokenize(text)).parse()
}

class Parser {
  private pos = 0

  constructor(private readonly tokens: Token[]) {}

  parse(): Query {
    this.keyword('SELECT')
    let count = false
    if (this.isKeyword('COUNT')) {
      this.next()
      this.punct('(')
      this.punct('*')
      this.punct(')')
      count = true
    } else if (this.peek().text === '*') {
      this.next()
    } else {
      this.field()
      while (this.peek().text === ',') {
        this.next()
        this.field()
      }
    }
    this.keyword('FROM')
    const entityTok = this.next()
    if (entityTok.kind !== 'ident') throw this.unexpected(entityTok)
    const query: Query = { count, entity: entityTok.text, where: [], orderBy: [] }
    if (this.isKeyword('WHERE')) {
      this.next()
      query.where.push(this.condition())
      while (this.isKeyword('AND')) {
        this.next()
        query.where.push(this.condition())
      }
    }
    const seen = new Set<string>()
    while (this.peek().kind !== 'eof') {
      const tok = this.peek()
      const kw = tok.kind === 'ident' ? tok.text.toUpperCase() : ''
      if (seen.has(kw === 'ORDER' ? 'ORDERBY' : kw)) throw this.unexpected(tok)
      if (kw === 'ORDERBY' || kw === 'ORDER') {
        this.next()
        if (kw === 'ORDER') this.keyword('BY')
        seen.add('ORDERBY')
        query.orderBy = this.orderList()
      } else if (kw === 'STARTPOSITION') {
        this.next()
        seen.add(kw)
        query.startPosition = this.integer()
      } else if (kw === 'MAXRESULTS') {
        this.next()
        seen.add(kw)
        query.maxResults = this.integer()
      } else {
        throw this.unexpected(tok)
      }
    }
    return query
  }

  private condition(): Condition {
    const field = this.field()
    const tok = this.next()
    const upper = tok.text.toUpperCase()
    if (tok.kind === 'op') {
      const op = tok.text === '<>' ? '!=' : (tok.text as '=' | '<' | '>' | '<=' | '>=' | '!=')
      return { field, op, value: this.literal() }
    }
    if (tok.kind === 'ident' && upper === 'IN') {
      this.punct('(')
      const values = [this.literal()]
      while (this.peek().text === ',') {
        this.next()
        values.push(this.literal())
      }
      this.punct(')')
      return { field, op: 'IN', values }
    }
    if (tok.kind === 'ident' && upper === 'LIKE') {
      const pat = this.next()
      if (pat.kind !== 'string') throw this.unexpected(pat)
      return { field, op: 'LIKE', pattern: pat.value }
    }
    throw this.unexpected(tok)
  }

  private orderList(): OrderBy[] {
    const list: OrderBy[] = []
    for (;;) {
      const field = this.field()
      let direction: 'ASC' | 'DESC' = 'ASC'
      if (this.isKeyword('ASC') || this.isKeyword('DESC')) direction = this.next().text.toUpperCase() as 'ASC' | 'DESC'
      list.push({ field, direction })
      if (this.peek().text !== ',') return list
      this.next()
    }
  }

  private field(): string {
    const first = this.next()
    if (first.kind !== 'ident' || RESERVED.has(first.text.toUpperCase())) throw this.unexpected(first)
    let name = first.text
    while (this.peek().text === '.') {
      this.next()
      const part = this.next()
      if (part.kind !== 'ident') throw this.unexpected(part)
      name += `.${part.text}`
    }
    return name
  }

  private literal(): Literal {
    const tok = this.next()
    if (tok.kind === 'string') return tok.value
    if (tok.kind === 'number') return Number(tok.text)
    if (tok.kind === 'ident' && /^(true|false)$/i.test(tok.text)) return tok.text.toLowerCase() === 'true'
    throw this.unexpected(tok)
  }

  private integer(): number {
    const tok = this.next()
    if (tok.kind !== 'number' || !/^-?\d+$/.test(tok.text)) throw this.unexpected(tok)
    const n = Number(tok.text)
    // quickbooks-ruby query_validation_error.xml: "value 0 is too small. Min allowed value is 1".
    if (n < 1) throw queryValidation(`value ${n} is too small. Min allowed value is 1`)
    return n
  }

  private keyword(word: string): void {
    const tok = this.next()
    if (tok.kind !== 'ident' || tok.text.toUpperCase() !== word) throw this.unexpected(tok)
  }

  private punct(p: string): void {
    const tok = this.next()
    if (tok.text !== p || tok.kind === 'string') throw this.unexpected(tok)
  }

  private isKeyword(word: string): boolean {
    const tok = this.peek()
    return tok.kind === 'ident' && tok.text.toUpperCase() === word
  }

  private peek(): Token {
    return this.tokens[this.pos] as Token
  }

  private next(): Token {
    const tok = this.tokens[this.pos] as Token
    if (tok.kind !== 'eof') this.pos += 1
    return tok
  }

  /** JavaCC-style message, as QBO's parser reports (Addendum §1). */
  private unexpected(tok: Token) {
    const kind = tok.kind === 'eof' ? '<EOF>' : tok.kind === 'string' ? '<STRING>' : tok.kind === 'number' ? '<INTEGER>' : `"${tok.text.toUpperCase()}"`
    return queryParseError(`Encountered " ${kind} "${tok.text} "" at line 1, column ${tok.column}.`)
  }
}

const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'IN', 'LIKE', 'ORDERBY', 'ORDER', 'STARTPOSITION', 'MAXRESULTS'])
