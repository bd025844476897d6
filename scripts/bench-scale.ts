/**
 * The bench's figures beyond one machine (issue 13): the 50-staff load on SQLite, on PostgreSQL and on two
 * server processes sharing PostgreSQL, side by side; and how the results summary's time grows from 10 k to
 * 1 M promotions (seeded in bulk), on both engines, with the query plans.
 * PostgreSQL: BENCH_DATABASE_URL (a cluster the bench may create databases in), else a throw-away cluster
 * started by scripts/pg-cluster.sh.
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { buildServer } from '../server/src/app'
import { openDatabase, type Db } from '../server/src/db'
import sharp from 'sharp'

const REPO = path.resolve(__dirname, '..')

// ---- PostgreSQL ---------------------------------------------------------------------------------

export interface Postgres {
  /** A URL of the cluster's maintenance database. */
  url: string
  /** A new empty database: its URL and a function that drops it. */
  fresh(): Promise<{ url: string; drop(): Promise<void> }>
  stop(): void
}

export function startPostgres(): Postgres {
  let url = process.env.BENCH_DATABASE_URL
  let stop = () => undefined as void
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-bench-pg-'))
    const port = String(56000 + Math.floor(Math.random() * 900))
    const started = spawnSync('bash', [path.join(REPO, 'scripts', 'pg-cluster.sh'), 'start', dir, port], { encoding: 'utf8' })
    if (started.status !== 0) throw new Error(`PostgreSQL did not start (scripts/pg-cluster.sh):\n${started.stderr}`)
    url = started.stdout.trim().split('\n').at(-1)!
    stop = () => {
      spawnSync('bash', [path.join(REPO, 'scripts', 'pg-cluster.sh'), 'stop', dir], { stdio: 'ignore' })
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  const admin = url
  return {
    url: admin,
    async fresh() {
      const name = `bench_${randomBytes(5).toString('hex')}`
      const client = new pg.Client({ connectionString: admin })
      await client.connect()
      await client.query(`CREATE DATABASE ${name}`)
      await client.end()
      const u = new URL(admin)
      u.pathname = `/${name}`
      return {
        url: u.toString(),
        async drop() {
          const c = new pg.Client({ connectionString: admin })
          await c.connect()
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
          await c.end()
        },
      }
    },
    stop,
  }
}

// ---- load -------------------------------------------------------------------------------------

/** The server program in its own process (as deployed): its base URL and a stop function. */
export async function spawnServer(env: Record<string, string>) {
  // BENCH_PROFILE_DIR=<dir>: each server process writes a CPU profile there when it stops (open it in Chrome's DevTools)
  const profile = process.env.BENCH_PROFILE_DIR
  // node itself runs the server (tsx as its loader, not tsx's command, which would run it in a child): the pid is the
  // server's, for its CPU time
  const args = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), '--import', 'tsx', path.join(REPO, 'server/src/main.ts')]
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    // the load measures the server's throughput: each simulated staff member sends as fast as the server answers,
    // far above the per-staff rate limits a person meets, so those are lifted here
    env: {
      ...process.env,
      WORKSPACE_DEV: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      RATE_LIMIT_SIGNIN_PER_MINUTE: '100000',
      RATE_LIMIT_UPLOADS_PER_MINUTE: '100000',
      RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start\n${out}`)), 60000)
    const on = (b: Buffer) => {
      out += b.toString()
      const m = /API:\s+(http:\/\/127\.0\.0\.1:\d+)\/api/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    child.stdout?.on('data', on)
    child.stderr?.on('data', on)
  })
  const stop = async () => {
    child.kill('SIGTERM')
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r))
  }
  return { base, stop, pid: child.pid }
}

const STAFF_COLUMNS = 'name, phone_e164, iso_id, association_status, created_at, dingtalk_corp_id, dingtalk_user_id, dingtalk_dept_ids, locale'

/** Bench staff `<prefix>0…`: copies of staff-dao (associated with the Deploy-Then-Verify ISO). */
async function addStaff(db: Db, prefix: string, count: number): Promise<void> {
  await db.transaction(async () => {
    for (let i = 0; i < count; i++) {
      await db.run(
        `INSERT INTO staff (id, ${STAFF_COLUMNS}) SELECT ?, ${STAFF_COLUMNS.replace('name, phone_e164', '?, ?')} FROM staff WHERE id = 'staff-dao'`,
        [`${prefix}${i}`, `Bench Staff ${i}`, `+6281234${String(100000 + i)}`],
      )
    }
  })
}

export interface LoadFigures {
  requests: number
  p50: number
  p95: number
  errors: number
  created: number
  duplicates: number
  /** CPU seconds used during the load (Linux /proc; null elsewhere): what bounds the throughput. */
  cpu: { wall: number; server: number; postgres: number; generator: number } | null
}

/** CPU seconds (user + system) of a process and its threads, from /proc (null: not Linux, or gone). */
function processCpu(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (100 per second on Linux)
  } catch {
    return null
  }
}

/** CPU seconds of every PostgreSQL process on the machine (the bench's cluster is the only busy one). */
function postgresCpu(): number {
  let total = 0
  for (const entry of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += processCpu(Number(entry)) ?? 0
    } catch {
      // gone
    }
  }
  return total
}

/** CPU use of the servers, PostgreSQL and this process (the load generator) from `start` until `end` is called. */
function cpuMeter(serverPids: number[]) {
  const servers = () => serverPids.reduce((sum, pid) => sum + (processCpu(pid) ?? 0), 0)
  const own = () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1e6
  }
  const at = { wall: performance.now(), server: servers(), postgres: postgresCpu(), generator: own() }
  return (): LoadFigures['cpu'] =>
    processCpu(process.pid) === null
      ? null
      : {
          wall: (performance.now() - at.wall) / 1000,
          server: servers() - at.server,
          postgres: postgresCpu() - at.postgres,
          generator: own() - at.generator,
        }
}

/**
 * `staffCount` staff submit promotions with two photos each for `seconds`, each request going to the next
 * server process in turn (one process, or two sharing the database), with a retry of every submission.
 */
export async function loadTest(opts: { database: 'sqlite' | string; replicas: number; seconds: number; staffCount: number }): Promise<LoadFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-load-'))
  const target = opts.database === 'sqlite' ? path.join(dir, 'db.sqlite') : opts.database
  const env: Record<string, string> = {
    // both processes keep photos in one place (a bucket in production)
    UPLOAD_DIR: path.join(dir, 'up'),
    STATIC_DIR: path.join(dir, 'none'),
    ...(opts.database === 'sqlite' ? { DB_PATH: target } : { DATABASE_URL: target }),
  }
  const servers: Array<{ base: string; stop(): Promise<void>; pid: number | undefined }> = []
  for (let r = 0; r < opts.replicas; r++) servers.push(await spawnServer(env))
  const db = await openDatabase(target, { seed: true })
  await addStaff(db, 'bench-', opts.staffCount)

  const latencies: number[] = []
  let errors = 0
  let created = 0
  let turn = 0
  const base = () => servers[turn++ % servers.length].base
  const timed = async <T>(fn: () => Promise<T>) => {
    const t = performance.now()
    try {
      return await fn()
    } finally {
      latencies.push(performance.now() - t)
    }
  }
  // the photos made before the clock starts (the load generator's CPU goes to sending, not to drawing photos): as
  // many as the run can use at the rates this machine reaches, more drawn while it runs only if those run out
  const photos = await photoPool(Math.min(12_000, opts.seconds * 120))
  const end = Date.now() + opts.seconds * 1000
  const meter = cpuMeter(servers.flatMap((server) => (server.pid ? [server.pid] : [])))
  await Promise.all(
    Array.from({ length: opts.staffCount }, async (_, i) => {
      const session = (await (
        await fetch(`${base()}/api/auth/dev`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ staffId: `bench-${i}` }),
        })
      ).json()) as { token: string }
      const auth = { Authorization: `Bearer ${session.token}` }
      let n = 0
      while (Date.now() < end) {
        n++
        try {
          const ids: string[] = []
          for (let k = 0; k < 2; k++) {
            const form = new FormData()
            form.append('takenAt', new Date().toISOString())
            // what the photo is for, as the app says (issue 26): the storefront, then the spot (its QR codes read)
            form.append('purpose', k === 0 ? 'storefront' : 'spot')
            form.append('file', new Blob([new Uint8Array(photos.pop() ?? (await noisePhoto()))], { type: 'image/png' }), 'p.png')
            const res = await timed(() => fetch(`${base()}/api/uploads`, { method: 'POST', headers: auth, body: form }))
            if (res.status >= 300) throw new Error(`upload ${res.status} ${await res.text()}`)
            ids.push(((await res.json()) as { id: string }).id)
          }
          const body = JSON.stringify({
            clientId: `bench-${i}-${n}-${Date.now()}`,
            product: 'PRIMARY_POSM',
            store: {
              name: `Bench Store ${i}-${n}`,
              address: '1 Bench Street, Jakarta',
              category: 'RETAIL',
              wallets: ['GCASH'],
              managerConsent: true,
              openingTime: '00:00',
              closingTime: '24:00',
              location: { latitude: -6.2, longitude: 106.8, accuracy: 10, mocked: false },
              storefrontPhotoId: ids[0],
            },
            spots: [{ position: 'CASHIER_COUNTER', photoId: ids[1], materialType: 'STICKER' }],
            merchant: { contactName: 'Bench Contact', contactPhone: '+6281234567890', legalName: 'Bench Merchant', acquirerMerchantId: 'ACQ-0001', notes: '' },
            paymentVerificationIds: [],
          })
          const post = () => fetch(`${base()}/api/promotions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body })
          const res = await timed(post)
          if (res.status !== 201) throw new Error(`promotion ${res.status} ${await res.text()}`)
          // a retry of the same submission (as after a lost answer), to the other process when there are two
          const again = await timed(post)
          if (again.status !== 200) throw new Error(`retry ${again.status}`)
          created++
        } catch (e) {
          errors++
          if (errors <= 3) console.error(`load error: ${(e as Error).message}`)
        }
      }
    }),
  )
  const cpu = meter()
  for (const server of servers) await server.stop()
  const stored = (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM promotions WHERE staff_id LIKE 'bench-%'"))!.n
  await db.close()
  fs.rmSync(dir, { recursive: true, force: true })
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.floor(latencies.length * q)] ?? 0
  return { requests: latencies.length, p50: at(0.5), p95: at(0.95), errors, created, duplicates: stored - created, cpu }
}

/**
 * A photo of random blocks, smoothed: its own content and its own fingerprint, as two real photos of two stores are
 * (the gradients of the e2e pictures are near-duplicates of each other for the evidence checks: PHOTO_REUSED), and
 * smooth as a photo is (pixel noise would make the QR decoder search far longer than a real photo does).
 */
async function photoPool(count: number): Promise<Buffer[]> {
  const pool: Buffer[] = []
  while (pool.length < count) pool.push(...(await Promise.all(Array.from({ length: Math.min(64, count - pool.length) }, noisePhoto))))
  return pool
}

function noisePhoto(): Promise<Buffer> {
  return sharp(randomBytes(12 * 8 * 3), { raw: { width: 12, height: 8, channels: 3 } })
    .resize(96, 64, { kernel: 'cubic' })
    .png({ compressionLevel: 1 })
    .toBuffer()
}

// ---- the results summary at scale ---------------------------------------------------------------

const BULK_STAFF = 1000

/** `n`'s creation time: spread over the year before `now`, at every second of the day. */
function createdAtSql(engine: 'sqlite' | 'postgres', now: string): string {
  return engine === 'sqlite'
    ? `strftime('%Y-%m-%dT%H:%M:%fZ', '${now}', '-' || (n % 365) || ' days', '-' || ((n * 7919) % 86400) || ' seconds')`
    : `to_char((TIMESTAMP '${now.slice(0, 19).replace('T', ' ')}' - (n % 365) * INTERVAL '1 day' - ((n::bigint * 7919) % 86400) * INTERVAL '1 second'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
}

/** Promotions `from`…`to`-1 (with an upload and two spots each) for staff bulk-0…bulk-999, in one statement each. */
async function bulkPromotions(db: Db, from: number, to: number, now: string): Promise<void> {
  const engine = db.engine
  const numbers =
    engine === 'sqlite'
      ? (body: string) =>
          `WITH RECURSIVE seq(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM seq WHERE n < ${to - 1}) ${body.replace('FROM numbers', 'FROM seq')}`
      : (body: string) => body.replace('FROM numbers', `FROM generate_series(${from}, ${to - 1}) AS n`)
  const created = createdAtSql(engine, now)
  const text = (expr: string) => (engine === 'sqlite' ? `CAST(${expr} AS TEXT)` : `(${expr})::text`)
  const store = (await db.get<{ store_json: string; merchant_json: string }>("SELECT store_json, merchant_json FROM promotions WHERE id = 'prm-seed-warung'"))!
  await db.transaction(async () => {
    await db.run(
      numbers(
        `INSERT INTO uploads (id, staff_id, sha256, mime, size, stored_name, created_at, promotion_id)
         SELECT 'bup-' || ${text('n')}, 'bulk-' || ${text(`n % ${BULK_STAFF}`)}, 'sha-' || ${text('n')}, 'image/png', 1000, 'bulk-' || ${text('n')} || '.png', ${created}, NULL FROM numbers`,
      ),
    )
    await db.run(
      numbers(
        `INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json, store_review_status,
           created_at, submitted_at, decided_at, store_decided_at, updated_at)
         SELECT 'bpr-' || ${text('n')}, 'bulk-client-' || ${text('n')}, 'bulk-' || ${text(`n % ${BULK_STAFF}`)}, 'iso-nusantara',
           CASE WHEN n % 2 = 0 THEN 'MARKETING_CODE' ELSE 'PRIMARY_POSM' END, 'DEPLOY_THEN_VERIFY',
           CASE n % 3 WHEN 0 THEN 'APPROVED' WHEN 1 THEN 'REJECTED' ELSE 'PENDING_REVIEW' END, ?, ?,
           CASE n % 3 WHEN 0 THEN 'APPROVED' WHEN 1 THEN 'REJECTED' ELSE 'PENDING' END,
           ${created}, ${created}, CASE WHEN n % 3 = 2 THEN NULL ELSE ${created} END, CASE WHEN n % 3 = 2 THEN NULL ELSE ${created} END, ${created}
         FROM numbers`,
      ),
      [store.store_json, store.merchant_json],
    )
    await db.run(
      numbers(
        `INSERT INTO promotion_spots (promotion_id, idx, position, photo_id, marketing_code, material_type, review_status, decided_at)
         SELECT 'bpr-' || ${text('n')}, i.idx, 'CASHIER_COUNTER', 'bup-' || ${text('n')},
           CASE WHEN n % 2 = 0 THEN 'BULK' || ${text('n')} || '-' || ${text('i.idx')} ELSE NULL END,
           CASE WHEN n % 2 = 0 THEN NULL ELSE 'STICKER' END,
           CASE n % 3 WHEN 0 THEN 'APPROVED' WHEN 1 THEN 'REJECTED' ELSE 'PENDING' END,
           CASE WHEN n % 3 = 2 THEN NULL ELSE ${created} END
         FROM numbers CROSS JOIN (SELECT 0 AS idx UNION ALL SELECT 1) i`,
      ),
    )
  })
}

export interface ScalePoint {
  promotions: number
  seedSeconds: number
  monthMedian: number
  yearMedian: number
  yearP95: number
  staffPromotionsInYear: number
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/**
 * Grows one database from 10 k to 1 M promotions and times GET /api/results/summary of one of the bulk staff
 * (1 000 staff, the promotions spread over a year) for this month and for the whole year (the longest period).
 */
export async function resultsAtScale(target: string, sizes: number[], log: (line: string) => void): Promise<{ points: ScalePoint[]; plans: string[] }> {
  const now = new Date().toISOString()
  const db = await openDatabase(target, { seed: true })
  await addStaff(db, 'bulk-', BULK_STAFF)
  const points: ScalePoint[] = []
  let have = 0
  for (const size of sizes) {
    const t0 = performance.now()
    for (let from = have; from < size; from += 100_000) await bulkPromotions(db, from, Math.min(size, from + 100_000), now)
    have = size
    await db.exec('ANALYZE') // both engines: fresh statistics for the planner
    const seedSeconds = (performance.now() - t0) / 1000
    const app = await buildServer(
      db.engine === 'sqlite' ? { dbPath: target, dev: true, staticDir: null } : { dbPath: ':memory:', databaseUrl: target, dev: true, staticDir: null },
    )
    try {
      const token = (await app.inject({ method: 'POST', url: '/api/auth/dev', payload: { staffId: 'bulk-0' } })).json().token as string
      const today = now.slice(0, 10)
      const yearAgo = new Date(Date.parse(now) - 365 * 86400_000).toISOString().slice(0, 10)
      const time = async (query: string, runs: number) => {
        const samples: number[] = []
        for (let r = 0; r < runs + 2; r++) {
          const t = performance.now()
          const res = await app.inject({ method: 'GET', url: `/api/results/summary${query}`, headers: { authorization: `Bearer ${token}` } })
          if (res.statusCode !== 200) throw new Error(`summary ${res.statusCode} ${res.body}`)
          if (r >= 2) samples.push(performance.now() - t)
        }
        return samples
      }
      const month = await time('', 15)
      const year = await time(`?from=${yearAgo}&to=${today}`, 15)
      const staffPromotionsInYear = (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM promotions WHERE staff_id = 'bulk-0'"))!.n
      const point = {
        promotions: size,
        seedSeconds,
        monthMedian: median(month),
        yearMedian: median(year),
        yearP95: [...year].sort((a, b) => a - b)[Math.floor(year.length * 0.95)],
        staffPromotionsInYear,
      }
      log(
        `  ${db.engine} ${size.toLocaleString('en')} promotions: month ${point.monthMedian.toFixed(1)} ms, year ${point.yearMedian.toFixed(1)} ms (seeded in ${seedSeconds.toFixed(0)} s)`,
      )
      points.push(point)
    } finally {
      await app.close()
    }
  }
  const plans = await queryPlans(db, now)
  await db.close()
  return { points, plans }
}

/** The plans of the summary's queries for one staff member over a year. */
async function queryPlans(db: Db, now: string): Promise<string[]> {
  const from = new Date(Date.parse(now) - 365 * 86400_000).toISOString()
  const queries = [
    ['promotions in the period', 'SELECT * FROM promotions WHERE staff_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id'],
    [
      'their spots',
      'SELECT s.* FROM promotion_spots s JOIN promotions p ON p.id = s.promotion_id WHERE p.staff_id = ? AND p.created_at >= ? AND p.created_at < ? ORDER BY s.promotion_id, s.idx',
    ],
  ]
  const out: string[] = []
  for (const [name, sql] of queries) {
    const params = ['bulk-0', from, now]
    if (db.engine === 'sqlite') {
      const rows = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)
      out.push(`SQLite, ${name}: ${rows.map((r) => r.detail).join('; ')}`)
    } else {
      const rows = await db.all<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`, params)
      out.push(`PostgreSQL, ${name}: ${rows.map((r) => r['QUERY PLAN'].trim()).join(' → ')}`)
    }
  }
  return out
}
