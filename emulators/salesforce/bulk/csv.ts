/**
 * @module emulators/salesforce/bulk/csv
 * The CSV dialects of Bulk API 2.0 ("Prepare CSV Files", Bulk API 2.0 and Bulk API Developer
 * Guide): six column delimiters (BACKQUOTE, CARET, COMMA — the default —, PIPE, SEMICOLON, TAB),
 * two line endings (LF — the default — and CRLF) that the file must use as the job declares, UTF-8,
 * double quotes around a value holding the delimiter, a line break or a quote (a quote doubled
 * inside), values not trimmed. An empty cell means "leave the field alone"; `#N/A` sets it to null.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_prepare_csv.htm
 */
import { parse } from 'csv-parse/sync'

export const DELIMITERS = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
} as const
export type ColumnDelimiter = keyof typeof DELIMITERS
export type LineEnding = 'LF' | 'CRLF'

export const isDelimiter = (v: unknown): v is ColumnDelimiter => typeof v === 'string' && v in DELIMITERS
export const isLineEnding = (v: unknown): v is LineEnding => v === 'LF' || v === 'CRLF'

/** The literal that sets a field to null (B2-CSV: "#N/A"). */
export const NULL_VALUE = '#N/A'

export interface Dialect {
  columnDelimiter: ColumnDelimiter
  lineEnding: LineEnding
}

const eol = (d: Dialect): string => (d.lineEnding === 'CRLF' ? '\r\n' : '\n')

/** A file's header and rows, or why it cannot be read (the job then fails with InvalidBatch). */
export function parseCsv(text: string, d: Dialect): { header: string[]; rows: string[][] } | { error: string } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  let table: string[][]
  try {
    table = parse(body, {
      delimiter: DELIMITERS[d.columnDelimiter],
      record_delimiter: eol(d),
      relax_column_count: false,
      skip_empty_lines: true,
      trim: false,
    }) as string[][]
  } catch (e) {
    return { error: `Failed to parse CSV: ${(e as Error).message}` }
  }
  const [header, ...rows] = table
  if (!header || header.length === 0) return { error: 'No content found in the upload' }
  return { header, rows }
}

/**
 * A results or query file in the job's dialect. `quoted` columns are always quoted (the `sf__`
 * columns of results files come quoted); the rest only when they must be.
 */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[], d: Dialect, quoted: ReadonlySet<number> = new Set()): string {
  const delim = DELIMITERS[d.columnDelimiter]
  const cell = (v: string, i: number) =>
    quoted.has(i) || v.includes(delim) || v.includes('"') || v.includes('\n') || v.includes('\r') ? `"${v.replace(/"/g, '""')}"` : v
  const end = eol(d)
  let out = header.map(cell).join(delim) + end
  for (const row of rows) out += row.map(cell).join(delim) + end
  return out
}
