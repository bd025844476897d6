/**
 * Checked at start: a production server fetches a DingTalk access token and writes to its photo bucket before it
 * listens, and refuses to start, in one message naming the call, the setting and the service's answer (never a
 * secret), when either fails; STARTUP_CHECKS=off skips the checks for offline maintenance. Against the fake
 * DingTalk and s3rver, through the documented start command.
 */
import fs from 'node:fs'
import path from 'node:path'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { S3RVER_ACCESS, S3RVER_BUCKET, startS3rver } from '../helpers/s3rver'
import { onSqlite, testDatabaseIn, type TestDatabase } from './engine'
import { tempDir } from './helpers'
import { apiBase, COMMANDS, jsonLines, productionEnv, spawnCommand, waitFor, type StartedProcess } from './production-process'

jest.setTimeout(120_000)

describe('start-up checks of the production server', () => {
  let fake: FakeDingTalk
  let bucket: Awaited<ReturnType<typeof startS3rver>>
  let dir: string
  let cleanup: () => void
  let database: TestDatabase
  let started: StartedProcess | null = null

  beforeAll(async () => {
    fake = await new FakeDingTalk().start()
    bucket = await startS3rver()
  })
  afterAll(async () => {
    await fake.stop()
    await bucket.close()
  })
  beforeEach(() => {
    ;({ dir, cleanup } = tempDir())
    database = testDatabaseIn(dir)
    fake.calls.length = 0
  })
  afterEach(async () => {
    if (started && started.child.exitCode === null && started.child.signalCode === null) {
      started.child.kill('SIGTERM')
      await started.exited
    }
    started = null
    await database.drop()
    cleanup()
  })

  const bucketEnv = (name: string) => ({
    S3_BUCKET: name,
    S3_ENDPOINT: bucket.endpoint,
    S3_ACCESS_KEY_ID: S3RVER_ACCESS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3RVER_ACCESS.secretAccessKey,
  })

  /** Runs the command until it exits (or listens: then it is stopped, and the code is 'listening'); answers its exit code and output. */
  async function refused(env: Record<string, string>) {
    const run = spawnCommand(COMMANDS.node, env)
    started = run
    const listening = waitFor(run, 'the listening line', () => apiBase(run.stdout()) !== null).then(
      () => 'listening' as const,
      () => new Promise<never>(() => undefined),
    )
    const code = await Promise.race([run.exited, listening])
    return { code, stdout: run.stdout(), stderr: run.stderr() }
  }

  it('refuses a wrong DINGTALK_APP_SECRET: names gettoken, the settings and DingTalk’s errcode and message, never the secret, before any database work', async () => {
    const wrongSecret = 'wrong-secret-4c1d9e77b2'
    const result = await refused({ ...productionEnv(fake, dir), ...database.env(), DINGTALK_APP_SECRET: wrongSecret })
    expect(result.code).toBe(1)
    expect(apiBase(result.stdout)).toBeNull()
    const message = result.stderr.trim()
    expect(message.split('\n')).toHaveLength(1)
    expect(message).toContain(`Start-up check failed: DingTalk gettoken`)
    expect(message).toContain(`at ${fake.url}`)
    expect(message).toContain('errcode 40089 不合法的appKey或appSecret')
    expect(message).toMatch(/Check DINGTALK_APP_KEY and DINGTALK_APP_SECRET/)
    expect(message).toContain('STARTUP_CHECKS=off')
    expect(result.stdout + result.stderr).not.toContain(wrongSecret)
    expect(result.stdout + result.stderr).not.toContain(fake.appSecret)
    expect(fake.count('gettoken')).toBeGreaterThan(0)
    // refused before the database was opened (a SQLite file would have been made)
    if (onSqlite) expect(fs.existsSync(path.join(dir, 'workspace.sqlite'))).toBe(false)
  })

  it('refuses a bucket that does not exist: names the call, S3_BUCKET and S3’s error, never the keys', async () => {
    const result = await refused({ ...productionEnv(fake, dir), ...database.env(), ...bucketEnv('posm-missing-bucket') })
    expect(result.code).toBe(1)
    expect(apiBase(result.stdout)).toBeNull()
    const message = result.stderr.trim()
    expect(message.split('\n')).toHaveLength(1)
    expect(message).toMatch(
      /^Start-up check failed: photo bucket: PutObject of a test object \(posm-startup-check-[0-9a-f]{16}\.txt\) in S3_BUCKET posm-missing-bucket at http:\/\/127\.0\.0\.1:\d+ answered NoSuchBucket/,
    )
    expect(message).toContain('Check S3_BUCKET (create the bucket, or name an existing one)')
    expect(message).toContain('STARTUP_CHECKS=off')
    expect(result.stdout + result.stderr).not.toContain(S3RVER_ACCESS.secretAccessKey)
    expect(result.stdout + result.stderr).not.toContain(fake.appSecret)
    if (onSqlite) expect(fs.existsSync(path.join(dir, 'workspace.sqlite'))).toBe(false)
  })

  it('STARTUP_CHECKS=off starts without the checks (offline maintenance), and says so', async () => {
    started = spawnCommand(COMMANDS.node, {
      ...productionEnv(fake, dir),
      ...database.env(),
      DINGTALK_APP_SECRET: 'wrong-secret-4c1d9e77b2',
      ...bucketEnv('posm-missing-bucket'),
      STARTUP_CHECKS: 'off',
    })
    await waitFor(started, 'the listening line', () => apiBase(started!.stdout()) !== null)
    expect((await fetch(`${apiBase(started.stdout())}/api/health`)).status).toBe(200)
    expect(jsonLines(started.stdout()).find((line) => line.startupChecks === 'skipped')).toMatchObject({ level: 40 })
    expect(fake.count('gettoken')).toBe(0)
  })

  it('with the right settings checks both, then listens; standard output is JSON lines only, the SDK’s warning one of them, and no test object is left', async () => {
    started = spawnCommand(COMMANDS.node, { ...productionEnv(fake, dir), ...database.env(), ...bucketEnv(S3RVER_BUCKET) })
    await waitFor(started, 'the listening line', () => apiBase(started!.stdout()) !== null)
    const lines = jsonLines(started.stdout())
    const checks = lines.findIndex((line) => Array.isArray(line.startupChecks))
    const listening = lines.findIndex((line) => String(line.msg).includes('listening; API:'))
    expect(checks).toBeGreaterThanOrEqual(0)
    expect(checks).toBeLessThan(listening)
    expect(lines[checks].startupChecks).toEqual([
      `DingTalk: an access token for DINGTALK_APP_KEY and DINGTALK_APP_SECRET (gettoken at ${fake.url})`,
      `photo bucket: S3_BUCKET ${S3RVER_BUCKET} at ${bucket.endpoint} exists and takes a write (put, read back, deleted)`,
    ])
    expect(fake.count('gettoken')).toBe(1)
    // the banner is one JSON line; nothing on standard error (Node's warnings go to the logger)
    expect(lines[listening]).toMatchObject({ level: 30, banner: { mode: 'production', photos: expect.stringContaining(`S3 bucket ${S3RVER_BUCKET}`) } })
    expect(started.stderr()).toBe('')
    if (Number(process.versions.node.split('.')[0]) < 22) {
      // the AWS SDK warns on Node < 22 in several lines: one JSON line at level warn
      expect(lines.find((line) => String(line.msg).includes('NodeVersionSupportWarning'))).toMatchObject({ level: 40, warning: { name: 'Warning' } })
    }

    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true' // this test's own client: no warning in jest's output
    const s3 = new S3Client({ region: 'us-east-1', endpoint: bucket.endpoint, forcePathStyle: true, credentials: S3RVER_ACCESS })
    try {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: S3RVER_BUCKET }))
      expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([])
    } finally {
      s3.destroy()
    }
  })

  it('refuses a STARTUP_CHECKS that is no boolean spelling, naming it', async () => {
    const result = await refused({ ...productionEnv(fake, dir), ...database.env(), STARTUP_CHECKS: 'skip' })
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe('STARTUP_CHECKS must be 1/0, true/false, yes/no or on/off (got "skip")')
  })
})
