/**
 * Calendar dates in an ISO's time zone (IANA name), computed with Intl: the statistics' period and their
 * one-day delay ("as of the end of yesterday").
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The wall-clock fields of `at` in `timeZone`. */
function wallClock(at: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = formatter(timeZone).formatToParts(at)
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') }
}

/** How far `timeZone` is ahead of UTC at `at`, in milliseconds. */
function offsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return asUtc - Math.floor(at.getTime() / 1000) * 1000
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The calendar date (YYYY-MM-DD) of `at` in `timeZone`. */
export function calendarDateIn(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`
}

/** A real calendar date written YYYY-MM-DD (e.g. not 2025-02-30), or null. */
export function parseCalendarDate(text: unknown): string | null {
  if (typeof text !== 'string') return null
  const m = DATE.exec(text)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (y < 1970 || y > 9999) return null
  const t = new Date(Date.UTC(y, mo - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? text : null
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const ms = (date: string) => {
    const [y, m, d] = date.split('-').map(Number)
    return Date.UTC(y, m - 1, d)
  }
  return Math.round((ms(to) - ms(from)) / 86_400_000)
}

/** The instant the calendar day `date` starts (its midnight) in `timeZone`. */
export function startOfDayIn(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number)
  const guess = Date.UTC(y, m - 1, d)
  // The offset at the guess, then once more at the corrected instant (offset changes around midnight).
  let at = guess - offsetMs(new Date(guess), timeZone)
  at = guess - offsetMs(new Date(at), timeZone)
  return new Date(at)
}

/** The first and last calendar dates of the month that `date` is in. */
export function monthOf(date: string): { from: string; to: string } {
  const [y, m] = date.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${pad(y, 4)}-${pad(m)}-01`, to: `${pad(y, 4)}-${pad(m)}-${pad(last)}` }
}

/**
 * The statistics' one-day delay: figures are as of the end of yesterday in the ISO's time zone. `asOf` is
 * that calendar date; `moment` is the end of it, i.e. today's midnight (exclusive) in that zone.
 */
export function asOfIn(now: Date, timeZone: string): { today: string; asOf: string; moment: Date } {
  const today = calendarDateIn(now, timeZone)
  return { today, asOf: addDays(today, -1), moment: startOfDayIn(today, timeZone) }
}

/** "2025-03-03 10:00" wall-clock time in `timeZone` (for the console). */
export function wallClockText(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`
}
