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
