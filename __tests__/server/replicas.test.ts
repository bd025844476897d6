/**
 * Two server processes side by side on one database, as behind a load balancer: PostgreSQL when
 * TEST_DATABASE_URL is set (a fresh database of that cluster), otherwise one SQLite file shared by both.
 * The staff member's calls alternate between the processes; nothing one process keeps only in its own
 * memory may be needed by the other.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { PromotionView } from '../../packages/contract/promotion'
import { cookieOf, csrfOf } from '../helpers/console-http'
import { S3RVER_ACCESS, S3RVER_BUCKET, startS3rver } from '../helpers/s3rver'
import { clientId, freshCode, MERCHANT, multipart, PHOTO_FIELDS, png, storeInput } from './promotion-fixtures'
import { startServerProcess, stopServerProcess, type ServerProcess } from './server-process'

jest.setTimeout(120_000)

const SIGN_INS_PER_MINUTE = 12

const engine = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'

describe(`two server processes on one ${engine} database`, () => {
  let dir: string
  let replicas: ServerProcess[] = []
  let database: { url?: string; name?: string } = {}
  let bucket: Awaited<ReturnType<typeof startS3rver>>

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-replicas-'))
    // one photo bucket for both, an S3-compatible server on loopback
    bucket = await startS3rver()
    const env: Record<string, string> = {
      WORKSPACE_DEV: '1',
      HOST: '127.0.0.1',
      PORT: '0',
      STATIC_DIR: path.join(dir, 'no-static'),
      S3_BUCKET: S3RVER_BUCKET,
      S3_ENDPOINT: bucket.endpoint,
      S3_ACCESS_KEY_ID: S3RVER_ACCESS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_ACCESS.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // nothing may land in a folder of one process
      UPLOAD_DIR: path.join(dir, 'uploads-unused'),
      RATE_LIMIT_SIGNIN_PER_MINUTE: String(SIGN_INS_PER_MINUTE),
    }
    if (process.env.TEST_DATABASE_URL) {
      const name = `replicas_${randomBytes(6).toString('hex')}`
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name}`)
      await admin.end()
      const url = new URL(process.env.TEST_DATABASE_URL)
      url.pathname = `/${name}`
      database = { url: url.toString(), name }
      env.DATABASE_URL = database.url!
    } else {
      env.DB_PATH = path.join(dir, 'workspace.sqlite')
    }
    // both start at once: the migrations run once, the other waits for them
    replicas = await Promise.all([startServerProcess(env), startServerProcess(env)])
  })

  afterAll(async () => {
    await Promise.all(replicas.map(stopServerProcess))
    if (database.name) {
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
      await admin.connect()
      await admin.query(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`)
      await admin.end()
    }
    await bucket.close()
    expect(fs.existsSync(path.join(dir, 'uploads-unused')) ? fs.readdirSync(path.join(dir, 'uploads-unused')) : []).toEqual([])
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const call = async (replica: number, method: string, url: string, opts: { token?: string; body?: unknown } = {}) => {
    const res = await fetch(`${replicas[replica % 2].base}${url}`, {
      method,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body ? { 'content-type': 'application/json' } : {}) },
      body: opts.body ? JSON.stringify(opts.body) : undefined,
    })
    const text = await res.text()
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
  }

  const upload = async (replica: number, token: string, seed: number) => {
    const fields = Object.entries(PHOTO_FIELDS).map(([name, value]) => ({ name, value }))
    const { payload, contentType } = multipart([...fields, { name: 'file', filename: 'photo.png', content: png(seed) }])
    const res = await fetch(`${replicas[replica % 2].base}/api/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: new Uint8Array(payload),
    })
    expect(res.status).toBe(201)
    return ((await res.json()) as { id: string }).id
  }

  let token = ''
  let signIns = 0

  it('serves one staff member from either process: the session, photos and promotions are shared', async () => {
    const signIn = await call(0, 'POST', '/api/auth/dev', { body: { staffId: 'staff-dao' } })
    signIns++
    expect(signIn.status).toBe(200)
    token = signIn.body.token as string
    // the session made by the first process is known to the second
    const me = await call(1, 'GET', '/api/me', { token })
    expect(me.status).toBe(200)

    // photos uploaded through both processes, used in one submission
    const storefront = await upload(0, token, 7001)
    const spots = [await upload(1, token, 7002), await upload(0, token, 7003)].map((photoId) => ({
      position: 'CASHIER_COUNTER',
      photoId,
      marketingCode: freshCode(),
    }))
    // a photo stored through one process is served by the other
    const served = await fetch(`${replicas[1].base}/api/uploads/${storefront}`, { headers: { authorization: `Bearer ${token}` } })
    expect(served.status).toBe(200)
    expect(Buffer.from(await served.arrayBuffer()).equals(png(7001))).toBe(true)

    const body = {
      clientId: clientId(),
      product: 'MARKETING_CODE',
      store: storeInput(storefront, { openingTime: '00:00', closingTime: '24:00' }),
      spots,
      merchant: MERCHANT,
      paymentVerificationIds: [],
    }

    // the outbox retries one submission (one idempotency key) over both processes at once
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call(i, 'POST', '/api/promotions', { token, body })))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201])
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1)

    for (const replica of [0, 1]) {
      const list = await call(replica, 'GET', '/api/promotions', { token })
      const mine = (list.body.promotions as PromotionView[]).filter((p) => p.clientId === body.clientId)
      expect(mine).toHaveLength(1)
      expect(mine[0].spots).toHaveLength(2)
    }
  })

  it("keeps a reviewer's console session on either process", async () => {
    // the sign-in form from one process, sent to the other
    const form = await fetch(`${replicas[0].base}/console/sign-in`)
    const signIn = await fetch(`${replicas[1].base}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `posm_console_signin=${cookieOf(form, 'posm_console_signin')}` },
      body: new URLSearchParams({ _csrf: csrfOf(await form.text()), username: 'alipay', password: 'console' }).toString(),
    })
    expect(signIn.status).toBe(303)
    const cookie = `posm_console=${cookieOf(signIn, 'posm_console')}`
    // the session made by the second process opens the first one's pages
    const page = await fetch(`${replicas[0].base}/console/promotions`, { headers: { cookie }, redirect: 'manual' })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Kedai Kopi Sentosa')
  })

  it('counts one rate limit over both processes', async () => {
    const statuses: number[] = []
    for (let i = 0; signIns + statuses.length < SIGN_INS_PER_MINUTE + 4; i++) {
      statuses.push((await call(i, 'POST', '/api/auth/dev', { body: { staffId: 'staff-dao' } })).status)
    }
    // the limit is per address for all processes together, not per process (which would allow twice as many)
    const allowed = SIGN_INS_PER_MINUTE - signIns
    expect(statuses.slice(0, allowed).every((s) => s === 200)).toBe(true)
    expect(statuses.slice(allowed)).toEqual([429, 429, 429, 429])
  })
})
