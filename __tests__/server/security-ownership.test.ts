/**
 * Ownership: one staff member's ids used by another. Staff A (staff-chen, Lion City) and D (staff-dao,
 * Nusantara) own promotions (with uploads; one rejected by the reviewer, so appeal and Modify are open; one
 * awaiting payment verification), inspection tasks and payment verifications. Then every route with an `:id`
 * (from `Endpoints` plus GET /api/uploads/:id) is walked by the others — staff-farah (associated with the same
 * ISO as A) and the other ISO's staff member — expecting 403 FORBIDDEN, no data of the owner in the answer and
 * nothing stored. Ids of another staff member inside a body (photos, payment verifications) are refused too,
 * lists never show another's records, and photos are served only to their owner and to /console.
 */
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import type { AssociationState } from '../../packages/contract/api'
import type { PromotionView } from '../../packages/contract/promotion'
import type { PromotionPage } from '../../packages/contract/results'
import {
  HOSTILE_STRINGS,
  ID_ROUTES,
  expectClientError,
  expectUnchanged,
  hostileString,
  openDbReader,
  urlOf,
  type DbReader,
  type IdKind,
  type Route,
  wellFormed,
} from './campaign-helpers'
import { startTestServer, type TestServer } from './helpers'
import { SEEDED, getTask, inspectionBody, inspectionEvidence, verify, verifyBoth } from './inspection-fixtures'
import { clientId, createPromotion, evidence, passedVerifications, png, promotionBody, uploadPhoto, uploadRaw } from './promotion-fixtures'
import { review, submit } from './results-fixtures'

// Property runs are short (well under a second each) but the machine may be busy: leave them room.
jest.setTimeout(30_000)

type Who = 'chen' | 'dao' | 'farah'

interface Owned {
  owner: Who | 'emily'
  kind: IdKind
  id: string
  label: string
}

describe('one staff member’s ids used by another', () => {
  let server: TestServer
  let db: DbReader
  const tokens = {} as Record<Who | 'aisyah', string>
  /** What only its owner may see: names, store names, ids of photos and payment verifications. */
  const secretsOf: Record<Owned['owner'], string[]> = { chen: [], dao: [], farah: [], emily: [] }
  const allSecrets = () => Object.values(secretsOf).flat()
  const owned: Owned[] = []
  let chenRejected: PromotionView
  let chenFreeUpload = ''
  let chenFreeVerifications: string[] = []
  let chenInspectionVerification = ''
  let daoAwaiting: PromotionView
  let farahRequest = ''
  let farahRejected: PromotionView

  beforeAll(async () => {
    server = await startTestServer()
    tokens.chen = await server.signIn('staff-chen')
    tokens.dao = await server.signIn('staff-dao')
    tokens.farah = await server.signIn('staff-farah')
    tokens.aisyah = await server.signIn('staff-aisyah')

    // farah joins Lion City (chen's ISO) through the ISO platform: same ISO, other staff member
    const asked = await server.api('POST', '/api/association/requests', {
      token: tokens.farah,
      body: { isoEmail: 'ops@lioncitypay.example', name: 'Farah Ismail', phone: '+6591234567' },
    })
    farahRequest = (asked.json() as AssociationState).request?.id as string
    expect((await server.consolePost(`/console/requests/${farahRequest}/approve`, {})).statusCode).toBe(303)
    expect((await server.api('POST', '/api/association/join', { token: tokens.farah })).json()).toMatchObject({ status: 'associated' })

    // chen: a promotion rejected by the reviewer (appeal and Modify open), an unused photo, unused passed verifications
    chenRejected = await submit(server, tokens.chen, 'staff-chen', { store: { name: 'Chen Secret Noodle Bar', address: '1 Hidden Lane, Singapore 049000' } })
    await review(server, chenRejected.id, 'reject', ['approve', 'approve'])
    chenFreeUpload = await uploadPhoto(server, tokens.chen)
    chenFreeVerifications = await passedVerifications(server, tokens.chen)
    const laksa = await getTask(server, tokens.chen, SEEDED.laksa)
    chenInspectionVerification = (await verify(server, tokens.chen, SEEDED.laksa, await inspectionEvidence(server, tokens.chen, laksa, 'MPM'))).json()
      .id as string

    // dao: a Deploy-Then-Verify promotion awaiting payment verification
    daoAwaiting = await submit(server, tokens.dao, 'staff-dao', {
      product: 'PRIMARY_POSM',
      spots: 1,
      store: { name: 'Dao Secret Pho Stall', address: '9 Hidden Alley, Jakarta 10110' },
    })

    // farah: her own rejected promotion (to appeal and modify with someone else's photos)
    const farahVerifications = await passedVerifications(server, tokens.farah)
    farahRejected = await createPromotion(
      server,
      tokens.farah,
      await promotionBody(server, tokens.farah, { spots: 1, paymentVerificationIds: farahVerifications, store: { name: 'Farah Secret Bakery' } }),
    )
    await review(server, farahRejected.id, 'reject', ['approve'])

    const photosOf = (p: PromotionView) => [p.store.storefrontPhotoId, ...p.spots.map((s) => s.photoId)]
    secretsOf.chen.push(
      'Chen Secret Noodle Bar',
      'Hidden Lane',
      'Chen Wei',
      'Kopi Corner',
      'Laksa House',
      ...photosOf(chenRejected),
      chenFreeUpload,
      ...chenFreeVerifications,
      chenInspectionVerification,
    )
    secretsOf.dao.push('Dao Secret Pho Stall', 'Hidden Alley', 'Dao Minh Anh', 'Warung Sate', ...photosOf(daoAwaiting))
    secretsOf.farah.push('Farah Secret Bakery', ...photosOf(farahRejected), ...farahVerifications)
    secretsOf.emily.push('Emily Tan')

    owned.push(
      { owner: 'emily', kind: 'request', id: 'req-seed-emily', label: 'emily’s pending request' },
      { owner: 'farah', kind: 'request', id: farahRequest, label: 'farah’s approved request' },
      { owner: 'chen', kind: 'promotion', id: chenRejected.id, label: 'chen’s rejected promotion' },
      { owner: 'chen', kind: 'promotion', id: 'prm-seed-kopi', label: 'chen’s approved seeded promotion' },
      { owner: 'dao', kind: 'promotion', id: daoAwaiting.id, label: 'dao’s promotion awaiting verification' },
      { owner: 'dao', kind: 'promotion', id: 'prm-seed-warung', label: 'dao’s approved seeded promotion' },
      { owner: 'farah', kind: 'promotion', id: farahRejected.id, label: 'farah’s rejected promotion' },
      { owner: 'chen', kind: 'inspection', id: SEEDED.kopi, label: 'chen’s open task' },
      { owner: 'chen', kind: 'inspection', id: SEEDED.laksa, label: 'chen’s task in progress' },
      { owner: 'dao', kind: 'inspection', id: SEEDED.warung, label: 'dao’s open task' },
      { owner: 'chen', kind: 'upload', id: chenRejected.store.storefrontPhotoId, label: 'chen’s storefront photo' },
      { owner: 'chen', kind: 'upload', id: chenFreeUpload, label: 'chen’s unused photo' },
      { owner: 'dao', kind: 'upload', id: daoAwaiting.spots[0].photoId, label: 'dao’s spot photo' },
      { owner: 'farah', kind: 'upload', id: farahRejected.store.storefrontPhotoId, label: 'farah’s storefront photo' },
    )
    db = openDbReader(server)
    expect(await db.scalar('SELECT status FROM promotions WHERE id = ?', chenRejected.id)).toBe('REJECTED')
    expect(await db.scalar('SELECT status FROM promotions WHERE id = ?', farahRejected.id)).toBe('REJECTED')
    expect(await db.scalar('SELECT status FROM promotions WHERE id = ?', daoAwaiting.id)).toBe('AWAITING_PAYMENT_VERIFICATION')
    expect(await db.scalar('SELECT status FROM inspection_tasks WHERE id = ?', SEEDED.laksa)).toBe('IN_PROGRESS')
  })
  afterAll(async () => {
    db.close()
    await server.close()
  })

  /** A body that would be accepted from the attacker on their own resource: only ownership can refuse it. */
  async function attackerBody(route: Route, attacker: Who): Promise<unknown> {
    const token = tokens[attacker]
    switch (route.key) {
      case 'POST /api/promotions/:id/payment-verifications':
        return evidence(server, token, 'MPM')
      case 'POST /api/promotions/:id/appeals':
        return { clientId: clientId(), reason: 'Please look at the storefront photo again.', photoIds: [await uploadPhoto(server, token)] }
      case 'POST /api/promotions/:id/resubmissions': {
        const { paymentVerificationIds: _ignored, ...body } = await promotionBody(server, token, { spots: 1 })
        return body
      }
      case 'POST /api/inspections/:id/payment-verifications':
        return evidence(server, token, 'MPM')
      case 'POST /api/inspections/:id/submissions':
        return {
          clientId: clientId(),
          store: { open: true, sameStore: true, storefrontPhotoId: await uploadPhoto(server, token), location: null, distanceMeters: null, feedback: '' },
          spots: [{ index: 0, condition: 'PRESENT', photoId: await uploadPhoto(server, token), scannedCode: 'APMC0000000001', feedback: '' }],
          paymentVerificationIds: [],
        }
      default:
        return undefined
    }
  }

  function attempt(route: Route, id: string, token: string, body: unknown): Promise<LightMyRequestResponse> {
    return server.api(route.method, urlOf(route, id), { token, ...(body === undefined ? {} : { body }) })
  }

  /** 403 FORBIDDEN with nothing of the owner's in the answer. */
  function expectForbidden(res: LightMyRequestResponse, context: string): void {
    const error = expectClientError(res, context)
    expect([context, res.statusCode, error.code]).toEqual([context, 403, 'FORBIDDEN'])
    // an error body carries nobody's data
    for (const secret of allSecrets()) expect([context, res.body.includes(secret)]).toEqual([context, false])
  }

  const attackersOf = (owner: Owned['owner']): Who[] => (['chen', 'dao', 'farah'] as const).filter((w) => w !== owner)

  it('walks every route with an :id as every other staff member: 403 FORBIDDEN, nothing leaked, nothing stored', async () => {
    const walked = new Set<string>()
    for (const route of ID_ROUTES) {
      for (const target of owned.filter((o) => o.kind === route.id)) {
        for (const attacker of attackersOf(target.owner)) {
          const body = await attackerBody(route, attacker)
          const before = await db.snapshot()
          const res = await attempt(route, target.id, tokens[attacker], body)
          expectForbidden(res, `${route.key} on ${target.label} by ${attacker}`)
          expectUnchanged(before, await db.snapshot(), `${route.key} on ${target.label} by ${attacker}`)
          walked.add(route.key)
        }
      }
    }
    expect([...walked].sort()).toEqual(ID_ROUTES.map((r) => r.key).sort())
  })

  it('refuses a foreign id before validating the body: 403 whatever the JSON payload, on every POST route with an :id', async () => {
    // the README: ownership (403/404) is checked before the body is read (appeals, resubmissions, inspections);
    // a caller must not learn a payload's rules for a resource that is not theirs, nor get a different answer.
    // (Bytes that are not JSON at all are refused by the JSON parser before any route runs: 400 on every route.)
    const payloads = [
      '',
      'null',
      '[]',
      '{}',
      '{"mode":"MPM"}',
      JSON.stringify({ s: '<script>'.repeat(500) }),
      JSON.stringify({ __proto__: null, photoId: "'; DROP TABLE uploads;--" }),
    ]
    const refusedOtherwise: string[] = []
    for (const route of ID_ROUTES.filter((r) => r.method === 'POST')) {
      for (const target of owned.filter((o) => o.kind === route.id)) {
        for (const attacker of attackersOf(target.owner)) {
          for (const payload of payloads) {
            const before = await db.snapshot()
            const res = await server.app.inject({
              method: 'POST',
              url: urlOf(route, target.id),
              headers: { authorization: `Bearer ${tokens[attacker]}`, 'content-type': 'application/json' },
              payload,
            })
            const error = expectClientError(res, route.key)
            for (const secret of allSecrets()) expect(res.body.includes(secret)).toBe(false)
            expectUnchanged(before, await db.snapshot(), route.key)
            if (res.statusCode !== 403 || error.code !== 'FORBIDDEN')
              refusedOtherwise.push(`${route.key} ${JSON.stringify(payload.slice(0, 20))} → ${res.statusCode} ${error.code}`)
          }
        }
      }
    }
    expect([...new Set(refusedOtherwise)]).toEqual([])
    // every route × owned record × attacker × payload, each between two snapshots of the whole database: on PostgreSQL,
    // beside the SQLite suite on two cores (npm test runs them side by side), it took more than 30 s in CI
  }, 120_000)

  it('answers unknown and hostile ids with 4xx (never 5xx, never someone’s data), on every :id route', async () => {
    const ids = fc.oneof(
      fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length > 0), '%00', '..%2F..%2Fworkspace.sqlite', '../uploads', 'upl-seed-storefront/../x'),
      hostileString({ hugeMax: 3000 }).filter((s) => s.length > 0),
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ID_ROUTES), ids, fc.constantFrom<Who>('chen', 'dao', 'farah'), async (route, id, who) => {
        const mine = owned.some((o) => o.id === id && o.owner === who)
        // '.' and '..' are path segments, not ids: the URL parser removes them (/api/promotions/. is the list)
        fc.pre(!mine && id !== '.' && id !== '..')
        const before = await db.snapshot()
        const res = await server.api(route.method, urlOf(route, id), { token: tokens[who], ...(route.method === 'POST' ? { body: {} } : {}) })
        const error = expectClientError(res, `${route.key} ${JSON.stringify(id.slice(0, 40))}`)
        expect([400, 403, 404, 413, 414]).toContain(res.statusCode)
        if (res.statusCode === 403) expect(error.code).toBe('FORBIDDEN')
        for (const secret of allSecrets()) expect(res.body.includes(secret)).toBe(false)
        expectUnchanged(before, await db.snapshot())
      }),
      { numRuns: 80 },
    )
  })

  it('never lists another staff member’s records (promotions, results, inspections), whatever the filter or cursor', async () => {
    const foreignIds = (who: Who) => owned.filter((o) => o.owner !== who).map((o) => o.id)
    const chenPage = (await server.api('GET', '/api/results/promotions?limit=1', { token: tokens.chen })).json() as PromotionPage
    expect(chenPage.nextCursor).not.toBeNull()
    for (const who of ['chen', 'dao', 'farah'] as const) {
      const urls = [
        '/api/promotions',
        '/api/inspections',
        '/api/results/summary',
        '/api/results/promotions',
        '/api/results/promotions?limit=50',
        '/api/results/promotions?status=REJECTED',
        '/api/results/promotions?status=APPROVED',
        '/api/results/promotions?status=AWAITING_PAYMENT_VERIFICATION',
        `/api/results/promotions?limit=1&cursor=${encodeURIComponent(chenPage.nextCursor as string)}`,
      ]
      for (const url of urls) {
        const res = await server.api('GET', url, { token: tokens[who] })
        expect([url, res.statusCode]).toEqual([url, 200])
        for (const id of foreignIds(who)) expect([who, url, id, res.body.includes(id)]).toEqual([who, url, id, false])
        for (const [owner, secrets] of Object.entries(secretsOf)) {
          if (owner === who) continue
          for (const secret of secrets) expect([who, url, secret, res.body.includes(secret)]).toEqual([who, url, secret, false])
        }
      }
    }
  })

  it('refuses another staff member’s photos and payment verifications named in a body', async () => {
    const farah = tokens.farah
    const chenPhoto = chenRejected.store.storefrontPhotoId

    // a promotion with chen's unused photo, and with chen's unused passed verifications
    const withPhoto = await promotionBody(server, farah, { spots: 1, paymentVerificationIds: await passedVerifications(server, farah) })
    const before = await db.snapshot()
    const photoRes = await server.api('POST', '/api/promotions', {
      token: farah,
      body: { ...withPhoto, store: { ...withPhoto.store, storefrontPhotoId: chenFreeUpload } },
    })
    expect([photoRes.statusCode, expectClientError(photoRes).code, photoRes.json().error.fields]).toEqual([
      422,
      'PHOTO_MISSING',
      { 'store.storefrontPhotoId': 'PHOTO_MISSING' },
    ])
    const pvRes = await server.api('POST', '/api/promotions', {
      token: farah,
      body: { ...(await promotionBody(server, farah, { spots: 1 })), paymentVerificationIds: chenFreeVerifications },
    })
    expect([pvRes.statusCode, expectClientError(pvRes).code]).toEqual([422, 'PAYMENT_NOT_VERIFIED'])

    // payment evidence with chen's photo (before a promotion, for a promotion, for a task)
    const pv = await server.api('POST', '/api/payment-verifications', { token: farah, body: await evidence(server, farah, 'MPM', { photoId: chenFreeUpload }) })
    expect([pv.statusCode, expectClientError(pv).code]).toEqual([422, 'PHOTO_MISSING'])
    const daoPv = await server.api('POST', `/api/promotions/${daoAwaiting.id}/payment-verifications`, {
      token: tokens.dao,
      body: await evidence(server, tokens.dao, 'MPM', { photoId: chenPhoto }),
    })
    expect([daoPv.statusCode, expectClientError(daoPv).code]).toEqual([422, 'PHOTO_MISSING'])
    const warung = await getTask(server, tokens.dao, SEEDED.warung)
    const taskPv = await verify(server, tokens.dao, SEEDED.warung, await inspectionEvidence(server, tokens.dao, warung, 'MPM', { photoId: chenFreeUpload }))
    expect([taskPv.statusCode, expectClientError(taskPv).code]).toEqual([422, 'PHOTO_MISSING'])

    // an appeal of one's own promotion with someone else's photo
    const appealRes = await server.api('POST', `/api/promotions/${farahRejected.id}/appeals`, {
      token: farah,
      body: { clientId: clientId(), reason: 'Please look at the storefront again.', photoIds: [chenFreeUpload] },
    })
    expect([appealRes.statusCode, expectClientError(appealRes).code, appealRes.json().error.fields]).toEqual([
      422,
      'PHOTO_MISSING',
      { 'photoIds.0': 'PHOTO_MISSING' },
    ])

    // a resubmission of one's own promotion with someone else's photo
    const { paymentVerificationIds: _unused, ...resubmission } = await promotionBody(server, farah, { spots: 1 })
    const resubRes = await server.api('POST', `/api/promotions/${farahRejected.id}/resubmissions`, {
      token: farah,
      body: { ...resubmission, spots: [{ ...resubmission.spots[0], photoId: chenPhoto }] },
    })
    expect([resubRes.statusCode, expectClientError(resubRes).code]).toEqual([422, 'PHOTO_MISSING'])

    // an inspection result of one's own task with another task's (chen's) payment verification, or chen's photo
    const daoIds = await verifyBoth(server, tokens.dao, warung)
    const inspection = await inspectionBody(server, tokens.dao, warung, [...daoIds, chenInspectionVerification])
    const insRes = await server.api('POST', `/api/inspections/${SEEDED.warung}/submissions`, { token: tokens.dao, body: inspection })
    expect([insRes.statusCode, expectClientError(insRes).code]).toEqual([422, 'PAYMENT_NOT_VERIFIED'])
    const insPhoto = await server.api('POST', `/api/inspections/${SEEDED.warung}/submissions`, {
      token: tokens.dao,
      body: { ...inspection, paymentVerificationIds: daoIds, store: { ...inspection.store, storefrontPhotoId: chenFreeUpload } },
    })
    expect([insPhoto.statusCode, expectClientError(insPhoto).code]).toEqual([422, 'PHOTO_MISSING'])

    // chen's photo and verifications are untouched by all of this
    expect(await db.scalar('SELECT promotion_id FROM uploads WHERE id = ?', chenFreeUpload)).toBeNull()
    expect(await db.scalar('SELECT inspection_id FROM uploads WHERE id = ?', chenFreeUpload)).toBeNull()
    for (const id of chenFreeVerifications) expect(await db.scalar('SELECT promotion_id FROM payment_verifications WHERE id = ?', id)).toBeNull()
    expect(before.promotions.rows).toBe((await db.snapshot()).promotions.rows)
  })

  it('does not replay another staff member’s submission for their clientId (idempotency keys are per staff member)', async () => {
    // chen's promotion's clientId, sent by farah: a new promotion of farah's, not chen's promotion
    const farahVerifications = await passedVerifications(server, tokens.farah)
    const body = { ...(await promotionBody(server, tokens.farah, { spots: 1, paymentVerificationIds: farahVerifications })), clientId: chenRejected.clientId }
    const res = await server.api('POST', '/api/promotions', { token: tokens.farah, body })
    expect(res.statusCode).toBe(201)
    const created = res.json() as PromotionView
    expect(created.id).not.toBe(chenRejected.id)
    for (const secret of secretsOf.chen) expect(res.body.includes(secret)).toBe(false)

    // an appeal clientId chen used, sent by farah for her own promotion: her own appeal
    const appealClientId = clientId()
    const chenAppeal = await server.api('POST', `/api/promotions/${chenRejected.id}/appeals`, {
      token: tokens.chen,
      body: { clientId: appealClientId, reason: 'The storefront is clearly visible.', photoIds: [] },
    })
    expect(chenAppeal.statusCode).toBe(201)
    const farahAppeal = await server.api('POST', `/api/promotions/${farahRejected.id}/appeals`, {
      token: tokens.farah,
      body: { clientId: appealClientId, reason: 'My storefront is clearly visible too.', photoIds: [] },
    })
    expect(farahAppeal.statusCode).toBe(201)
    expect((farahAppeal.json() as PromotionView).id).toBe(farahRejected.id)
    for (const secret of secretsOf.chen) expect(farahAppeal.body.includes(secret)).toBe(false)
  })

  describe('photos are served to their owner and to /console only', () => {
    let photo = ''
    let bytes: Buffer

    beforeAll(async () => {
      bytes = png(9_100_001)
      photo = (await uploadRaw(server, tokens.chen, bytes)).json().id as string
    })

    it('serves the bytes to the owner and to the console', async () => {
      const own = await server.api('GET', `/api/uploads/${photo}`, { token: tokens.chen })
      expect(own.statusCode).toBe(200)
      expect(own.headers['content-type']).toBe('image/png')
      expect(own.headers['x-content-type-options']).toBe('nosniff')
      expect(own.rawPayload.equals(bytes)).toBe(true)
      const console = await server.consoleGet(`/console/uploads/${photo}`)
      expect(console.statusCode).toBe(200)
      expect(console.rawPayload.equals(bytes)).toBe(true)
    })

    it('refuses another staff member (403), a staff member without an ISO (403 NOT_ASSOCIATED) and no auth (401)', async () => {
      for (const who of ['dao', 'farah'] as const) {
        const res = await server.api('GET', `/api/uploads/${photo}`, { token: tokens[who] })
        expectForbidden(res, `photo by ${who}`)
        expect(res.rawPayload.includes(bytes)).toBe(false)
      }
      const aisyah = await server.api('GET', `/api/uploads/${photo}`, { token: tokens.aisyah })
      expect([aisyah.statusCode, expectClientError(aisyah).code]).toEqual([403, 'NOT_ASSOCIATED'])
      const anonymous = await server.api('GET', `/api/uploads/${photo}`)
      expect([anonymous.statusCode, expectClientError(anonymous).code]).toEqual([401, 'UNAUTHORIZED'])
    })

    it('refuses /console/uploads without a console session: none, a forged or stale cookie, Basic credentials, a staff bearer token, or a role that does not review promotions', async () => {
      const wrong: Record<string, string>[] = [
        {},
        { cookie: 'posm_console=forged-token-000000000000000000000000' },
        { cookie: `posm_console=${tokens.chen}` },
        { authorization: `Basic ${Buffer.from('console:console').toString('base64')}` },
        { authorization: `Bearer ${tokens.chen}` },
      ]
      for (const headers of wrong) {
        const res = await server.app.inject({ method: 'GET', url: `/console/uploads/${photo}`, headers })
        expect([headers, res.statusCode, res.headers.location]).toEqual([
          headers,
          303,
          `/console/sign-in?next=${encodeURIComponent(`/console/uploads/${photo}`)}`,
        ])
        expect(res.rawPayload.includes(bytes)).toBe(false)
      }
      for (const who of ['lioncity', 'coordinator']) {
        const res = await server.consoleAs(who).get(`/console/uploads/${photo}`)
        expect([who, res.statusCode]).toEqual([who, 403])
        expect(res.rawPayload.includes(bytes)).toBe(false)
      }
    })

    it('never serves a file for a hostile id, to the owner or the console', async () => {
      const ids = fc.oneof(
        fc.constantFrom(
          '..%2Fworkspace.sqlite',
          '..%2F..%2Fetc%2Fpasswd',
          '%2e%2e%2fworkspace.sqlite',
          `${photo}%00`,
          `${photo}%2F..`,
          `..%2Fuploads%2F${photo}`,
          '..',
          '%2e%2e',
        ),
        hostileString({ hugeMax: 1000 }).map((s) => encodeURIComponent(wellFormed(s))),
      )
      await fc.assert(
        fc.asyncProperty(ids, async (id) => {
          fc.pre(id !== photo)
          const api = await server.api('GET', `/api/uploads/${id}`, { token: tokens.chen })
          expectClientError(api, `/api/uploads/${id.slice(0, 60)}`)
          const console = await server.consoleGet(`/console/uploads/${id}`)
          expect(console.statusCode).toBeLessThan(500)
          // (a URL such as /console/uploads/%2e%2e is normalised to /console/ by the URL parser: the console's home page)
          if (console.statusCode === 200) expect(console.headers['content-type']).toMatch(/^text\/html/)
          for (const res of [api, console]) {
            expect(res.rawPayload.includes(Buffer.from('SQLite format 3'))).toBe(false)
            expect(res.rawPayload.includes(bytes)).toBe(false)
            expect(res.body).not.toContain('root:x:0:0')
          }
        }),
        { numRuns: 40 },
      )
    })
  })
})
