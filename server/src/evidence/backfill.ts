/**
 * `npm run photos:fingerprint`: gives every photo the database knows that has no fingerprint yet (photos uploaded
 * before issue 26) its perceptual fingerprint, read from the photo store of the server's configuration (UPLOAD_DIR
 * or the bucket), on the database of that configuration. Safe to run again and while the server runs (a photo
 * fingerprinted meanwhile is left as it is). Photos that carry no usable fingerprint (tiny, flat, not decodable)
 * or whose file is missing are counted and read again on the next run. Exit code 0 when every readable photo has
 * one, 1 when a photo's file is missing, 2 when the settings are wrong. README: "Near-duplicate photos and location
 * trust".
 */
import { loadConfig } from '../config'
import { openDatabase, type Db } from '../db'
import { createFolderStore } from '../storage/folder'
import type { PhotoStore } from '../storage/port'
import { createS3Store } from '../storage/s3'
import { hashHex, photoFingerprint } from './dhash'

export interface BackfillReport {
  fingerprinted: number
  noFingerprint: number
  missing: string[]
}

/** Fingerprints the photos without one, `batch` rows at a time (by id). */
export async function backfillFingerprints(
  db: Db,
  photos: PhotoStore,
  progress: (line: string) => void = () => undefined,
  batch = 500,
): Promise<BackfillReport> {
  const report: BackfillReport = { fingerprinted: 0, noFingerprint: 0, missing: [] }
  let after = ''
  for (;;) {
    const rows = await db.all<{ id: string; stored_name: string }>(
      `SELECT u.id, u.stored_name FROM uploads u WHERE u.id > ? AND NOT EXISTS (SELECT 1 FROM photo_hashes h WHERE h.upload_id = u.id) ORDER BY u.id LIMIT ${batch}`,
      [after],
    )
    if (rows.length === 0) break
    for (const row of rows) {
      const content = await photos.get(row.stored_name)
      if (!content) {
        report.missing.push(row.id)
        continue
      }
      const fp = await photoFingerprint(content)
      if (!fp) {
        report.noFingerprint++
        continue
      }
      await db.run(
        'INSERT INTO photo_hashes (upload_id, dhash, band0, band1, band2, band3, colours) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (upload_id) DO NOTHING',
        [row.id, hashHex(fp.hash), ...fp.hash, fp.colours],
      )
      report.fingerprinted++
    }
    after = rows[rows.length - 1].id
    progress(`photos:fingerprint: ${report.fingerprinted} fingerprinted, ${report.noFingerprint} without one, ${report.missing.length} missing`)
  }
  return report
}

export async function runBackfill(env: Record<string, string | undefined>, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig(env)
  } catch (error) {
    err(`photos:fingerprint: ${error instanceof Error ? error.message : String(error)}`)
    return 2
  }
  const photos = config.photoBucket ? createS3Store(config.photoBucket) : createFolderStore(config.uploadDir)
  let db: Db | undefined
  try {
    db = await openDatabase(config.databaseUrl ?? config.dbPath, { schema: config.databaseSchema })
    const report = await backfillFingerprints(db, photos, out)
    for (const id of report.missing) err(`photos:fingerprint: the file of photo ${id} is missing from ${photos.describe()}`)
    out(`photos:fingerprint: done: ${report.fingerprinted} fingerprinted, ${report.noFingerprint} without a usable one, ${report.missing.length} missing`)
    return report.missing.length > 0 ? 1 : 0
  } catch (error) {
    err(`photos:fingerprint: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  } finally {
    await db?.close()
    photos.close()
  }
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  runBackfill(
    process.env,
    (line) => console.log(line),
    (line) => console.error(line),
  ).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
