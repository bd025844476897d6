/**
 * The POSM Deployment Policy's rules that the app and the server both apply: deploy only within the
 * store's business hours (and with the manager's consent, which the schema requires).
 */

/** "HH:mm", 00:00 to 24:00. */
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/

export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number)
  return h * 60 + m
}

/**
 * Whether `minuteOfDay` (0..1439) falls within the opening hours. A closing time before the opening time
 * means the store closes after midnight; equal times mean open around the clock.
 */
export function isWithinBusinessHours(minuteOfDay: number, opening: string, closing: string): boolean {
  const open = minutesOf(opening)
  const close = minutesOf(closing)
  if (open === close || (open === 0 && close === 24 * 60)) return true
  if (open < close) return minuteOfDay >= open && minuteOfDay < close
  return minuteOfDay >= open || minuteOfDay < close
}

/** One formatter per time zone (making one costs far more than using it: a submission asks at least once). */
const clockFormats = new Map<string, Intl.DateTimeFormat>()

function clockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = clockFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    clockFormats.set(timeZone, format)
  }
  return format
}

/**
 * The minute of the day (0..1439) that `at` is in `timeZone` (an IANA name such as Asia/Singapore): the
 * ISO's time zone decides business hours, on the device and on the server. An engine without time zones
 * (or an unknown zone) answers the device's own time.
 */
export function minuteOfDayIn(timeZone: string | undefined, at: Date): number {
  try {
    if (timeZone) {
      const parts = clockFormat(timeZone).formatToParts(at)
      const hour = Number(parts.find((p) => p.type === 'hour')?.value)
      const minute = Number(parts.find((p) => p.type === 'minute')?.value)
      if (Number.isFinite(hour) && Number.isFinite(minute)) return (hour % 24) * 60 + minute
    }
  } catch {
    // no time-zone support on this engine
  }
  return at.getHours() * 60 + at.getMinutes()
}
