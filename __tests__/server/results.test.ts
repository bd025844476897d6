import type { PromotionView } from '../../packages/contract/promotion'
import type { PromotionDetail, ProductStats } from '../../packages/contract/results'
import { errorOf, startTestServer, type TestServer } from './helpers'
import { clientId, evidence, freshCode, promotionBody, uploadPhoto } from './promotion-fixtures'
import { appeal, detail, page, resubmissionOf, resubmit, review, submit, summary } from './results-fixtures'

const ALL_DAY = { openingTime: '00:00', closingTime: '00:00' }

function stats(s: { products: ProductStats[] }, product: 'MARKETING_CODE' | 'PRIMARY_POSM'): ProductStats {
  const found = s.products.find((p) => p.product === product)
  if (!found) throw new Error(`no ${product}`)
  return found
}

const empty = (product: 'MARKETING_CODE' | 'PRIMARY_POSM'): ProductStats => ({
  product,
  promotedStores: 0,
  spotsSubmitted: 0,
  spotsApproved: 0,
  spotsRejected: 0,
  spotsPending: 0,
  eligiblePromotions: 0,
})

describe('review results', () => {
  let server: TestServer
  let chen: string // Lion City: Verify-Then-Deploy, 5 spots, Asia/Singapore (UTC+8)
  let dao: string // Nusantara: Deploy-Then-Verify, 3 spots, Asia/Jakarta (UTC+7)
  beforeEach(async () => {
    // sessions outlive the days these tests move the clock by
    server = await startTestServer({ sessionTtlMinutes: 60 * 24 * 30 })
    chen = await server.signIn('staff-chen')
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  const tokenOf = (staffId: string) => (staffId === 'staff-chen' ? chen : dao)

  describe('statistics: the one-day delay in the ISO’s time zone', () => {
    it.each([
      { staffId: 'staff-chen', timezone: 'Asia/Singapore', midnight: '2025-03-03T16:00:00.000Z' },
      { staffId: 'staff-dao', timezone: 'Asia/Jakarta', midnight: '2025-03-03T17:00:00.000Z' },
    ])('$timezone: a submission just before midnight counts the next day, one just after it the day after', async ({ staffId, timezone, midnight }) => {
      const token = tokenOf(staffId)
      const at = (deltaMs: number) => new Date(Date.parse(midnight) + deltaMs).toISOString()
      server.clock.set(at(-60_000)) // 23:59 local, 3 March
      const before = await submit(server, token, staffId, { product: 'PRIMARY_POSM', spots: 2, store: ALL_DAY })
      // the same day: listed, not counted (figures as of the end of 2 March)
      let s = await summary(server, token)
      expect(s).toMatchObject({ from: '2025-03-01', to: '2025-03-31', asOf: '2025-03-02', timezone, notYetCounted: 1 })
      expect(stats(s, 'PRIMARY_POSM')).toEqual(empty('PRIMARY_POSM'))
      expect((await detail(server, token, before.id)).counted).toBe(false)

      server.clock.set(at(60_000)) // 00:01 local, 4 March: 3 March is over
      const after = await submit(server, token, staffId, { product: 'PRIMARY_POSM', spots: 1, store: ALL_DAY })
      s = await summary(server, token)
      expect(s).toMatchObject({ asOf: '2025-03-03', notYetCounted: 1 })
      expect(stats(s, 'PRIMARY_POSM')).toEqual({ ...empty('PRIMARY_POSM'), promotedStores: 1, spotsSubmitted: 2, spotsPending: 2 })
      expect((await detail(server, token, before.id)).counted).toBe(true)
      expect((await detail(server, token, after.id)).counted).toBe(false)
      // the list shows both, newest first, counted or not
      expect((await page(server, token)).items.slice(0, 2).map((p) => [p.id, p.counted])).toEqual([
        [after.id, false],
        [before.id, true],
      ])

      // the last millisecond of 4 March: still as of 3 March; at midnight both are counted
      server.clock.set(at(86_400_000 - 1))
      expect(await summary(server, token)).toMatchObject({ asOf: '2025-03-03', notYetCounted: 1 })
      server.clock.set(at(86_400_000))
      s = await summary(server, token)
      expect(s).toMatchObject({ asOf: '2025-03-04', notYetCounted: 0 })
      expect(stats(s, 'PRIMARY_POSM')).toEqual({ ...empty('PRIMARY_POSM'), promotedStores: 2, spotsSubmitted: 3, spotsPending: 3 })
      expect((await detail(server, token, after.id)).counted).toBe(true)
    })

    it('counts a decision only once the day it was made is over (pending until then)', async () => {
      server.clock.set('2025-03-03T02:00:00.000Z') // 10:00 in Singapore
      const p = await submit(server, chen, 'staff-chen', { product: 'PRIMARY_POSM', spots: 2 })
      const q = await submit(server, chen, 'staff-chen', { product: 'PRIMARY_POSM', spots: 1 })
      server.clock.set('2025-03-04T02:00:00.000Z') // next day: both counted, nothing decided
      expect(stats(await summary(server, chen), 'PRIMARY_POSM')).toEqual({ ...empty('PRIMARY_POSM'), promotedStores: 2, spotsSubmitted: 3, spotsPending: 3 })

      await review(server, p.id, 'approve', ['approve', 'reject'])
      await review(server, q.id, 'approve', ['approve'])
      // decided today, after the as-of moment: the figures still show them pending; the detail is current
      expect(stats(await summary(server, chen), 'PRIMARY_POSM')).toEqual({ ...empty('PRIMARY_POSM'), promotedStores: 2, spotsSubmitted: 3, spotsPending: 3 })
      expect((await detail(server, chen, q.id)).eligibility).toEqual({ eligible: true, missing: [] })

      server.clock.set('2025-03-04T15:59:59.999Z')
      expect(stats(await summary(server, chen), 'PRIMARY_POSM').spotsPending).toBe(3)
      server.clock.set('2025-03-04T16:00:00.000Z') // midnight in Singapore
      expect(stats(await summary(server, chen), 'PRIMARY_POSM')).toEqual({
        ...empty('PRIMARY_POSM'),
        promotedStores: 2,
        spotsSubmitted: 3,
        spotsApproved: 2,
        spotsRejected: 1,
        eligiblePromotions: 1,
      })
    })

    it('defaults to the current month in the ISO’s time zone, not UTC', async () => {
      server.clock.set('2025-02-28T16:30:00.000Z') // 1 March 00:30 in Singapore, still February in UTC and Jakarta
      expect(await summary(server, chen)).toMatchObject({ from: '2025-03-01', to: '2025-03-31', asOf: '2025-02-28', timezone: 'Asia/Singapore' })
      expect(await summary(server, dao)).toMatchObject({ from: '2025-02-01', to: '2025-02-28', asOf: '2025-02-27', timezone: 'Asia/Jakarta' })
      server.clock.set('2024-02-10T02:00:00.000Z')
      expect(await summary(server, chen)).toMatchObject({ from: '2024-02-01', to: '2024-02-29' })
    })

    it('counts only the period asked, and always answers both products', async () => {
      server.clock.set('2025-02-20T02:00:00.000Z')
      await submit(server, dao, 'staff-dao', { product: 'PRIMARY_POSM', spots: 1 })
      server.clock.set('2025-03-03T02:00:00.000Z')
      await submit(server, dao, 'staff-dao', { product: 'MARKETING_CODE', spots: 2 })
      server.clock.set('2025-03-10T02:00:00.000Z')

      const march = await summary(server, dao)
      expect(march.products.map((p) => p.product)).toEqual(['MARKETING_CODE', 'PRIMARY_POSM'])
      expect(stats(march, 'MARKETING_CODE')).toMatchObject({ promotedStores: 1, spotsSubmitted: 2 })
      expect(stats(march, 'PRIMARY_POSM')).toEqual(empty('PRIMARY_POSM'))
      const february = await summary(server, dao, '?from=2025-02-01&to=2025-02-28')
      expect(february).toMatchObject({ from: '2025-02-01', to: '2025-02-28', asOf: '2025-03-09', notYetCounted: 0 })
      expect(stats(february, 'PRIMARY_POSM')).toMatchObject({ promotedStores: 1, spotsSubmitted: 1 })
      expect(stats(february, 'MARKETING_CODE')).toEqual(empty('MARKETING_CODE'))
      expect(stats(await summary(server, dao, '?from=2025-02-20&to=2025-02-20'), 'PRIMARY_POSM').promotedStores).toBe(1)
      expect(stats(await summary(server, dao, '?from=2025-02-21&to=2025-03-02'), 'PRIMARY_POSM').promotedStores).toBe(0)
      // a whole leap year is allowed
      expect((await server.api('GET', '/api/results/summary?from=2024-01-01&to=2024-12-31', { token: dao })).statusCode).toBe(200)
      // another staff member's work is not counted (staff-chen has only the seeded promotion of 1 March)
      expect(stats(await summary(server, chen), 'MARKETING_CODE').promotedStores).toBe(1)
    })

    it.each([
      ['?from=2025-02-30', 'from'],
      ['?from=2025-3-01', 'from'],
      ['?to=tomorrow', 'to'],
      ['?from=', 'from'],
      ['?from=2025-03-01&from=2025-03-02', 'from'],
      ['?from=2025-03-10&to=2025-03-09', 'from'],
      ['?from=2024-01-01&to=2025-01-01', 'from'],
      ['?from=2025-04-01', 'from'],
      ['?to=2025-02-28', 'from'],
      ['?from=1969-12-31&to=1970-01-01', 'from'],
    ])('refuses %s with 400 PERIOD_INVALID', async (query, field) => {
      const res = await server.api('GET', `/api/results/summary${query}`, { token: chen })
      expect(res.statusCode).toBe(400)
      const error = errorOf(res)
      expect(error.code).toBe('PERIOD_INVALID')
      expect(error.fields?.[field]).toBe('PERIOD_INVALID')
    })
  })

  describe('the store list', () => {
    it('pages newest first with a stable opaque cursor, without duplicates', async () => {
      const ids: string[] = []
      for (let i = 0; i < 7; i++) {
        // two pairs share a creation time: the id breaks the tie
        if (i % 3 !== 1) server.clock.advance({ minutes: 1 })
        ids.push((await submit(server, dao, 'staff-dao', { product: 'PRIMARY_POSM', spots: 1 })).id)
      }
      // and the seeded promotion of staff-dao (prm-seed-warung, the oldest)
      const all = (await page(server, dao)).items
      expect(all.map((p) => p.id).sort()).toEqual([...ids, 'prm-seed-warung'].sort())
      const order = [...all].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1))
      expect(all.map((p) => p.id)).toEqual(order.map((p) => p.id))

      const first = await page(server, dao, '?limit=3')
      expect(first.items).toHaveLength(3)
      expect(first.nextCursor).toEqual(expect.any(String))
      // a new submission after the first page does not shift the next pages
      server.clock.advance({ minutes: 1 })
      const newer = await submit(server, dao, 'staff-dao', { product: 'PRIMARY_POSM', spots: 1 })
      const second = await page(server, dao, `?limit=3&cursor=${first.nextCursor}`)
      const again = await page(server, dao, `?limit=3&cursor=${first.nextCursor}`)
      expect(again).toEqual(second)
      const third = await page(server, dao, `?limit=3&cursor=${second.nextCursor}`)
      expect([second.items.length, third.items.length, third.nextCursor]).toEqual([3, 2, null])
      const seen = [...first.items, ...second.items, ...third.items].map((p) => p.id)
      expect(new Set(seen).size).toBe(8)
      expect(seen).toEqual(all.map((p) => p.id))
      expect(seen).not.toContain(newer.id)
      expect((await page(server, dao, '?limit=3')).items[0].id).toBe(newer.id)
    })

    it.each([
      ['?cursor=not!base64', 'cursor'],
      [`?cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'cursor'],
      [`?cursor=${Buffer.from('["yesterday","prm-x"]').toString('base64url')}`, 'cursor'],
      ['?cursor=', 'cursor'],
      ['?limit=0', 'limit'],
      ['?limit=51', 'limit'],
      ['?limit=1.5', 'limit'],
      ['?limit=ten', 'limit'],
      ['?status=LOST', 'status'],
      ['?status=approved', 'status'],
      ['?status=APPROVED&status=REJECTED', 'status'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (query, field) => {
      const res = await server.api('GET', `/api/results/promotions${query}`, { token: chen })
      expect(res.statusCode).toBe(400)
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_FAILED', fields: { [field]: 'VALIDATION_FAILED' } })
    })

    it('filters by status, APPEALED while an appeal is open', async () => {
      const pending = await submit(server, chen, 'staff-chen', { spots: 1 })
      server.clock.advance({ minutes: 1 })
      const rejected = await submit(server, chen, 'staff-chen', { spots: 1 })
      server.clock.advance({ minutes: 1 })
      const appealed = await submit(server, chen, 'staff-chen', { spots: 1 })
      await review(server, rejected.id, 'approve', ['reject'])
      await review(server, appealed.id, 'reject', ['approve'])
      expect((await appeal(server, chen, appealed.id)).statusCode).toBe(201)
      const awaiting = await submit(server, dao, 'staff-dao', { spots: 1 })

      const ids = async (token: string, status: string) => (await page(server, token, `?status=${status}`)).items.map((p) => p.id)
      expect(await ids(chen, 'PENDING_REVIEW')).toEqual([pending.id])
      expect(await ids(chen, 'REJECTED')).toEqual([rejected.id])
      expect(await ids(chen, 'APPEALED')).toEqual([appealed.id])
      expect(await ids(chen, 'APPROVED')).toEqual(['prm-seed-kopi', 'prm-seed-laksa'])
      expect(await ids(chen, 'AWAITING_PAYMENT_VERIFICATION')).toEqual([])
      expect(await ids(dao, 'AWAITING_PAYMENT_VERIFICATION')).toEqual([awaiting.id])
      expect((await page(server, chen, '?status=APPEALED')).items[0]).toMatchObject({ status: 'REJECTED', listStatus: 'APPEALED' })
      expect((await page(server, chen)).items.map((p) => p.id)).toEqual([appealed.id, rejected.id, pending.id, 'prm-seed-kopi', 'prm-seed-laksa'])
    })
  })

  describe('detail', () => {
    it('answers the promotion with eligibility, actions, appeals and payment records', async () => {
      const p = await submit(server, chen, 'staff-chen', { spots: 2 })
      let d = await detail(server, chen, p.id)
      expect(d).toMatchObject({
        id: p.id,
        status: 'PENDING_REVIEW',
        listStatus: 'PENDING_REVIEW',
        eligibility: { eligible: false, missing: ['store', 'spots'] },
        actions: { appeal: false, modify: false, verifyPayment: false },
        appeals: [],
        counted: false,
        updatedAt: p.createdAt,
      })
      expect(d.paymentVerifications.map((v) => v.mode)).toEqual(['MPM', 'UPM'])

      server.clock.advance({ minutes: 5 })
      await review(server, p.id, 'approve', ['approve', 'reject'])
      d = await detail(server, chen, p.id)
      expect(d).toMatchObject({
        status: 'REJECTED',
        eligibility: { eligible: false, missing: ['spots'] },
        actions: { appeal: true, modify: true, verifyPayment: false },
        updatedAt: server.clock.now().toISOString(),
      })
      expect(d.spots[1].review).toEqual({ status: 'REJECTED', reason: 'Spot 2 cannot be seen.' })

      const q = await submit(server, chen, 'staff-chen', { spots: 1 })
      await review(server, q.id, 'reject', ['approve'])
      expect((await detail(server, chen, q.id)).eligibility).toEqual({ eligible: false, missing: ['store'] })

      const seed = await detail(server, chen, 'prm-seed-kopi')
      expect(seed).toMatchObject({ status: 'APPROVED', eligibility: { eligible: true, missing: [] }, actions: { appeal: false, modify: false }, counted: true })

      const awaiting = await submit(server, dao, 'staff-dao', { spots: 1 })
      expect((await detail(server, dao, awaiting.id)).actions).toEqual({ appeal: false, modify: false, verifyPayment: true })
    })

    it('keeps staff members apart: 403 for another’s promotion, 404 for a missing one', async () => {
      const mine = await submit(server, chen, 'staff-chen', { spots: 1 })
      await review(server, mine.id, 'approve', ['reject'])
      const calls: Array<() => ReturnType<TestServer['api']>> = [
        () => server.api('GET', `/api/results/promotions/${mine.id}`, { token: dao }),
        () => appeal(server, dao, mine.id),
        () => resubmit(server, dao, mine.id, resubmissionOf(mine)),
        () => resubmit(server, dao, mine.id, { nonsense: true }),
      ]
      for (const call of calls) {
        const res = await call()
        expect(res.statusCode).toBe(403)
        expect(errorOf(res).code).toBe('FORBIDDEN')
        expect(res.body).not.toContain('Kedai')
      }
      expect((await page(server, dao)).items.map((p) => p.id)).not.toContain(mine.id)
      expect((await detail(server, chen, mine.id)).appeals).toEqual([])
      for (const res of [
        await server.api('GET', '/api/results/promotions/prm-nope', { token: chen }),
        await appeal(server, chen, 'prm-nope'),
        await resubmit(server, chen, 'prm-nope', resubmissionOf(mine)),
      ]) {
        expect(res.statusCode).toBe(404)
        expect(errorOf(res).code).toBe('NOT_FOUND')
      }
    })

    it.each(['staff-aisyah', 'staff-budi'])('refuses %s (not associated) everywhere with 403 NOT_ASSOCIATED', async (staffId) => {
      const token = await server.signIn(staffId)
      for (const [method, url] of [
        ['GET', '/api/results/summary'],
        ['GET', '/api/results/promotions'],
        ['GET', '/api/results/promotions/prm-seed-kopi'],
        ['POST', '/api/promotions/prm-seed-kopi/appeals'],
        ['POST', '/api/promotions/prm-seed-kopi/resubmissions'],
      ] as const) {
        const res = await server.api(method, url, { token, body: method === 'POST' ? {} : undefined })
        expect([url, res.statusCode, errorOf(res).code]).toEqual([url, 403, 'NOT_ASSOCIATED'])
      }
      expect((await server.api('GET', '/api/results/summary')).statusCode).toBe(401)
    })
  })

  describe('appeals', () => {
    async function rejected(spots = 1): Promise<PromotionView> {
      const p = await submit(server, chen, 'staff-chen', { spots })
      await review(server, p.id, 'reject', spots === 1 ? ['approve'] : ['approve', ...Array<'reject'>(spots - 1).fill('reject')])
      return p
    }

    it('creates an open appeal with evidence photos; idempotent on clientId', async () => {
      const p = await rejected()
      const photo = await uploadPhoto(server, chen)
      const body = { clientId: clientId(), reason: '  The storefront is clearly visible in the second photo.  ', photoIds: [photo] }
      const first = await appeal(server, chen, p.id, body)
      expect(first.statusCode).toBe(201)
      const d = first.json() as PromotionDetail
      expect(d).toMatchObject({ status: 'REJECTED', listStatus: 'APPEALED', actions: { appeal: false, modify: false } })
      expect(d.appeals).toEqual([
        {
          id: expect.any(String),
          reason: 'The storefront is clearly visible in the second photo.',
          photoIds: [photo],
          status: 'OPEN',
          reviewerReason: null,
          createdAt: server.clock.now().toISOString(),
          decidedAt: null,
        },
      ])
      const repeat = await appeal(server, chen, p.id, body)
      expect(repeat.statusCode).toBe(200)
      expect(repeat.json()).toEqual(d)

      // the evidence is used now: no other submission can take it
      const other = await promotionBody(server, chen, { spots: 1 })
      other.spots[0].photoId = photo
      const refused = await server.api('POST', '/api/promotions', { token: chen, body: other })
      expect([refused.statusCode, errorOf(refused).code]).toEqual([409, 'PHOTO_REPEATED'])
      // the same clientId on another promotion is not a repeat
      const q = await rejected()
      const reused = await appeal(server, chen, q.id, { clientId: body.clientId })
      expect(reused.statusCode).toBe(409)
    })

    it.each([
      ['an approved promotion', 'approved', 'NOTHING_TO_APPEAL'],
      ['a promotion pending review', 'pending', 'NOTHING_TO_APPEAL'],
      ['a promotion with an open appeal', 'open', 'APPEAL_OPEN'],
    ])('refuses an appeal on %s (409 %s)', async (_label, state, code) => {
      const p = await submit(server, chen, 'staff-chen', { spots: 1 })
      if (state === 'approved') await review(server, p.id, 'approve', ['approve'])
      if (state === 'open') {
        await review(server, p.id, 'approve', ['reject'])
        expect((await appeal(server, chen, p.id)).statusCode).toBe(201)
      }
      const res = await appeal(server, chen, p.id)
      expect(res.statusCode).toBe(409)
      expect(errorOf(res).code).toBe(code)
      expect((await detail(server, chen, p.id)).appeals.length).toBe(state === 'open' ? 1 : 0)
    })

    it('checks the evidence photos: own uploads, not part of another submission', async () => {
      const p = await rejected()
      const other = await submit(server, chen, 'staff-chen', { spots: 1 })
      const daoPhoto = await uploadPhoto(server, dao)
      const cases: Array<[string[], number, string]> = [
        [[daoPhoto], 422, 'PHOTO_MISSING'],
        [['upl-nope'], 422, 'PHOTO_MISSING'],
        [[other.store.storefrontPhotoId], 409, 'PHOTO_REPEATED'],
      ]
      for (const [photoIds, status, code] of cases) {
        const res = await appeal(server, chen, p.id, { photoIds })
        expect([status, errorOf(res).code]).toEqual([res.statusCode, code])
        expect(errorOf(res).fields).toEqual({ 'photoIds.0': code })
      }
      // a photo of this very promotion may be pointed at again
      expect((await appeal(server, chen, p.id, { photoIds: [p.store.storefrontPhotoId] })).statusCode).toBe(201)
    })

    it.each([
      ['no body', undefined, undefined],
      ['null', null, undefined],
      ['a list', [], undefined],
      ['a reason that is too short', { reason: 'Too short' }, 'APPEAL_TOO_SHORT'],
      ['an empty reason', { reason: '   ' }, 'REQUIRED'],
      ['a reason that is too long', { reason: 'x'.repeat(501) }, 'TEXT_TOO_LONG'],
      ['a reason that is not text', { reason: 12345678901 }, 'REQUIRED'],
      ['a bad clientId', { clientId: 'x' }, undefined],
      ['six photos', { photoIds: ['a', 'b', 'c', 'd', 'e', 'f'] }, undefined],
      ['photos that are not ids', { photoIds: [1] }, undefined],
    ])('answers 400 for %s, never 500', async (_label, patch, reasonCode) => {
      const p = await rejected()
      const body = patch && !Array.isArray(patch) ? { clientId: clientId(), reason: 'Please look at the photo again.', photoIds: [], ...patch } : patch
      const res = await server.api('POST', `/api/promotions/${p.id}/appeals`, { token: chen, body })
      expect(res.statusCode).toBe(400)
      const error = errorOf(res)
      expect(error.code).toBe('VALIDATION_FAILED')
      if (reasonCode) expect(error.fields?.reason).toBe(reasonCode)
      const junk = await server.api('POST', `/api/promotions/${p.id}/appeals`, {
        token: chen,
        payload: '{"reason":',
        headers: { 'content-type': 'application/json' },
      })
      expect(junk.statusCode).toBe(400)
    })

    it('accepted: every rejected item is approved, the promotion is APPROVED and eligible, and counted so the next day', async () => {
      const p = await rejected(3)
      const created = (await appeal(server, chen, p.id)).json() as PromotionDetail
      const id = created.appeals[0].id
      server.clock.advance({ hours: 1 })
      const res = await server.consolePost(`/console/promotions/${p.id}/appeals/${id}/accept`, {})
      expect([res.statusCode, res.headers.location]).toEqual([303, `/console/promotions/${p.id}?done=appeal-accepted`])
      const d = await detail(server, chen, p.id)
      expect(d).toMatchObject({
        status: 'APPROVED',
        listStatus: 'APPROVED',
        eligibility: { eligible: true, missing: [] },
        actions: { appeal: false, modify: false },
      })
      expect([d.storeReview, ...d.spots.map((s) => s.review)]).toEqual(Array(4).fill({ status: 'APPROVED', reason: null }))
      expect(d.appeals[0]).toMatchObject({ status: 'ACCEPTED', reviewerReason: null, decidedAt: server.clock.now().toISOString() })
      // a second appeal has nothing to appeal now
      expect(errorOf(await appeal(server, chen, p.id)).code).toBe('NOTHING_TO_APPEAL')

      // staff-chen's figures include the seeded (approved) promotion of 1 March
      expect(stats(await summary(server, chen), 'MARKETING_CODE')).toMatchObject({ promotedStores: 1, eligiblePromotions: 1 })
      server.clock.advance({ days: 1 })
      expect(stats(await summary(server, chen), 'MARKETING_CODE')).toEqual({
        ...empty('MARKETING_CODE'),
        promotedStores: 2,
        spotsSubmitted: 4,
        spotsApproved: 4,
        eligiblePromotions: 2,
      })
    })

    it('rejected: the items stay rejected with the reviewer’s reason; Modify (or a new appeal) is still possible', async () => {
      const p = await rejected(2)
      const id = ((await appeal(server, chen, p.id)).json() as PromotionDetail).appeals[0].id
      const res = await server.consolePost(`/console/promotions/${p.id}/appeals/${id}/reject`, { reason: 'The photo is still blurry.' })
      expect(res.statusCode).toBe(303)
      const d = await detail(server, chen, p.id)
      expect(d).toMatchObject({ status: 'REJECTED', listStatus: 'REJECTED', actions: { appeal: true, modify: true } })
      expect(d.appeals[0]).toMatchObject({ status: 'REJECTED', reviewerReason: 'The photo is still blurry.' })
      expect(d.storeReview).toEqual({ status: 'REJECTED', reason: 'The storefront photo is blurry.' })

      const fixed = await resubmit(server, chen, p.id, resubmissionOf(p, { store: { ...p.store, storefrontPhotoId: await uploadPhoto(server, chen) } }))
      expect(fixed.statusCode).toBe(200)
      expect(fixed.json()).toMatchObject({ status: 'PENDING_REVIEW', listStatus: 'PENDING_REVIEW', storeReview: { status: 'PENDING', reason: null } })
    })
  })

  describe('resubmissions (Modify)', () => {
    it('sends back only the rejected and changed parts, re-binds kept codes and releases dropped ones', async () => {
      const p = await submit(server, chen, 'staff-chen', { spots: 4 })
      await review(server, p.id, 'approve', ['approve', 'reject', 'approve', 'approve'])
      const codes = p.spots.map((s) => s.marketingCode as string)
      const newPhoto = await uploadPhoto(server, chen)
      const body = resubmissionOf(p)
      // spot 0 unchanged (stays approved); 1 (rejected) gets a new photo and a fresh code, its old code moves
      // to a new fifth spot; 2 gets a note and 3 another position (both approved before, changed now)
      body.spots[1] = { ...body.spots[1], photoId: newPhoto }
      body.spots[2] = { ...body.spots[2], positionNote: 'left of the till' }
      body.spots[3] = { ...body.spots[3], position: 'ENTRANCE' }
      const fresh = freshCode()
      body.spots.push({ ...body.spots[1], photoId: await uploadPhoto(server, chen), marketingCode: codes[1] })
      body.spots[1] = { ...body.spots[1], marketingCode: fresh }

      server.clock.advance({ minutes: 10 })
      const res = await resubmit(server, chen, p.id, body)
      expect(res.statusCode).toBe(200)
      const d = res.json() as PromotionDetail
      expect(d).toMatchObject({
        status: 'PENDING_REVIEW',
        listStatus: 'PENDING_REVIEW',
        storeReview: { status: 'APPROVED' },
        updatedAt: server.clock.now().toISOString(),
      })
      expect(d.spots.map((s) => s.review.status)).toEqual(['APPROVED', 'PENDING', 'PENDING', 'PENDING', 'PENDING'])
      expect(d.spots.map((s) => s.marketingCode)).toEqual([codes[0], fresh.slice(-14), codes[2], codes[3], codes[1]])
      expect(d.spots[1].review.reason).toBeNull()
      expect(d.eligibility).toEqual({ eligible: false, missing: ['spots'] })

      // every code of the promotion is bound (to it); none is free
      for (const code of [codes[1], fresh]) {
        const check = await server.api('POST', '/api/marketing-codes/check', { token: chen, body: { code } })
        expect(errorOf(check).code).toBe('CODE_BOUND')
      }
      // nothing is rejected any more: no second Modify
      const again = await resubmit(server, chen, p.id, resubmissionOf(p))
      expect([again.statusCode, errorOf(again).code]).toEqual([409, 'INVALID_STATE'])

      // back in the Alipay+ review queue
      const queue = (await server.consoleGet('/console/promotions')).body
      const section = queue.slice(queue.indexOf('id="review-queue"'), queue.indexOf('id="awaiting-payment"'))
      expect(section).toContain(`data-promotion-id="${p.id}" data-status="PENDING_REVIEW"`)
      expect(section).toContain('Modified and resubmitted')
      const reviewPage = (await server.consoleGet(`/console/promotions/${p.id}`)).body
      expect(reviewPage).toContain('Approve spot')
      expect(reviewPage).not.toContain(`action="/console/promotions/${p.id}/spots/0/approve"`)
      expect((await server.consolePost(`/console/promotions/${p.id}/store/approve`, {})).statusCode).toBe(409) // kept its approval
      for (const i of [1, 2, 3, 4]) expect((await server.consolePost(`/console/promotions/${p.id}/spots/${i}/approve`, {})).statusCode).toBe(303)
      expect(await detail(server, chen, p.id)).toMatchObject({ status: 'APPROVED', eligibility: { eligible: true } })
    })

    it('releases the codes of removed spots', async () => {
      const p = await submit(server, chen, 'staff-chen', { spots: 2 })
      await review(server, p.id, 'approve', ['approve', 'reject'])
      const body = resubmissionOf(p)
      const removed = body.spots.pop() as { marketingCode: string }
      const res = await resubmit(server, chen, p.id, body)
      expect(res.statusCode).toBe(200)
      // nothing rejected is left and spot 1 is approved: the store goes back to review so that a reviewer confirms
      expect(res.json()).toMatchObject({ status: 'PENDING_REVIEW', storeReview: { status: 'PENDING' }, spots: [{ review: { status: 'APPROVED' } }] })
      expect((await server.api('POST', '/api/marketing-codes/check', { token: chen, body: { code: removed.marketingCode } })).json()).toEqual({
        code: removed.marketingCode,
        available: true,
      })
    })

    it('sends the store back when it was rejected or its content changed', async () => {
      const a = await submit(server, chen, 'staff-chen', { spots: 1 })
      await review(server, a.id, 'approve', ['reject'])
      const changed = await resubmit(
        server,
        chen,
        a.id,
        resubmissionOf(a, {
          store: { ...a.store, name: 'Kedai Kopi Sentosa Baru' },
          spots: [{ position: 'WALL', photoId: await uploadPhoto(server, chen), marketingCode: a.spots[0].marketingCode }],
        }),
      )
      expect(changed.json()).toMatchObject({
        store: { name: 'Kedai Kopi Sentosa Baru' },
        storeReview: { status: 'PENDING' },
        spots: [{ review: { status: 'PENDING' } }],
      })

      const b = await submit(server, chen, 'staff-chen', { spots: 1 })
      await review(server, b.id, 'approve', ['reject'])
      const merchant = await resubmit(server, chen, b.id, resubmissionOf(b, { merchant: { ...b.merchant, notes: 'Ask for Siti.' } }))
      expect(merchant.json()).toMatchObject({ storeReview: { status: 'PENDING' } })

      const c = await submit(server, chen, 'staff-chen', { spots: 1 })
      await review(server, c.id, 'reject', ['approve'])
      const same = await resubmit(server, chen, c.id, resubmissionOf(c))
      expect(same.json()).toMatchObject({ storeReview: { status: 'PENDING', reason: null }, spots: [{ review: { status: 'APPROVED' } }] })
    })

    it('is idempotent on clientId', async () => {
      const p = await submit(server, chen, 'staff-chen', { spots: 1 })
      await review(server, p.id, 'approve', ['reject'])
      const body = resubmissionOf(p, { spots: [{ ...resubmissionOf(p).spots[0], photoId: await uploadPhoto(server, chen) }] })
      const first = await resubmit(server, chen, p.id, body)
      expect(first.statusCode).toBe(200)
      const again = await resubmit(server, chen, p.id, body)
      expect(again.statusCode).toBe(200)
      expect(again.json()).toEqual(first.json())
      // even after the reviewer decided again, the same clientId changes nothing
      await server.consolePost(`/console/promotions/${p.id}/spots/0/reject`, { reason: 'Still not visible.' })
      const late = await resubmit(server, chen, p.id, body)
      expect(late.statusCode).toBe(200)
      expect(late.json()).toMatchObject({ status: 'REJECTED', spots: [{ review: { status: 'REJECTED', reason: 'Still not visible.' } }] })
    })

    it('refuses while an appeal is open or when nothing is rejected (409 INVALID_STATE)', async () => {
      const p = await submit(server, chen, 'staff-chen', { spots: 1 })
      const pending = await resubmit(server, chen, p.id, resubmissionOf(p))
      expect([pending.statusCode, errorOf(pending).code]).toEqual([409, 'INVALID_STATE'])
      await review(server, p.id, 'approve', ['reject'])
      expect((await appeal(server, chen, p.id)).statusCode).toBe(201)
      const open = await resubmit(server, chen, p.id, resubmissionOf(p))
      expect([open.statusCode, errorOf(open).code]).toEqual([409, 'INVALID_STATE'])
      const seed = await resubmit(server, chen, 'prm-seed-kopi', resubmissionOf(await detail(server, chen, 'prm-seed-kopi')))
      expect([seed.statusCode, errorOf(seed).code]).toEqual([409, 'INVALID_STATE'])
    })

    it('applies the rules of a first submission', async () => {
      const p = await submit(server, dao, 'staff-dao', { spots: 1 })
      for (const mode of ['MPM', 'UPM'] as const) {
        await server.api('POST', `/api/promotions/${p.id}/payment-verifications`, { token: dao, body: await evidence(server, dao, mode) })
      }
      await review(server, p.id, 'approve', ['reject'])
      const other = await submit(server, dao, 'staff-dao', { spots: 1 })
      const chenPhoto = await uploadPhoto(server, chen)
      const spot = (patch: Record<string, unknown>) => ({ spots: [{ ...resubmissionOf(p).spots[0], ...patch }] })
      const cases: Array<[string, Record<string, unknown>, number, string, string | null]> = [
        [
          'another product',
          { product: 'PRIMARY_POSM', spots: [{ position: 'WALL', photoId: p.spots[0].photoId, materialType: 'STICKER' }] },
          400,
          'VALIDATION_FAILED',
          'product',
        ],
        [
          'too many spots',
          { spots: [1, 2, 3, 4].map((i) => ({ position: 'WALL', photoId: `upl-${i}`, marketingCode: freshCode() })) },
          422,
          'EXCESSIVE_POSMS',
          'spots',
        ],
        ['a code bound elsewhere', spot({ marketingCode: other.spots[0].marketingCode }), 409, 'CODE_BOUND', 'spots.0.marketingCode'],
        ['a photo of another submission', spot({ photoId: other.spots[0].photoId }), 409, 'PHOTO_REPEATED', 'spots.0.photoId'],
        ['someone else’s photo', spot({ photoId: chenPhoto }), 422, 'PHOTO_MISSING', 'spots.0.photoId'],
        ['the same photo twice', { store: { ...p.store, storefrontPhotoId: p.spots[0].photoId } }, 409, 'PHOTO_REPEATED', 'store.storefrontPhotoId'],
        ['a bad code', spot({ marketingCode: 'hello' }), 400, 'VALIDATION_FAILED', 'spots.0.marketingCode'],
        ['no manager consent', { store: { ...p.store, managerConsent: false } }, 400, 'VALIDATION_FAILED', 'store.managerConsent'],
        ['closed hours', { store: { ...p.store, openingTime: '20:00', closingTime: '22:00' } }, 422, 'OUTSIDE_BUSINESS_HOURS', 'store.openingTime'],
      ]
      for (const [label, patch, status, code, field] of cases) {
        const res = await resubmit(server, dao, p.id, resubmissionOf(p, patch))
        expect([label, res.statusCode, errorOf(res).code]).toEqual([label, status, code])
        if (field) expect(Object.keys(errorOf(res).fields ?? {})).toContain(field)
      }
      for (const junk of [null, [], 'text', { clientId: 'x' }, { ...resubmissionOf(p), spots: [] }]) {
        const res = await resubmit(server, dao, p.id, junk)
        expect(res.statusCode).toBe(400)
      }
      expect(await detail(server, dao, p.id)).toMatchObject({ status: 'REJECTED', spots: [{ review: { status: 'REJECTED' } }] })
      // the photo already attached to this promotion is fine
      expect((await resubmit(server, dao, p.id, resubmissionOf(p))).statusCode).toBe(200)
    })
  })
})
