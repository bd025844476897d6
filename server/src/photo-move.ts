/**
 * `npm run photos:move -- --to bucket|folder [--concurrency N]`: copies every photo the database knows (the
 * `uploads` rows) from the upload folder (UPLOAD_DIR) to the bucket (S3_BUCKET, S3_ENDPOINT, … as the server
 * reads them), or back, on the database of the server's configuration (DATABASE_URL and DATABASE_SCHEMA, else
 * DB_PATH). Each photo is checked against the SHA-256 its row recorded: the source's copy before it is sent, the
 * target's copy after (read back). A photo the target has already, with the recorded hash, is skipped, so the
 * command is safe to run again (after a failure, or to pick up photos uploaded while it ran); a copy in the target
 * that does not match is replaced. Nothing is deleted from the source. Progress goes to standard output; each
 * failure (a photo missing or altered at the source, a copy that does not read back whole, a store that refuses)
 * to standard error with the photo's name, and the exit code is 1 when any photo failed (2: the command or the
 * settings are wrong), 0 when every photo is in the target and verified. README: "Moving photos between the
 * folder and a bucket".
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { loadConfig } from './config'
import { openDatabase, type Db } from './db'
import { createFolderStore } from './storage/folder'
import type { PhotoStore } from './storage/port'
import { createS3Store } from './storage/s3'

export interface MoveReport {
  total: number
  copied: number
  alreadyThere: number
  failed: Array<{ name: string; uploadId: string; problem: string }>
}

export interface MoveOptions {
  db: Db
  from: PhotoStore
  to: PhotoStore
  /** Photos copied at once (default 4). */
  concurrency?: number
  /** A progress line (default: none). */
  progress?: (line: string) => void
  /** A failure line (default: none). */
  failure?: (line: string) => void
  /** A progress line at least every this many photos (default 100), and at the end. */
  every?: number
}

interface PhotoRow {
  id: string
  sha256: string
  mime: string
  stored_name: string
}

const PAGE = 500

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error)
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

/** Copies every photo of the database from `from` to `to`, verified by hash (see the file's comment). */
export async function movePhotos({
  db,
  from,
  to,
  concurrency = 4,
  progress = () => undefined,
  failure = () => undefined,
  every = 100,
}: MoveOptions): Promise<MoveReport> {
  const total = Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM uploads'))?.n ?? 0)
  const report: MoveReport = { total, copied: 0, alreadyThere: 0, failed: [] }
  let done = 0
  const line = () =>
    `photos:move: ${done} of ${total} photos checked: ${report.copied} copied, ${report.alreadyThere} already there, ${report.failed.length} failed`
  progress(`photos:move: ${total} photos, from ${from.describe()} to ${to.describe()}`)

  async function one(row: PhotoRow): Promise<void> {
    const name = row.stored_name
    try {
      const present = await to.get(name)
      if (present && sha256(present) === row.sha256) {
        report.alreadyThere++
        return
      }
      const bytes = await from.get(name)
      if (!bytes) throw new Error(`missing at the source (${from.describe()})`)
      if (sha256(bytes) !== row.sha256) throw new Error('the source copy does not match the SHA-256 recorded at upload (altered or cut short); not copied')
      await to.put(name, bytes, row.mime)
      const copy = await to.get(name)
      if (!copy || sha256(copy) !== row.sha256) throw new Error('the copy in the target does not read back whole (its SHA-256 differs)')
      report.copied++
    } catch (error) {
      const problem = messageOf(error)
      report.failed.push({ name, uploadId: row.id, problem })
      failure(`photos:move: ${name} (upload ${row.id}): ${problem}`)
    } finally {
      done++
      if (done % every === 0 && done < total) progress(line())
    }
  }

  let after = ''
  for (;;) {
    // keyset pages by primary key: each page an index range, however many photos there are
    const rows = await db.all<PhotoRow>('SELECT id, sha256, mime, stored_name FROM uploads WHERE id > ? ORDER BY id LIMIT ?', [after, PAGE])
    if (rows.length === 0) break
    after = rows[rows.length - 1].id
    let next = 0
    const worker = async () => {
      while (next < rows.length) await one(rows[next++])
    }
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, rows.length)) }, worker))
  }
  progress(line())
  return report
}

const USAGE =
  'usage: npm run photos:move -- --to bucket|folder [--concurrency N]   (the folder is UPLOAD_DIR, the bucket S3_BUCKET and the other S3_* settings)'

/** Runs the command; answers its exit code. */
export async function runPhotoMove(
  args: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let to: string | undefined
  let concurrency = 4
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--to' && i + 1 < args.length) to = args[++i]
    else if (arg === '--concurrency' && i + 1 < args.length) {
      const text = args[++i]
      concurrency = Number(text)
      if (!/^\d+$/.test(text) || concurrency < 1 || concurrency > 32) {
        err(`photos:move: --concurrency must be a whole number from 1 to 32 (got "${text.slice(0, 40)}")`)
        return 2
      }
    } else {
      err(`photos:move: unknown argument "${arg.slice(0, 40)}"`)
      err(USAGE)
      return 2
    }
  }
  if (to !== 'bucket' && to !== 'folder') {
    err(
      to === undefined
        ? 'photos:move: say where the photos go: --to bucket or --to folder'
        : `photos:move: --to must be bucket or folder (got "${to.slice(0, 40)}")`,
    )
    err(USAGE)
    return 2
  }

  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig(env)
  } catch (error) {
    err(`photos:move: ${messageOf(error)}`)
    return 2
  }
  if (!config.photoBucket) {
    err(
      'photos:move: set S3_BUCKET (and S3_ENDPOINT, S3_REGION, S3_PREFIX, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY as needed, as for the server): the bucket to copy to or from',
    )
    return 2
  }
  if (to === 'bucket' && !fs.existsSync(config.uploadDir)) {
    err(`photos:move: the upload folder ${config.uploadDir} does not exist: set UPLOAD_DIR to the folder the photos are in`)
    return 2
  }

  const folder = createFolderStore(config.uploadDir)
  const bucket = createS3Store(config.photoBucket)
  const [from, target] = to === 'bucket' ? [folder, bucket] : [bucket, folder]
  let db: Db | undefined
  try {
    for (const [role, store] of [
      ['source', from],
      ['target', target],
    ] as const) {
      try {
        await store.check()
      } catch (error) {
        err(`photos:move: the ${role}, ${store.describe()}, cannot be used: ${messageOf(error)}`)
        return 1
      }
    }
    db = await openDatabase(config.databaseUrl ?? config.dbPath, { schema: config.databaseSchema })
    const report = await movePhotos({ db, from, to: target, concurrency, progress: out, failure: err })
    if (report.failed.length) {
      err(`photos:move: ${report.failed.length} of ${report.total} photos failed (listed above); run the command again once their cause is fixed`)
      return 1
    }
    out(`photos:move: done: every photo is in ${target.describe()} and matches its SHA-256`)
    return 0
  } catch (error) {
    err(`photos:move: ${messageOf(error)}`)
    return 1
  } finally {
    await db?.close()
    folder.close()
    bucket.close()
  }
}

if (require.main === module) {
  // the AWS SDK's notice about future Node versions is no news to the operator of this command (unless asked for)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  runPhotoMove(
    process.argv.slice(2),
    process.env,
    (line) => console.log(line),
    (line) => console.error(line),
  ).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`photos:move: ${messageOf(error)}`)
      process.exit(1)
    },
  )
}
