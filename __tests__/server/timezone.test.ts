import { OffsetClock, SettableClock, isAdjustable, systemClock } from '../../server/src/clock'
import { decodeCursor, encodeCursor } from '../../server/src/services/results'
import { addDays, asOfIn, calendarDateIn, daysBetween, monthOf, parseCalendarDate, startOfDayIn } from '../../server/src/timezone'
import { addConsoleAccount, buildTestApp, consoleClient } from './helpers'

describe('calendar dates in a time zone', () => {
  it.each([
    ['2025-03-03T15:59:59.999Z', 'Asia/Singapore', '2025-03-03', '2025-03-02', '2025-03-02T16:00:00.000Z'],
    ['2025-03-03T16:00:00.000Z', 'Asia/Singapore', '2025-03-04', '2025-03-03', '2025-03-03T16:00:00.000Z'],
    ['2025-03-03T16:59:59.999Z', 'Asia/Jakarta', '2025-03-03', '2025-03-02', '2025-03-02T17:00:00.000Z'],
    ['2025-03-03T17:00:00.000Z', 'Asia/Jakarta', '2025-03-04', '2025-03-03', '2025-03-03T17:00:00.000Z'],
    ['2025-01-01T00:00:00.000Z', 'UTC', '2025-01-01', '2024-12-31', '2025-01-01T00:00:00.000Z'],
    // the day daylight saving time starts in New York (23 hours long)
    ['2025-03-09T12:00:00.000Z', 'America/New_York', '2025-03-09', '2025-03-08', '2025-03-09T05:00:00.000Z'],
    ['2025-03-10T12:00:00.000Z', 'America/New_York', '2025-03-10', '2025-03-09', '2025-03-10T04:00:00.000Z'],
  ])('%s in %s: today %s, as of %s, as-of moment %s', (now, zone, today, asOf, moment) => {
    expect(calendarDateIn(new Date(now), zone)).toBe(today)
    const result = asOfIn(new Date(now), zone)
    expect({ today: result.today, asOf: result.asOf, moment: result.moment.toISOString() }).toEqual({ today, asOf, moment })
    expect(startOfDayIn(today, zone).toISOString()).toBe(moment)
  })

  it('parses, moves and measures dates', () => {
    expect(['2024-02-29', '2025-02-29', '2025-13-01', '2025-1-01', '', 20250101, null].map(parseCalendarDate)).toEqual([
      '2024-02-29',
      null,
      null,
      null,
      null,
      null,
      null,
    ])
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28')
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01')
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365)
    expect(monthOf('2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
  })

  it('round-trips list cursors and refuses foreign ones', () => {
    const cursor = { createdAt: '2025-03-03T02:00:00.000Z', id: 'prm-1' }
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor)
    for (const bad of ['', '!!', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["2025-03-03", "x"]').toString('base64url'), 'a'.repeat(500)]) {
      expect(decodeCursor(bad)).toBeNull()
    }
  })
})

describe('clocks', () => {
  it('OffsetClock follows the system time plus an offset that can be reset', () => {
    const base = new SettableClock('2025-03-03T02:00:00.000Z')
    const clock = new OffsetClock(base)
    clock.advance({ days: 1 })
    expect(clock.now().toISOString()).toBe('2025-03-04T02:00:00.000Z')
    base.advance({ minutes: 5 })
    expect(clock.now().toISOString()).toBe('2025-03-04T02:05:00.000Z')
    expect(clock.offsetMs()).toBe(86_400_000)
    clock.reset()
    expect(clock.now().toISOString()).toBe('2025-03-03T02:05:00.000Z')
    expect(isAdjustable(clock)).toBe(true)
    expect(isAdjustable(systemClock)).toBe(false)
  })

  it.each([
    [true, 200],
    [false, 404],
  ])('buildServer in development mode %s answers /console/clock with %s by default', async (dev, status) => {
    const server = await buildTestApp({ dev, staticDir: null })
    try {
      if (!dev) await addConsoleAccount(server, { username: 'console', name: 'Admin', role: 'admin', password: 'console' })
      const res = await consoleClient(server.app, 'console').get('/console/clock')
      expect(res.statusCode).toBe(status)
    } finally {
      await server.close()
    }
  })
})
