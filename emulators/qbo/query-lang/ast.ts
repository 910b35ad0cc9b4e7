/**
 * @module emulators/qbo/query-lang/ast
 * The parsed form of a QBO query: `SELECT * | COUNT(*) FROM <Entity> [WHERE c AND c …]
 * [ORDERBY f [ASC|DESC], …] [STARTPOSITION n] [MAXRESULTS n]` (I-QUERY grammar, api-facts A.2).
 */
export type Literal = string | number | boolean

export type Condition =
  | { field: string; op: '=' | '<' | '>' | '<=' | '>=' | '!='; value: Literal }
  | { field: string; op: 'IN'; values: Literal[] }
  | { field: string; op: 'LIKE'; pattern: string }

export interface OrderBy {
  field: string
  direction: 'ASC' | 'DESC'
}

export interface Query {
  count: boolean
  /** Entity as written by the client (case preserved); resolve with the evaluator. */
  entity: string
  where: Condition[]
  orderBy: OrderBy[]
  /** 1-based; undefined when absent. */
  startPosition?: number
  maxResults?: number
}
