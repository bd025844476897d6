/**
 * Pacing of the calls to DingTalk's server API under its per-app limit: "标准版钉钉组织调用钉钉接口，每秒调用次数不能超过
 * 20次" — each app, each API, 20 calls in a second (90018, QpsLimitForAppkeyAndApi), and after a frequency-limit
 * error "sleep 1秒，然后继续执行" (DingTalk's page "How to process API throttling on the DingTalk server",
 * docs/01-应用开发/02-4a8AMF6u2A-服务端API/1433-how-to-process-api-throttling-on-the-dingtalk-server.md, and
 * 0012-call-frequency-limit.md). With several server processes the page's advice is a shared counter keyed by
 * the current second ("主动分布式限流 … 缓存的key是当前的秒级时间戳，value就是调用次数"): databasePacer keeps it in the
 * database every process shares, so the sum of all replicas stays under the limit, and a pause after a
 * frequency-limit error holds every replica.
 */
import type { Db } from '../database/port'

export interface CallPacer {
  /** Waits until a call of `api` may start: at most `perSecond` in a second, none while `api` is paused. */
  take(api: string, perSecond: number): Promise<void>
  /** DingTalk refused a call of `api` for frequency: no call of it starts for `ms` (in every process sharing the pacer). */
  pause(api: string, ms: number): Promise<void>
}

type Sleep = (ms: number) => Promise<void>
const realSleep: Sleep = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** One process's pacing (a sliding second per API), for a server that runs alone and for the client's tests. */
export function memoryPacer(now: () => number = Date.now, sleep: Sleep = realSleep): CallPacer {
  const started = new Map<string, number[]>()
  const pausedUntil = new Map<string, number>()
  return {
    async take(api, perSecond) {
      for (;;) {
        const at = now()
        const paused = pausedUntil.get(api) ?? 0
        if (paused > at) {
          await sleep(paused - at)
          continue
        }
        const recent = (started.get(api) ?? []).filter((t) => at - t < 1000)
        if (recent.length < perSecond) {
          recent.push(at)
          started.set(api, recent)
          return
        }
        started.set(api, recent)
        await sleep(1000 - (at - recent[0]) + 1)
      }
    },
    async pause(api, ms) {
      pausedUntil.set(api, Math.max(pausedUntil.get(api) ?? 0, now() + ms))
    },
  }
}

/** A count this large marks a second as paused (no call fits in it). */
const PAUSED = 1_000_000
/** Forget seconds this old, every PRUNE_EVERY calls. */
const PRUNE_AFTER_S = 3600
const PRUNE_EVERY = 200

/**
 * The pacing shared by every server process: one row per API and second (table dingtalk_call_seconds), one
 * statement per call (an upsert answering the second's count). A call that does not fit waits for the next
 * second (a few milliseconds' spread, so that waiting processes do not all come back at once); a pause marks the
 * seconds it covers as full.
 */
export function databasePacer(db: Db, now: () => number = Date.now, sleep: Sleep = realSleep): CallPacer {
  let calls = 0
  const count = async (api: string, second: number, add: number): Promise<number> => {
    const row = await db.get<{ calls: number }>(
      `INSERT INTO dingtalk_call_seconds (api, second, calls) VALUES (?, ?, ?)
       ON CONFLICT (api, second) DO UPDATE SET calls = dingtalk_call_seconds.calls + excluded.calls
       RETURNING calls`,
      [api, second, add],
    )
    return Number(row!.calls)
  }
  return {
    async take(api, perSecond) {
      if (++calls % PRUNE_EVERY === 0) await db.run('DELETE FROM dingtalk_call_seconds WHERE second < ?', [Math.floor(now() / 1000) - PRUNE_AFTER_S])
      for (;;) {
        const at = now()
        const second = Math.floor(at / 1000)
        if ((await count(api, second, 1)) <= perSecond) return
        await sleep((second + 1) * 1000 - at + Math.floor(Math.random() * 20))
      }
    },
    async pause(api, ms) {
      const at = now()
      for (let second = Math.floor(at / 1000); second <= Math.floor((at + ms) / 1000); second++) await count(api, second, PAUSED)
    },
  }
}
