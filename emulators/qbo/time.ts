/**
 * @module emulators/qbo/time
 * QBO's timestamp formats. The API reports every time in US Pacific time, whatever the company's
 * time zone (api-facts Addendum §7: Intuit staff in QuickBooks-V3-Java-SDK #26; recordings show
 * -08:00 in winter and -07:00 in summer). `MetaData.*Time` has no milliseconds
 * ("2020-09-29T05:58:16-07:00"), the envelope `time` has them ("2020-09-29T05:58:16.187-07:00")
 * (api-facts A.0, qbo_api create/customer.yml).
 */
const pacific = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

function pacificParts(ms: number): { local: string; offset: string } {
  const parts: Record<string, string> = {}
  for (const p of pacific.formatToParts(new Date(ms))) parts[p.type] = p.value
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`
  // The offset is the difference between the wall-clock reading and UTC, in whole minutes.
  const wallMs = Date.UTC(
    Number(parts.year), Number(parts.month) - 1, Number(parts.day),
    Number(parts.hour), Number(parts.minute), Number(parts.second),
  )
  const minutes = Math.round((wallMs - Math.floor(ms / 1000) * 1000) / 60_000)
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  return { local, offset }
}

/** `MetaData` style: Pacific, seconds, colon offset. */
export function formatMetaTime(ms: number): string {
  const { local, offset } = pacificParts(ms)
  return `${local}${offset}`
}

/** Envelope `time` style: Pacific, milliseconds, colon offset. */
export function formatEnvelopeTime(ms: number): string {
  const { local, offset } = pacificParts(ms)
  return `${local}.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}${offset}`
}

/** Parses an ISO date-time as QBO accepts in queries and `changedSince`; NaN when invalid. */
export function parseQboTime(text: string): number {
  const trimmed = text.trim()
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    // A bare date is read as midnight Pacific (QBO's own zone) — an assumption, not documented.
    return parseQboTime(`${trimmed}T00:00:00${pacificParts(Date.parse(`${trimmed}T12:00:00Z`)).offset}`)
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(trimmed)) return NaN
  const withOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)
    ? trimmed.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
    : `${trimmed}${pacificParts(Date.parse(`${trimmed}Z`)).offset}`
  return Date.parse(withOffset)
}
