/**
 * @module emulators/qbo/query-lang
 * The QBO query language: tokenizer, parser and evaluator (I-QUERY, api-facts A.2).
 */
export { parseQuery } from './parser.js'
export { evaluateQuery, resolveEntity, QUERYABLE, type QueryResult } from './evaluate.js'
export type { Query, Condition, OrderBy, Literal } from './ast.js'
