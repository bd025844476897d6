/**
 * `npm run photos:move -- --to bucket|folder` (server/src/photo-move.ts; README, "Moving photos between the folder
 * and a bucket"): the photos of a server on the upload folder reach a bucket (s3rver on loopback) so that a server on
 * the bucket serves them, verified by their SHA-256; run again it copies nothing twice, replaces a copy that does not
 * match, names a photo it cannot copy (exit 1), and brings the photos back into a folder.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildServer } from '../../server/src/app'
import { movePhotos } from '../../server/src/photo-move'
import { createFolderStore } from '../../server/src/storage/folder'
import { createS3Store } from '../../server/src/storage/s3'
import { S3RVER_ACCESS, S3RVER_BUCKET, startS3rver } from '../helpers/s3rver'
import { jpeg, png, uploadRaw, webp } from './promotion-fixtures'
import { startTestServer, type TestServer } from './helpers'

jest.setTimeout(120_000)

const ROOT = path.resolve(__dirname, '../..')
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx')

interface Run {
  code: number | null
  out: string
  err: string
}

/** The command as an operator runs it: through npm (`npm run photos:move -- …`) or its program (tsx), in its own process. */
function run(args: string[], env: Record<string, string>, via: 'npm' | 'tsx' = 'tsx'): Promise<Run> {
  const [command, argv] = via === 'npm' ? ['npm', ['run', '--silent', 'photos:move', '--', ...args]] : [TSX, ['server/src/photo-move.ts', ...args]]
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('npm run photos:move', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>
  let server: TestServer
  let onBucket: FastifyInstance
  let token: string
  let bucketEnv: Record<string, string>
  /** The demo data's photos, there before the test's own. */
  let seeded = 0
  const bucket = () => createS3Store({ bucket: S3RVER_BUCKET, endpoint: s3.endpoint, forcePathStyle: true, credentials: S3RVER_ACCESS })

  beforeAll(async () => {
    s3 = await startS3rver()
    server = await startTestServer()
    // a second server on the same database with the photos in the bucket: what the operator switches to
    onBucket = await buildServer({
      dev: true,
      demoData: false,
      clock: server.clock,
      staticDir: null,
      logger: false,
      photoStore: bucket(),
      ...server.database.serverOptions,
    })
    token = await server.signIn('staff-dao')
    // the demo data's photo rows come without files: give each one, as a real folder would have them
    for (const row of await server.db.all<{ id: string; stored_name: string }>('SELECT id, stored_name FROM uploads')) {
      const content = Buffer.from(`demo photo ${row.id}`)
      fs.writeFileSync(path.join(server.uploadDir, row.stored_name), content)
      await server.db.run('UPDATE uploads SET sha256 = ? WHERE id = ?', [sha(content), row.id])
    }
    seeded = (await server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM uploads'))!.n
    bucketEnv = {
      ...server.database.env(),
      UPLOAD_DIR: server.uploadDir,
      S3_BUCKET: S3RVER_BUCKET,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: S3RVER_ACCESS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_ACCESS.secretAccessKey,
    }
  })

  afterAll(async () => {
    await onBucket?.close()
    await server?.close()
    await s3?.close()
  })

  const upload = async (content: Buffer): Promise<string> => {
    const res = await uploadRaw(server, token, content)
    expect(res.statusCode).toBe(201)
    return (res.json() as { id: string }).id
  }
  const fromBucketServer = (id: string) => onBucket.inject({ method: 'GET', url: `/api/uploads/${id}`, headers: { authorization: `Bearer ${token}` } })
  const storedName = async (id: string) => (await server.db.get<{ stored_name: string }>('SELECT stored_name FROM uploads WHERE id = ?', [id]))!.stored_name

  it('copies every photo to the bucket verified by hash, is safe to run again, replaces a bad copy and brings them back to a folder', async () => {
    const contents = [jpeg(7101), png(7102), webp(7103)]
    const ids = []
    for (const content of contents) ids.push(await upload(content))

    // before the move, a server on the bucket does not have the folder's photos
    const before = await fromBucketServer(ids[0])
    expect(before.statusCode).toBe(404)
    expect(before.json().error.message).toBe('The photo file is missing.')

    const first = await run(['--to', 'bucket'], bucketEnv, 'npm')
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    const n = seeded + 3
    expect(first.out).toContain(`photos:move: ${n} photos, from folder`)
    expect(first.out).toContain(`${n} of ${n} photos checked: ${n} copied, 0 already there, 0 failed`)
    expect(first.out).toContain('done: every photo is in S3 bucket posm-photos')
    // no secret in what it prints
    expect(first.out).not.toContain(S3RVER_ACCESS.secretAccessKey)
    for (const [i, id] of ids.entries()) {
      const res = await fromBucketServer(id)
      expect(res.statusCode).toBe(200)
      expect(res.rawPayload.equals(contents[i])).toBe(true)
    }

    // run again: everything is there and verified, nothing is copied
    const again = await run(['--to', 'bucket'], bucketEnv)
    expect(again.code).toBe(0)
    expect(again.out).toContain(`${n} of ${n} photos checked: 0 copied, ${n} already there, 0 failed`)

    // a copy in the bucket that does not match its recorded hash (cut short) is replaced by the next run
    const store = bucket()
    const name = await storedName(ids[1])
    await store.put(name, contents[1].subarray(0, 20), 'image/png')
    expect((await fromBucketServer(ids[1])).rawPayload.equals(contents[1])).toBe(false)
    const repair = await run(['--to', 'bucket'], bucketEnv)
    expect(repair.code).toBe(0)
    expect(repair.out).toContain(`${n} of ${n} photos checked: 1 copied, ${n - 1} already there, 0 failed`)
    expect((await fromBucketServer(ids[1])).rawPayload.equals(contents[1])).toBe(true)
    store.close()

    // and back, into an empty folder: the same bytes under the same names
    const back = path.join(server.dir, 'uploads-back')
    const home = await run(['--to', 'folder'], { ...bucketEnv, UPLOAD_DIR: back })
    expect(home.code).toBe(0)
    expect(home.out).toContain(`${n} of ${n} photos checked: ${n} copied, 0 already there, 0 failed`)
    for (const [i, id] of ids.entries()) expect(sha(fs.readFileSync(path.join(back, await storedName(id))))).toBe(sha(contents[i]))
    const backAgain = await run(['--to', 'folder'], { ...bucketEnv, UPLOAD_DIR: back })
    expect(backAgain.code).toBe(0)
    expect(backAgain.out).toContain(`0 copied, ${n} already there, 0 failed`)
  })

  it('exits 1 naming a photo it cannot copy (missing or altered at the source), and copies the others', async () => {
    const missing = await upload(jpeg(7201))
    const altered = await upload(png(7202))
    const fine = await upload(webp(7203))
    fs.rmSync(path.join(server.uploadDir, await storedName(missing)))
    fs.writeFileSync(path.join(server.uploadDir, await storedName(altered)), png(7299))

    const res = await run(['--to', 'bucket'], bucketEnv)
    expect(res.code).toBe(1)
    expect(res.err).toContain(`${await storedName(missing)} (upload ${missing}): missing at the source`)
    expect(res.err).toContain(`${await storedName(altered)} (upload ${altered}): the source copy does not match the SHA-256 recorded at upload`)
    expect(res.err).toContain(`2 of ${seeded + 6} photos failed`)
    expect(res.out).toContain(`1 copied, ${seeded + 3} already there, 2 failed`)
    expect((await fromBucketServer(fine)).statusCode).toBe(200)
    // the altered copy never reached the bucket
    expect((await fromBucketServer(altered)).statusCode).toBe(404)
  })

  it('refuses a wrong command or missing settings with a clear line (exit 2), and a missing bucket (exit 1)', async () => {
    const none = await run([], bucketEnv)
    expect(none.code).toBe(2)
    expect(none.err).toContain('say where the photos go: --to bucket or --to folder')
    const wrong = await run(['--to', 'cloud'], bucketEnv)
    expect(wrong.code).toBe(2)
    expect(wrong.err).toContain('--to must be bucket or folder (got "cloud")')
    const noBucket = await run(['--to', 'bucket'], { ...server.database.env(), UPLOAD_DIR: server.uploadDir })
    expect(noBucket.code).toBe(2)
    expect(noBucket.err).toContain('set S3_BUCKET')
    const noFolder = await run(['--to', 'bucket'], { ...bucketEnv, UPLOAD_DIR: path.join(server.dir, 'nowhere') })
    expect(noFolder.code).toBe(2)
    expect(noFolder.err).toContain('does not exist: set UPLOAD_DIR')
    const absent = await run(['--to', 'bucket'], { ...bucketEnv, S3_BUCKET: 'no-such-bucket' })
    expect(absent.code).toBe(1)
    expect(absent.err).toContain('the target, S3 bucket no-such-bucket')
    expect(absent.err).not.toContain(S3RVER_ACCESS.secretAccessKey)
  })

  it('reports progress as it goes', async () => {
    const lines: string[] = []
    const target = path.join(server.dir, 'uploads-progress')
    const report = await movePhotos({
      db: server.db,
      from: createFolderStore(server.uploadDir),
      to: createFolderStore(target),
      every: 2,
      progress: (line) => lines.push(line),
    })
    expect(report.total).toBeGreaterThan(4)
    expect(lines[0]).toBe(`photos:move: ${report.total} photos, from folder ${server.uploadDir} to folder ${target}`)
    // a line every 2 photos, and one at the end with the counts
    expect(lines[lines.length - 1]).toBe(
      `photos:move: ${report.total} of ${report.total} photos checked: ${report.copied} copied, ${report.alreadyThere} already there, ${report.failed.length} failed`,
    )
    expect(lines.filter((l) => / of \d+ photos checked/.test(l)).map((l) => Number(/: (\d+) of/.exec(l)![1]))).toEqual([
      ...Array.from({ length: Math.ceil(report.total / 2) - 1 }, (_, i) => 2 * (i + 1)),
      report.total,
    ])
  })
})
