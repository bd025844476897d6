/**
 * Issue 27 item 1: the rules a single writer used to protect, kept by the database's own means (README "Running at
 * scale", Replicas). Each test sends many attempts at once, spread over two servers on one database (two
 * buildServer instances, each with its own connections: on PostgreSQL as two replicas are), and expects exactly
 * one winner, the others refused with their error, and the stored data consistent. On SQLite (one writer) they
 * pass by construction but still run; on PostgreSQL each fails when its protection is removed.
 */
import { createHash, randomInt } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { UploadView } from '../../packages/contract/promotion'
import { buildServer } from '../../server/src/app'
import { storefrontPhoto, variantOf } from '../helpers/storefronts'
import { nearDuplicateLockKeys } from '../../server/src/evidence/locks'
import { describeEngineFree } from './engine'
import { consoleClient, errorOf, startTestServer, type TestServer } from './helpers'
import {
  clientId,
  createPromotion,
  freshCode,
  MERCHANT,
  multipart,
  passedVerifications,
  PHOTO_FIELDS,
  png,
  promotionBody,
  storeInput,
  uploadPhoto,
} from './promotion-fixtures'

jest.setTimeout(90_000)

/** Rate limits out of the way (as the helpers' server has them). */
const UNLIMITED = { signInPerMinute: 100_000, uploadsPerMinute: 100_000, submissionsPerMinute: 100_000 }

/** Attempts per rule, alternating between the two servers. */
const ATTEMPTS = 8

describe('rules under concurrent attempts on two servers sharing one database', () => {
  let server: TestServer
  let other: FastifyInstance
  let dao: string

  beforeEach(async () => {
    server = await startTestServer()
    // the second server: the same database and photo folder, its own connections (migrated and seeded already)
    other = await buildServer({
      dev: true,
      demoData: false,
      clock: server.clock,
      staticDir: null,
      uploadDir: server.uploadDir,
      logger: false,
      rateLimits: UNLIMITED,
      ...server.database.serverOptions,
    })
    dao = await server.signIn('staff-dao')
  })
  afterEach(async () => {
    await other.close()
    await server.close()
  })

  const appOf = (i: number) => (i % 2 === 0 ? server.app : other)
  const post = (i: number, url: string, token: string, body: unknown) =>
    appOf(i).inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
  const upload = (i: number, token: string, content: Buffer) => {
    const fields = Object.entries(PHOTO_FIELDS).map(([name, value]) => ({ name, value }))
    const { payload, contentType } = multipart([...fields, { name: 'file', filename: 'photo.jpg', content }])
    return appOf(i).inject({ method: 'POST', url: '/api/uploads', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload })
  }
  const winnerId = (answers: LightMyRequestResponse[]) => (answers.find((a) => a.statusCode === 201)!.json() as { id: string }).id
  const statuses = (answers: LightMyRequestResponse[]) => answers.map((r) => r.statusCode).sort()
  const count = async (sql: string, params: Array<string | number> = []) => (await server.db.get<{ n: number }>(sql, params))!.n

  /** A staff member more, a copy of staff-dao (associated with the Deploy-Then-Verify ISO), signed in: the token. */
  async function staffLikeDao(id: string): Promise<string> {
    const columns = 'iso_id, association_status, created_at, dingtalk_corp_id, dingtalk_user_id, dingtalk_dept_ids, locale'
    await server.db.run(`INSERT INTO staff (id, name, phone_e164, ${columns}) SELECT ?, ?, ?, ${columns} FROM staff WHERE id = 'staff-dao'`, [
      id,
      `Staff ${id}`,
      `+62812999${String(10000 + Number(/\d+$/.exec(id)![0])).slice(-5)}`,
    ])
    return server.signIn(id)
  }

  /** A Deploy-Then-Verify submission of staff-dao with fresh photos (Marketing Code spots unless `codes` is empty). */
  async function body(codes: string[] = [freshCode()], storefront?: string, token = dao) {
    const spots = []
    for (const code of codes) spots.push({ position: 'CASHIER_COUNTER', photoId: await uploadPhoto(server, token), marketingCode: code })
    return {
      clientId: clientId(),
      product: 'MARKETING_CODE',
      store: storeInput(storefront ?? (await uploadPhoto(server, token))),
      spots,
      merchant: MERCHANT,
      paymentVerificationIds: [],
    }
  }

  it('one promotion per idempotency key: the same submission sent at once gives one promotion, every answer its id', async () => {
    const submission = await body()
    const answers = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => post(i, '/api/promotions', dao, submission)))
    expect(statuses(answers)).toEqual([200, 200, 200, 200, 200, 200, 200, 201])
    const ids = new Set(answers.map((r) => (r.json() as { id: string }).id))
    expect(ids.size).toBe(1)
    expect(await count('SELECT COUNT(*) AS n FROM promotions WHERE client_id = ?', [submission.clientId])).toBe(1)
    expect(await count('SELECT COUNT(*) AS n FROM marketing_code_bindings WHERE promotion_id = ?', [[...ids][0]])).toBe(1)
  })

  it('a Marketing Code bound once: submissions of one code at once, one bound, the others 409 CODE_BOUND', async () => {
    const code = freshCode()
    const submissions = []
    for (let i = 0; i < ATTEMPTS; i++) submissions.push(await body([code]))
    const answers = await Promise.all(submissions.map((s, i) => post(i, '/api/promotions', dao, s)))
    expect(statuses(answers)).toEqual([201, 409, 409, 409, 409, 409, 409, 409])
    for (const r of answers.filter((a) => a.statusCode === 409))
      expect(errorOf(r)).toMatchObject({ code: 'CODE_BOUND', fields: { 'spots.0.marketingCode': 'CODE_BOUND' } })
    expect(
      await count('SELECT COUNT(*) AS n FROM marketing_code_bindings WHERE code = (SELECT marketing_code FROM promotion_spots WHERE promotion_id = ?)', [
        winnerId(answers),
      ]),
    ).toBe(1)
    expect(
      await count(
        'SELECT COUNT(*) AS n FROM promotions WHERE client_id IN (' + submissions.map(() => '?').join(', ') + ')',
        submissions.map((s) => s.clientId),
      ),
    ).toBe(1)
    // the losers' photos stay unused: their drafts can go through with another code
    const photoIds = submissions.flatMap((s) => [s.store.storefrontPhotoId, ...s.spots.map((p) => p.photoId)])
    expect(
      await count('SELECT COUNT(*) AS n FROM uploads WHERE promotion_id IS NOT NULL AND id IN (' + photoIds.map(() => '?').join(', ') + ')', photoIds),
    ).toBe(2)
  })

  it("a photo's content used once: the same content in submissions at once, one stored, the others 409 PHOTO_REPEATED", async () => {
    // the same content uploaded before each submission (an unused upload of it is answered again): one upload per
    // staff member, so several staff members; a 2×2 photo has no fingerprint, so only the content rule applies
    const content = png(987_654)
    const tokens = await Promise.all([1, 2, 3, 4].map((n) => staffLikeDao(`conc-content-${n}`)))
    const submissions = []
    for (const token of tokens) {
      const res = await upload(0, token, content)
      expect([200, 201]).toContain(res.statusCode)
      const own = (res.json() as UploadView).id
      submissions.push({ token, body: { ...(await body([freshCode()], own, token)) } })
    }
    const answers = await Promise.all(submissions.map((s, i) => post(i, '/api/promotions', s.token, s.body)))
    const refused = answers.filter((a) => a.statusCode !== 201)
    expect(answers.length - refused.length).toBe(1)
    for (const r of refused) expect(errorOf(r).code).toBe('PHOTO_REPEATED')
    const sha256 = createHash('sha256').update(content).digest('hex')
    expect(await count('SELECT COUNT(*) AS n FROM uploads WHERE sha256 = ? AND promotion_id IS NOT NULL', [sha256])).toBe(1)
  })

  it('the same photo uploaded at once by one staff member is stored once (every answer the same upload)', async () => {
    const content = png(876_543)
    const answers = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => upload(i, dao, content)))
    expect(statuses(answers)).toEqual([200, 200, 200, 200, 200, 200, 200, 201])
    expect(new Set(answers.map((r) => (r.json() as UploadView).id)).size).toBe(1)
  })

  it('near-duplicate photos in submissions at once: one stored, the others 409 PHOTO_REUSED', async () => {
    const photo = await storefrontPhoto(5)
    // the photo and three copies of it (each another content), by four staff members for four stores
    const copies = [photo, await variantOf(photo, 'recompressed'), await variantOf(photo, 'brighter'), await variantOf(photo, 'darker')]
    const submissions = []
    for (const [n, copy] of copies.entries()) {
      const token = await staffLikeDao(`conc-alike-${n}`)
      const res = await upload(0, token, copy)
      expect([200, 201]).toContain(res.statusCode)
      const own = (res.json() as UploadView).id
      const b = await body([freshCode()], undefined, token)
      submissions.push({
        token,
        body: { ...b, store: storeInput(own, { name: `Toko ${n}`, location: { latitude: -6.2 + n / 10, longitude: 106.8, accuracy: 10, mocked: false } }) },
      })
    }
    const answers = await Promise.all(submissions.map((s, i) => post(i, '/api/promotions', s.token, s.body)))
    const refused = answers.filter((a) => a.statusCode !== 201)
    expect(answers.length - refused.length).toBe(1)
    for (const r of refused) expect(errorOf(r).code).toBe('PHOTO_REUSED')
  })

  it('a promotion decided item by item at once, on both servers: each item decided once, the last decision completes it', async () => {
    const chen = await server.signIn('staff-chen')
    const reviewers = [consoleClient(server.app, 'console'), consoleClient(other, 'console')]
    for (const r of reviewers) await r.session()
    const promotions = []
    for (let n = 0; n < 3; n++)
      promotions.push(
        await createPromotion(server, chen, await promotionBody(server, chen, { spots: 3, paymentVerificationIds: await passedVerifications(server, chen) })),
      )
    // every item of every promotion approved at once, and each item a second time (deciding twice)
    const items = ['store', 'spots/0', 'spots/1', 'spots/2']
    const decisions = promotions.flatMap((p) => [...items, ...items].map((item) => `/console/promotions/${p.id}/${item}/approve`))
    const answers = await Promise.all(decisions.map((url, i) => reviewers[i % 2].post(url, {})))
    expect(answers.filter((a) => a.statusCode === 303)).toHaveLength(promotions.length * items.length)
    for (const a of answers.filter((r) => r.statusCode !== 303)) expect(a.statusCode).toBe(409)
    for (const p of promotions) {
      const view = (await server.api('GET', `/api/promotions/${p.id}`, { token: chen })).json() as { status: string }
      expect({ id: p.id, status: view.status }).toEqual({ id: p.id, status: 'APPROVED' })
    }
  })
})

describeEngineFree('the near-duplicate check’s lock keys', () => {
  it('share a key for any two fingerprints within the limit (pigeonhole), and rarely for unrelated ones', () => {
    const random = () => randomInt(0, 0x7fffffff)
    let unrelatedShared = 0
    for (let trial = 0; trial < 2000; trial++) {
      const hash: [number, number, number, number] = [random() & 0xffff, random() & 0xffff, random() & 0xffff, random() & 0xffff]
      const near: [number, number, number, number] = [...hash]
      for (let flips = 0; flips < 6; flips++) {
        const bit = random() % 64
        near[bit >> 4] ^= 1 << (bit & 15)
      }
      const keys = new Set(nearDuplicateLockKeys(hash, 6))
      expect(keys.size).toBe(7)
      expect(nearDuplicateLockKeys(near, 6).some((k) => keys.has(k))).toBe(true)
      const other: [number, number, number, number] = [random() & 0xffff, random() & 0xffff, random() & 0xffff, random() & 0xffff]
      if (nearDuplicateLockKeys(other, 6).some((k) => keys.has(k))) unrelatedShared++
    }
    expect(unrelatedShared / 2000).toBeLessThan(0.05)
  })
})
