/**
 * Issue 26 item 2's bench figure: the near-duplicate lookup at submit (repo/evidence.ts `candidates`, then the
 * whole-distance rule) with 10 k, 100 k and 1 M stored photo hashes, on SQLite or PostgreSQL. The stored hashes are
 * random (each band uniform); every stored photo counts as part of a promotion, so every candidate is read and
 * compared. Each lookup is a photo with a random hash; one planted copy (5 bits off) must be found at each size.
 */
import { performance } from 'node:perf_hooks'
import { openDatabase, type Db } from '../server/src/db'
import { DEFAULT_EVIDENCE_SETTINGS } from '../server/src/evidence/config'
import { photosLike } from '../server/src/evidence/checks'
import sharp from 'sharp'
import { photoFingerprint, probeRadius, type PhotoHash } from '../server/src/evidence/dhash'
import { storefrontPhoto } from '../__tests__/helpers/storefronts'
import { createRepos } from '../server/src/repo'

export interface NearDuplicatePoint {
  hashes: number
  median: number
  p95: number
  /** Rows the index probes read per lookup (median). */
  candidates: number
  seedSeconds: number
}

const COLOURS = '80'.repeat(24)

async function bulkHashes(db: Db, from: number, to: number): Promise<void> {
  const sqlite = db.engine === 'sqlite'
  const numbers = (body: string) =>
    sqlite
      ? `WITH RECURSIVE seq(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM seq WHERE n < ${to - 1}) ${body.replace('FROM numbers', 'FROM seq')}`
      : body.replace('FROM numbers', `FROM generate_series(${from}, ${to - 1}) AS n`)
  const text = (expr: string) => (sqlite ? `CAST(${expr} AS TEXT)` : `(${expr})::text`)
  const band = sqlite ? '(abs(random()) % 65536)' : 'floor(random() * 65536)::int'
  await db.transaction(async () => {
    await db.run(
      numbers(
        `INSERT INTO uploads (id, staff_id, sha256, mime, size, stored_name, created_at, promotion_id)
         SELECT 'bph-' || ${text('n')}, 'staff-chen', 'bph-sha-' || ${text('n')}, 'image/jpeg', 1000, 'bph-' || ${text('n')} || '.jpg', '2025-01-01T00:00:00.000Z', 'prm-seed-kopi' FROM numbers`,
      ),
    )
    await db.run(
      numbers(`INSERT INTO photo_hashes (upload_id, dhash, band0, band1, band2, band3, colours)
         SELECT 'bph-' || ${text('n')}, '', ${band}, ${band}, ${band}, ${band}, '${COLOURS}' FROM numbers`),
    )
  })
}

function randomHash(): PhotoHash {
  const r = () => Math.floor(Math.random() * 65536)
  return [r(), r(), r(), r()]
}

/** Loads `sizes` (ascending) hashes into a new database at `target` and times 200 lookups at each. */
export async function nearDuplicateLookupAtScale(target: string, sizes: number[], log: (line: string) => void): Promise<NearDuplicatePoint[]> {
  const db = await openDatabase(target, { seed: true })
  const repos = createRepos(db)
  const settings = DEFAULT_EVIDENCE_SETTINGS
  const radius = probeRadius(settings.reuseMaxBits)
  const points: NearDuplicatePoint[] = []
  let have = 0
  try {
    for (const size of sizes) {
      const t0 = performance.now()
      for (let from = have; from < size; from += 100_000) await bulkHashes(db, from, Math.min(size, from + 100_000))
      have = size
      // a planted copy of a stored photo: 5 of its bits flipped, spread over the bands
      const stored = (await db.get<{ upload_id: string; band0: number; band1: number; band2: number; band3: number }>(
        "SELECT upload_id, band0, band1, band2, band3 FROM photo_hashes WHERE upload_id = 'bph-7'",
      ))!
      // fresh statistics; PostgreSQL also marks the pages all-visible (index-only scans), as autovacuum does
      await db.exec(db.engine === 'sqlite' ? 'ANALYZE' : 'VACUUM ANALYZE photo_hashes')
      const seedSeconds = (performance.now() - t0) / 1000
      const copy: PhotoHash = [stored.band0 ^ 0b11, stored.band1 ^ 0b1, stored.band2 ^ 0b1000, stored.band3 ^ 0x8000]
      // the lookup as at submit (evidence/checks.ts photosLike)
      const lookup = (hash: PhotoHash) => photosLike(repos, settings, { hash, colours: COLOURS }, null)
      const planted = await lookup(copy)
      if (!planted.some((m) => m.uploadId === 'bph-7')) throw new Error(`the planted copy was not found at ${size} hashes`)
      const samples: number[] = []
      const counts: number[] = []
      for (let i = 0; i < 202; i++) {
        const hash = randomHash()
        const t = performance.now()
        await lookup(hash)
        if (i >= 2) {
          samples.push(performance.now() - t)
          counts.push((await repos.evidence.candidates(hash, radius)).length)
        }
      }
      samples.sort((a, b) => a - b)
      counts.sort((a, b) => a - b)
      const point = {
        hashes: size,
        median: samples[samples.length >> 1],
        p95: samples[Math.floor(samples.length * 0.95)],
        candidates: counts[counts.length >> 1],
        seedSeconds,
      }
      log(
        `  ${size.toLocaleString('en')} hashes: median ${point.median.toFixed(2)} ms, p95 ${point.p95.toFixed(2)} ms, ${point.candidates} candidates (loaded in ${seedSeconds.toFixed(0)} s)`,
      )
      points.push(point)
    }
  } finally {
    await db.close()
  }
  return points
}

/** The fingerprint's time per photo at upload (sharp: decode, 9×8 and 4×3 reductions), median of `runs`, by size. */
export async function fingerprintTimes(runs = 15): Promise<Array<{ size: string; bytes: number; median: number }>> {
  const base = await storefrontPhoto(1)
  const out: Array<{ size: string; bytes: number; median: number }> = []
  for (const [width, height] of [
    [1280, 960],
    [4000, 3000],
  ]) {
    const photo = await sharp(base).resize(width, height).jpeg({ quality: 85 }).toBuffer()
    const samples: number[] = []
    for (let r = 0; r < runs + 2; r++) {
      const t = performance.now()
      await photoFingerprint(photo)
      if (r >= 2) samples.push(performance.now() - t)
    }
    samples.sort((a, b) => a - b)
    out.push({ size: `${width}×${height}`, bytes: photo.length, median: samples[samples.length >> 1] })
  }
  return out
}
