/** Every time-based decision of the server reads the time from a Clock, so that tests can move it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = {
  now: () => new Date(),
}

export type Duration = number | { days?: number; hours?: number; minutes?: number; seconds?: number; ms?: number }

function toMs(by: Duration): number {
  if (typeof by === 'number') return by
  return (by.days ?? 0) * 86_400_000 + (by.hours ?? 0) * 3_600_000 + (by.minutes ?? 0) * 60_000 + (by.seconds ?? 0) * 1000 + (by.ms ?? 0)
}

/**
 * A clock that can be moved while the server runs (development mode: `/console/clock`, for end-to-end
 * tests of the one-day delay). `offsetMs` is how far it is from where it started.
 */
export interface AdjustableClock extends Clock {
  advance(by: Duration): void
  /** Back to where it started (the system time, for an OffsetClock). */
  reset(): void
  offsetMs(): number
}

export function isAdjustable(clock: Clock): clock is AdjustableClock {
  const c = clock as Partial<AdjustableClock>
  return typeof c.advance === 'function' && typeof c.reset === 'function' && typeof c.offsetMs === 'function'
}

/** The system time plus an offset that can be changed (the default clock in development mode). */
export class OffsetClock implements AdjustableClock {
  private offset = 0

  constructor(private readonly base: Clock = systemClock) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offset)
  }

  advance(by: Duration): void {
    this.offset += toMs(by)
  }

  reset(): void {
    this.offset = 0
  }

  offsetMs(): number {
    return this.offset
  }
}

/** A clock that stands still until told otherwise (tests). */
export class SettableClock implements AdjustableClock {
  private current: number
  private readonly start: number

  constructor(start: Date | string = '2025-03-03T02:00:00.000Z') {
    this.current = new Date(start).getTime()
    this.start = this.current
  }

  now(): Date {
    return new Date(this.current)
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime()
  }

  /** Moves the clock forward by a number of milliseconds or a duration. */
  advance(by: Duration): void {
    this.current += toMs(by)
  }

  /** Back to the time it was created with. */
  reset(): void {
    this.current = this.start
  }

  offsetMs(): number {
    return this.current - this.start
  }
}
