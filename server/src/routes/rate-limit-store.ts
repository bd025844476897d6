import type { Db } from '../db'

/** What @fastify/rate-limit's store answers for one request: the count in this window and the time left (ms). */
interface Hits {
  current: number
  ttl: number
}

type Callback = (error: Error | null, result?: Hits) => void

/** Forget windows that ended this long ago, every PRUNE_EVERY counts. */
const PRUNE_AFTER_MS = 60 * 60_000
const PRUNE_EVERY = 500

/**
 * The rate limits' counts in the database (table rate_limit_hits), so that every server process behind a load
 * balancer counts the same requests: a staff member cannot get twice the limit by landing on two replicas.
 * One atomic upsert per limited request (a write; reads are never limited).
 */
export function databaseRateLimitStore(db: Db, now: () => number = Date.now) {
  let counted = 0
  const count = async (key: string, windowMs: number): Promise<Hits> => {
    const at = now()
    const row = await db.get<{ hits: number; window_ends_at: number }>(
      `INSERT INTO rate_limit_hits (key, hits, window_ends_at) VALUES (?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limit_hits.window_ends_at <= ? THEN 1 ELSE rate_limit_hits.hits + 1 END,
         window_ends_at = CASE WHEN rate_limit_hits.window_ends_at <= ? THEN ? ELSE rate_limit_hits.window_ends_at END
       RETURNING hits, window_ends_at`,
      [key, at + windowMs, at, at, at + windowMs],
    )
    if (++counted % PRUNE_EVERY === 0) await db.run('DELETE FROM rate_limit_hits WHERE window_ends_at < ?', [at - PRUNE_AFTER_MS])
    return { current: row!.hits, ttl: Math.max(0, Number(row!.window_ends_at) - at) }
  }

  /** The class @fastify/rate-limit instantiates (`store` option). */
  return class DatabaseStore {
    private readonly timeWindow: number

    constructor(options: { timeWindow?: unknown } = {}) {
      this.timeWindow = typeof options.timeWindow === 'number' ? options.timeWindow : 60_000
    }

    /** @fastify/rate-limit passes the route's window (and max) after the callback. */
    incr(key: string, callback: Callback, timeWindow?: number): void {
      count(key, timeWindow ?? this.timeWindow).then(
        (hits) => callback(null, hits),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      )
    }

    child(): DatabaseStore {
      return new DatabaseStore({ timeWindow: this.timeWindow })
    }
  }
}
