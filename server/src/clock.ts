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
  return (
    (by.days ?? 0) * 86_400_000 + (by.hours ?? 0) * 3_600_000 + (by.minutes ?? 0) * 60_000 + (by.seconds ?? 0) * 1000 + (by.ms ?? 0)
  )
}

/** A clock that stands still until told otherwise (tests). */
export class SettableClock implements Clock {
  private current: number

  constructor(start: Date | string = '2025-03-03T02:00:00.000Z') {
    this.current = new Date(start).getTime()
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
}
