/**
 * Issue 27, item 2: what the shared rate limits cost per request. 50 staff members, each sending 20 limited requests
 * (uploads, 60 a minute) through two processes (two connections, two counters, as two replicas) on one database:
 * the statements sent per request and the time per request, against one upsert per request (the way counts were
 * kept before: one statement each).
 */
import os from 'node:os'
import path from 'node:path'
import fs from 'node:fs'
import { openDatabase, type Db } from '../server/src/db'
import { databaseRateLimitCounter } from '../server/src/routes/rate-limit-store'

export interface RateLimitFigures {
  requests: number
  statements: number
  perRequestMs: number
  /** The same requests, one upsert each (the former store). */
  upsertPerRequestMs: number
}

async function oneUpsertEach(db: Db, key: string, at: number): Promise<void> {
  await db.get(
    `INSERT INTO rate_limit_hits (key, hits, window_ends_at) VALUES (?, 1, ?)
     ON CONFLICT (key) DO UPDATE SET hits = rate_limit_hits.hits + 1 RETURNING hits`,
    [key, at + 60_000],
  )
}

export async function rateLimitCost(target: string | null, open: () => Promise<Db>): Promise<RateLimitFigures> {
  const dir = target === null ? fs.mkdtempSync(path.join(os.tmpdir(), 'posm-rl-')) : null
  const connect = target === null ? () => openDatabase(path.join(dir!, 'rl.sqlite'), { seed: false }) : open
  const a = await connect()
  const b = await connect()
  try {
    const staff = Array.from({ length: 50 }, (_, i) => i)
    const counters = [databaseRateLimitCounter(a), databaseRateLimitCounter(b)]
    let requests = 0
    const started = process.hrtime.bigint()
    for (let round = 0; round < 20; round++) {
      await Promise.all(staff.map((s) => counters[(s + round) % 2].count(`uploadsPerMinute:staff:s-${s}`, 60_000, 60)))
      requests += staff.length
    }
    const perRequestMs = Number(process.hrtime.bigint() - started) / 1e6 / requests
    const statements = counters[0].statements + counters[1].statements
    await Promise.all(counters.map((c) => c.close()))
    const before = process.hrtime.bigint()
    const at = Date.now()
    for (let round = 0; round < 20; round++) await Promise.all(staff.map((s) => oneUpsertEach(s % 2 ? b : a, `old:s-${s}`, at)))
    const upsertPerRequestMs = Number(process.hrtime.bigint() - before) / 1e6 / requests
    return { requests, statements, perRequestMs, upsertPerRequestMs }
  } finally {
    await a.close()
    await b.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  }
}
