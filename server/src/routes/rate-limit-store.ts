import type { Db } from '../db'

/** What @fastify/rate-limit's store answers for one request: the count in this window and the time left (ms). */
interface Hits {
  current: number
  ttl: number
}

type Callback = (error: Error | null, result?: Hits) => void

/** Forget windows that ended this long ago, every PRUNE_EVERY statements. */
const PRUNE_AFTER_MS = 60 * 60_000
const PRUNE_EVERY = 500

/**
 * Far from its limit, a process takes a key's places in blocks of max / SHARE_DIVISOR (at least 1): one statement
 * for several requests. Near the limit (the block would pass half of it), one place per request.
 */
const SHARE_DIVISOR = 8

/** One key's places as this process holds them in the current window. */
interface Entry {
  /** The places this process holds and has not handed out, as ranges [first, last], oldest first. */
  held: Array<[number, number]>
  /** The database's count at this process's last statement for the key. */
  known: number
  /** When the window ends (the database's). */
  endsAt: number
  windowMs: number
  /** Requests waiting for the next statement, in order. */
  waiting: Array<(place: number) => void>
}

export interface RateLimitCounter {
  /** Counts a request of `key` (window `windowMs`, limit `max`) and answers its place in its window. */
  count(key: string, windowMs: number, max: number): Promise<Hits>
  /** Stops counting (the server is closing): waits for the statement under way. */
  close(): Promise<void>
  /** Statements sent so far (the bench and the tests read it). */
  readonly statements: number
}

/**
 * The rate limits' counts in the database (table rate_limit_hits), shared by every server process behind a load
 * balancer, without a write on every request: a process takes a block of places in a key's count with one
 * statement (RETURNING the new count: the places are the block's own, whatever the other processes take at the
 * same time) and hands them to the key's next requests. So no key gets past its limit, however many processes
 * share it; at worst a key is refused a few places early (places a process took and the key's requests, sent
 * to other processes, did not use before the window ended: at most max / 8 per process, and only while the
 * count stood below half the limit). Statements of the keys that need places at the same moment are one. A key
 * whose count has passed its limit is refused until its window ends without asking again.
 */
export function databaseRateLimitCounter(db: Db, now: () => number = Date.now): RateLimitCounter {
  const entries = new Map<string, Entry>()
  let statements = 0
  /** The statements, one after another. */
  let chain: Promise<unknown> = Promise.resolve()
  /** Keys waiting for the next statement (not started yet), with the limit each is counted against. */
  const wanted = new Map<string, number>()
  let scheduled = false

  /** Takes places for every key that has requests waiting, in one statement. */
  async function takePlaces(): Promise<void> {
    scheduled = false
    const keys = [...wanted]
    wanted.clear()
    const at = now()
    const asks = keys.flatMap(([key, max]) => {
      const e = entries.get(key)
      if (!e || e.waiting.length === 0) return []
      const need = e.waiting.length
      const block = Math.max(1, Math.floor(max / SHARE_DIVISOR))
      const n = (e.known + need + block) * 2 <= max ? Math.max(need, block) : need
      return [{ key, e, n, waiting: e.waiting.splice(0) }]
    })
    if (asks.length === 0) return
    statements++
    try {
      const rows = await db.all<{ key: string; hits: number; window_ends_at: number }>(
        `INSERT INTO rate_limit_hits (key, hits, window_ends_at) VALUES ${asks.map(() => '(?, ?, ?)').join(', ')}
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN rate_limit_hits.window_ends_at <= ? THEN excluded.hits ELSE rate_limit_hits.hits + excluded.hits END,
           window_ends_at = CASE WHEN rate_limit_hits.window_ends_at <= ? THEN excluded.window_ends_at ELSE rate_limit_hits.window_ends_at END
         RETURNING key, hits, window_ends_at`,
        [...asks.flatMap((a) => [a.key, a.n, at + a.e.windowMs]), at, at],
      )
      const byKey = new Map(rows.map((r) => [r.key, r]))
      for (const a of asks) {
        const r = byKey.get(a.key)!
        const hits = Number(r.hits)
        a.e.known = hits
        a.e.endsAt = Number(r.window_ends_at)
        // the block's places, first to the requests that waited for it, then to any that came meanwhile
        let place = hits - a.n + 1
        for (const give of a.waiting) give(place++)
        if (place <= hits) a.e.held.push([place, hits])
        while (a.e.waiting.length > 0 && hasPlace(a.e)) a.e.waiting.shift()!(takePlace(a.e))
      }
    } catch (error) {
      for (const a of asks) for (const give of a.waiting) give(Number.NaN)
      throw error
    }
    if (statements % PRUNE_EVERY === 0) {
      statements++
      await db.run('DELETE FROM rate_limit_hits WHERE window_ends_at < ?', [at - PRUNE_AFTER_MS])
    }
  }

  const hasPlace = (e: Entry) => e.held.length > 0
  function takePlace(e: Entry): number {
    const range = e.held[0]
    const place = range[0]++
    if (range[0] > range[1]) e.held.shift()
    return place
  }

  function schedule() {
    if (scheduled) return
    scheduled = true
    chain = chain.then(takePlaces).catch(() => undefined)
  }

  return {
    async count(key, windowMs, max) {
      const at = now()
      let e = entries.get(key)
      if (e && e.endsAt <= at && e.waiting.length === 0) {
        // a new window: the places held in the last one are gone with it
        entries.delete(key)
        e = undefined
      }
      if (!e) {
        e = { held: [], known: 0, endsAt: at + windowMs, windowMs, waiting: [] }
        entries.set(key, e)
      }
      const ttl = () => Math.max(0, e.endsAt - now())
      if (hasPlace(e) && e.waiting.length === 0) return { current: takePlace(e), ttl: ttl() }
      // past the limit already (as the database last said): refused without asking until the window ends
      if (e.known >= max && !hasPlace(e)) return { current: e.known + 1, ttl: ttl() }
      const entry = e
      const place = await new Promise<number>((resolve) => {
        entry.waiting.push(resolve)
        wanted.set(key, max)
        schedule()
      })
      if (Number.isNaN(place)) throw new Error('The rate limit count could not be read from the database.')
      return { current: place, ttl: ttl() }
    },
    async close() {
      await chain
    },
    get statements() {
      return statements
    },
  }
}

/** The class @fastify/rate-limit instantiates (`store` option), counting through `counter`. */
export function rateLimitStoreOf(counter: RateLimitCounter) {
  return class DatabaseStore {
    private readonly timeWindow: number

    constructor(options: { timeWindow?: unknown } = {}) {
      this.timeWindow = typeof options.timeWindow === 'number' ? options.timeWindow : 60_000
    }

    /** @fastify/rate-limit passes the route's window and limit after the callback. */
    incr(key: string, callback: Callback, timeWindow?: number, max?: number): void {
      counter.count(key, timeWindow ?? this.timeWindow, typeof max === 'number' ? max : 0).then(
        (hits) => callback(null, hits),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      )
    }

    child(): DatabaseStore {
      return new DatabaseStore({ timeWindow: this.timeWindow })
    }
  }
}
