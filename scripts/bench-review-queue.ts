/**
 * Issue 26 item 5's bench figure: a page of the Alipay+ review queue (repo/promotions.ts queuePage, 51 rows: a
 * page and one to know whether another follows, with its staff, ISO and resubmission count) at 100 k stored
 * submissions, on SQLite or PostgreSQL. The promotions are generated in SQL: 70 % pending review, 10 % each
 * awaiting payment, approved and rejected; two ISOs; both products; one in seven WEAK, two in seven LOOK_CLOSELY;
 * one store name in fifty contains "kenangan".
 */
import { performance } from 'node:perf_hooks'
import { openDatabase, type Db } from '../server/src/db'
import { createRepos } from '../server/src/repo'
import type { QueueCursor, QueueFilter, QueueSort } from '../server/src/repo/promotions'

export interface QueueBenchPoint {
  scenario: string
  median: number
  p95: number
  rows: number
}

async function bulkPromotions(db: Db, from: number, to: number): Promise<void> {
  const sqlite = db.engine === 'sqlite'
  const text = (expr: string) => (sqlite ? `CAST(${expr} AS TEXT)` : `(${expr})::text`)
  const at = (seconds: string) =>
    sqlite ? `strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch')` : `to_char(to_timestamp(${seconds}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  const mod = (a: string, b: number) => `(${a} % ${b})`
  const body = `INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json, created_at, submitted_at, updated_at,
        evidence_level, evidence_rank, evidence_reasons, store_name_key)
    SELECT 'bq-' || ${text('n')}, 'bq-' || ${text('n')},
      CASE WHEN ${mod('n', 2)} = 0 THEN 'staff-chen' ELSE 'staff-dao' END,
      CASE WHEN ${mod('n', 2)} = 0 THEN 'iso-lioncity' ELSE 'iso-nusantara' END,
      CASE WHEN ${mod('n', 3)} = 0 THEN 'PRIMARY_POSM' ELSE 'MARKETING_CODE' END,
      'VERIFY_THEN_DEPLOY',
      CASE WHEN ${mod('n', 10)} < 7 THEN 'PENDING_REVIEW' WHEN ${mod('n', 10)} = 7 THEN 'AWAITING_PAYMENT_VERIFICATION' WHEN ${mod('n', 10)} = 8 THEN 'APPROVED' ELSE 'REJECTED' END,
      '{"name":"Bench Store ' || ${text('n')} || '","address":"' || ${text('n')} || ' Jalan Bench","storefrontPhotoId":"none"}', '{}',
      ${at('1735689600 + n * 60')},
      CASE WHEN ${mod('n', 10)} = 7 THEN NULL ELSE ${at('1735689600 + n * 60 + 30')} END,
      ${at('1735689600 + n * 60 + 30')},
      CASE WHEN ${mod('n', 7)} = 0 THEN 'WEAK' WHEN ${mod('n', 7)} < 3 THEN 'LOOK_CLOSELY' ELSE 'GOOD' END,
      CASE WHEN ${mod('n', 7)} = 0 THEN 0 WHEN ${mod('n', 7)} < 3 THEN 1 ELSE 2 END,
      CASE WHEN ${mod('n', 7)} = 0 THEN '[{"kind":"LOCATION_MOCKED","field":"store.storefrontPhotoId","uploadId":null}]' ELSE '[]' END,
      'bench store ' || ${text('n')} || CASE WHEN ${mod('n', 50)} = 0 THEN ' kopi kenangan' ELSE ' warung' END
    FROM numbers`
  const sql = sqlite
    ? `WITH RECURSIVE seq(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM seq WHERE n < ${to - 1}) ${body.replace('FROM numbers', 'FROM seq')}`
    : body.replace('FROM numbers', `FROM generate_series(${from}, ${to - 1}) AS n`)
  await db.transaction(() => db.run(sql).then(() => undefined))
}

const BASE: QueueFilter = { statuses: ['PENDING_REVIEW'], isoId: null, product: null, rank: null, from: null, to: null, search: null }

/** Loads `size` promotions into a new database at `target`, then times each scenario's page (median of `runs`). */
export async function reviewQueueAtScale(target: string, size: number, log: (line: string) => void, runs = 51): Promise<QueueBenchPoint[]> {
  const db = await openDatabase(target, { seed: true })
  const repos = createRepos(db)
  const points: QueueBenchPoint[] = []
  try {
    const t0 = performance.now()
    for (let from = 0; from < size; from += 50_000) await bulkPromotions(db, from, Math.min(size, from + 50_000))
    await db.exec(db.engine === 'sqlite' ? 'ANALYZE' : 'VACUUM ANALYZE promotions')
    log(`  ${size.toLocaleString('en')} promotions loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    // a cursor in the middle of the pending queue (a deep page, as Next leads to)
    const middle = await db.get<{ id: string; at: string; rank: number }>(
      `SELECT id, submitted_at AS at, evidence_rank AS rank FROM promotions WHERE status = 'PENDING_REVIEW' AND id = 'bq-${Math.floor(size / 2)}'`,
    )
    const deep: QueueCursor | undefined = middle ? { rank: Number(middle.rank), at: middle.at, id: middle.id } : undefined
    const scenarios: Array<[string, QueueFilter, QueueSort, { after?: QueueCursor; before?: QueueCursor }]> = [
      ['pending review, oldest first, first page', BASE, 'time', {}],
      ['pending review, oldest first, a page in the middle (Next)', BASE, 'time', { after: deep }],
      ['pending review, oldest first, a page in the middle (Previous)', BASE, 'time', { before: deep }],
      ['pending review, weakest evidence first, first page', BASE, 'evidence', {}],
      ['pending review, weakest first, a page in the middle', BASE, 'evidence', { after: deep }],
      [
        'one ISO, one product, WEAK, a week of submissions',
        { ...BASE, isoId: 'iso-nusantara', product: 'MARKETING_CODE', rank: 0, from: '2025-02-01T00:00:00.000Z', to: '2025-02-08T00:00:00.000Z' },
        'time',
        {},
      ],
      ['every status, oldest first', { ...BASE, statuses: ['PENDING_REVIEW', 'AWAITING_PAYMENT_VERIFICATION', 'APPROVED', 'REJECTED'] }, 'time', {}],
      ['store name search, 1 in 50 match ("kenangan")', { ...BASE, search: 'kenangan' }, 'time', {}],
      ['store name search, no match (reads every pending row)', { ...BASE, search: 'no such store' }, 'time', {}],
    ]
    for (const [scenario, filter, sort, position] of scenarios) {
      const samples: number[] = []
      let rows = 0
      for (let i = 0; i < runs; i++) {
        const t = performance.now()
        rows = (await repos.promotions.queuePage(filter, sort, position, 51)).length
        if (i > 0) samples.push(performance.now() - t)
      }
      samples.sort((a, b) => a - b)
      const point = { scenario, median: samples[samples.length >> 1], p95: samples[Math.floor(samples.length * 0.95)], rows }
      log(`  ${scenario}: median ${point.median.toFixed(2)} ms, p95 ${point.p95.toFixed(2)} ms (${rows} rows)`)
      points.push(point)
    }
  } finally {
    await db.close()
  }
  return points
}
