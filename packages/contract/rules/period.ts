import dayjs from 'dayjs'

export const PERIODS = ['thisMonth', 'lastMonth', 'last3Months'] as const
export type Period = (typeof PERIODS)[number]

/** The calendar dates (YYYY-MM-DD, inclusive) of a period around `today`. */
export function periodRange(period: Period, today: Date): { from: string; to: string } {
  const d = dayjs(today)
  const fmt = (x: dayjs.Dayjs) => x.format('YYYY-MM-DD')
  switch (period) {
    case 'thisMonth':
      return { from: fmt(d.startOf('month')), to: fmt(d.endOf('month')) }
    case 'lastMonth': {
      const last = d.subtract(1, 'month')
      return { from: fmt(last.startOf('month')), to: fmt(last.endOf('month')) }
    }
    case 'last3Months':
      return { from: fmt(d.subtract(2, 'month').startOf('month')), to: fmt(d.endOf('month')) }
  }
}

/** Today's calendar date where the ISO is (the device's own date when the engine lacks time zones). */
export function todayIn(timeZone: string | undefined, now: Date): Date {
  try {
    if (timeZone) {
      const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now)
      const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
      const [y, m, d] = [get('year'), get('month'), get('day')]
      if (y && m && d) return new Date(y, m - 1, d, 12)
    }
  } catch {
    // no time-zone support on this engine
  }
  return now
}
