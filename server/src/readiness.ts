/**
 * Readiness: whether this process can serve requests now, as a load balancer or an orchestrator asks it
 * (`GET /api/ready`), as opposed to liveness (`GET /api/health`: the process answers at all). It is ready while
 * the database answers a query and the photo store can be used (the folder exists and is writable; the bucket
 * exists and these credentials reach it), each within CHECK_TIMEOUT_MS. The answer names which check failed,
 * never why (the reason, which may name a host, goes to the log, once per change).
 *
 * Checks are shared: the requests that arrive while one runs wait for it, and its answer is reused for
 * CACHE_MS, so that many probes (or anyone on the internet) never multiply the queries and bucket requests.
 */
import type { Db } from './db'
import type { PhotoStore } from './storage/port'

/** Each check answers within this time, or counts as failed (a database that does not answer is not ready). */
export const CHECK_TIMEOUT_MS = 2000
/** A check's answer is reused for this long. */
export const CACHE_MS = 1000

export type CheckState = 'ok' | 'unreachable'

export interface ReadinessReport {
  ready: boolean
  checks: { database: CheckState; photos: CheckState }
}

export type ReadinessLog = (level: 'info' | 'warn', event: Record<string, unknown>, message: string) => void

export interface ReadinessDeps {
  db: Db
  photos: PhotoStore
  log?: ReadinessLog
  /** Test hooks (defaults CHECK_TIMEOUT_MS, CACHE_MS). */
  timeoutMs?: number
  cacheMs?: number
  now?: () => number
}

/** `work`, or a rejection once `ms` have passed without its answer. */
export function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const name = (error as { name?: unknown } | null)?.name
  const text = message || (typeof name === 'string' ? name : 'failed')
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

export function createReadiness({ db, photos, log = () => undefined, timeoutMs = CHECK_TIMEOUT_MS, cacheMs = CACHE_MS, now = Date.now }: ReadinessDeps) {
  let running: Promise<ReadinessReport> | null = null
  let last: { at: number; report: ReadinessReport } | null = null
  /** The last state logged per check (a line only when it changes). */
  const logged: Record<string, CheckState> = {}

  async function probe(name: 'database' | 'photos', work: () => Promise<unknown>): Promise<CheckState> {
    let state: CheckState = 'ok'
    let reason = ''
    try {
      await within(work(), timeoutMs)
    } catch (error) {
      state = 'unreachable'
      reason = reasonOf(error)
    }
    if (logged[name] !== state) {
      // the first answer is logged only when it is a failure
      if (state === 'unreachable')
        log('warn', { readiness: { check: name, state } }, `not ready: the ${name === 'database' ? 'database' : 'photo store'} is unreachable (${reason})`)
      else if (logged[name] !== undefined)
        log('info', { readiness: { check: name, state } }, `the ${name === 'database' ? 'database' : 'photo store'} is reachable again`)
      logged[name] = state
    }
    return state
  }

  async function run(): Promise<ReadinessReport> {
    const [database, photoState] = await Promise.all([probe('database', () => db.get('SELECT 1 AS ok')), probe('photos', () => photos.check())])
    return { ready: database === 'ok' && photoState === 'ok', checks: { database, photos: photoState } }
  }

  return {
    /** The current report: a check in progress is joined, a recent one reused. */
    check(): Promise<ReadinessReport> {
      if (last && now() - last.at < cacheMs) return Promise.resolve(last.report)
      running ??= run()
        .then((report) => {
          last = { at: now(), report }
          return report
        })
        .finally(() => {
          running = null
        })
      return running
    },
  }
}

export type Readiness = ReturnType<typeof createReadiness>
