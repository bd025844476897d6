import type { InspectionTask } from '../../packages/contract/inspection'
import type { PaymentVerificationView } from '../../packages/contract/promotion'
import { errorOf, startTestServer, type TestServer } from './helpers'
import { completeInspection, getTask, inspectionBody, inspectionEvidence, SEEDED, submitInspection, verify, verifyBoth } from './inspection-fixtures'
import { clientId, passedVerifications, png, promotionBody, uploadPhoto, uploadRaw } from './promotion-fixtures'
import { appeal, review, submit, summary } from './results-fixtures'

describe('spot inspection API', () => {
  let server: TestServer
  let chen: string
  let dao: string
  beforeEach(async () => {
    server = await startTestServer()
    chen = await server.signIn('staff-chen')
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  /** The stored result of a task (what the console shows). */
  async function storedResult(id: string): Promise<Record<string, unknown>> {
    const row = await server.db.get<{ result_json: string | null }>('SELECT result_json FROM inspection_tasks WHERE id = ?', [id])
    return JSON.parse(row?.result_json ?? 'null') as Record<string, unknown>
  }

  describe('seeded tasks', () => {
    it('lists each staff member’s own TO_DO tasks, due date first, with the store and spots of the promotion', async () => {
      const res = await server.api('GET', '/api/inspections', { token: chen })
      expect(res.statusCode).toBe(200)
      const { tasks } = res.json() as { tasks: InspectionTask[] }
      expect(tasks.map((t) => [t.id, t.status, t.dueDate])).toEqual([
        [SEEDED.kopi, 'TO_DO', '2025-03-06'],
        [SEEDED.laksa, 'TO_DO', '2025-03-08'],
      ])
      expect(tasks[0]).toMatchObject({
        promotionId: 'prm-seed-kopi',
        product: 'MARKETING_CODE',
        store: {
          name: 'Kopi Corner (demo)',
          category: 'FOOD_BEVERAGE',
          wallets: ['ALIPAY', 'GCASH', 'KAKAOPAY'],
          location: { latitude: 1.2834, longitude: 103.8607 },
        },
        spots: [{ index: 0, position: 'CASHIER_COUNTER', positionNote: null, marketingCode: 'APMC0000000001', materialType: null }],
        reviewerReason: null,
        assignedAt: '2025-03-03T02:00:00.000Z',
        submittedAt: null,
        paymentVerifications: [],
      })
      expect(tasks[1].spots.map((s) => s.marketingCode)).toEqual(['APMC0000000002', 'APMC0000000003'])
      expect(tasks[1].store.wallets).toEqual(['ALIPAY'])

      const daos = (await server.api('GET', '/api/inspections', { token: dao })).json() as { tasks: InspectionTask[] }
      expect(daos.tasks).toHaveLength(1)
      expect(daos.tasks[0]).toMatchObject({
        id: SEEDED.warung,
        product: 'PRIMARY_POSM',
        dueDate: '2025-03-07',
        status: 'TO_DO',
        store: { name: 'Warung Sate (demo)' },
        spots: [{ index: 0, position: 'ENTRANCE', marketingCode: null, materialType: 'STAND' }],
      })
      expect(await getTask(server, dao, SEEDED.warung)).toEqual(daos.tasks[0])
    })
  })

  describe('permissions', () => {
    it('refuses every route of another staff member’s task with 403, and answers 404 for a missing one', async () => {
      const good = await inspectionBody(server, dao, await getTask(server, chen, SEEDED.kopi), [])
      for (const [method, url, body] of [
        ['GET', `/api/inspections/${SEEDED.kopi}`, undefined],
        ['POST', `/api/inspections/${SEEDED.kopi}/payment-verifications`, { mode: 'MPM' }],
        [
          'POST',
          `/api/inspections/${SEEDED.kopi}/payment-verifications`,
          await inspectionEvidence(server, dao, await getTask(server, chen, SEEDED.kopi), 'MPM'),
        ],
        ['POST', `/api/inspections/${SEEDED.kopi}/submissions`, { nonsense: true }],
        ['POST', `/api/inspections/${SEEDED.kopi}/submissions`, good],
      ] as const) {
        const res = await server.api(method, url, { token: dao, body })
        expect([url, res.statusCode]).toEqual([url, 403])
        expect(errorOf(res).code).toBe('FORBIDDEN')
      }
      for (const [method, url] of [
        ['GET', '/api/inspections/ins-nope'],
        ['POST', '/api/inspections/ins-nope/payment-verifications'],
        ['POST', '/api/inspections/ins-nope/submissions'],
      ] as const) {
        const res = await server.api(method, url, { token: chen, body: {} })
        expect([url, res.statusCode, errorOf(res).code]).toEqual([url, 404, 'NOT_FOUND'])
      }
      // nothing changed for staff-chen
      expect((await getTask(server, chen, SEEDED.kopi)).status).toBe('TO_DO')
    })

    it('needs a session and an associated staff member', async () => {
      const aisyah = await server.signIn('staff-aisyah')
      for (const [method, url] of [
        ['GET', '/api/inspections'],
        ['GET', `/api/inspections/${SEEDED.kopi}`],
        ['POST', `/api/inspections/${SEEDED.kopi}/payment-verifications`],
        ['POST', `/api/inspections/${SEEDED.kopi}/submissions`],
      ] as const) {
        expect((await server.api(method, url, { body: {} })).statusCode).toBe(401)
        const res = await server.api(method, url, { token: aisyah, body: {} })
        expect([url, res.statusCode, errorOf(res).code]).toEqual([url, 403, 'NOT_ASSOCIATED'])
      }
    })
  })

  describe('payment verification', () => {
    it('applies the promotion rules with the store’s recorded wallets, and starts the task', async () => {
      const task = await getTask(server, chen, SEEDED.laksa) // Alipay-only store: the Alipay app
      const wrongTool = await verify(
        server,
        chen,
        task.id,
        await inspectionEvidence(server, chen, task, 'MPM', { tool: 'ALIPAY_PLUS_LINKER', wallets: ['GCASH', 'DANA'] }),
      )
      // the other tool than the ISO's rule names: refused, nothing recorded, the task not started
      expect([wrongTool.statusCode, errorOf(wrongTool).code, errorOf(wrongTool).fields]).toEqual([422, 'WRONG_PAYMENT_TOOL', { tool: 'WRONG_PAYMENT_TOOL' }])
      expect((await getTask(server, chen, task.id)).status).toBe('TO_DO')

      const notFound = await verify(server, chen, task.id, await inspectionEvidence(server, chen, task, 'UPM', { reference: 'AP202503030000010000' }))
      expect(notFound.json()).toMatchObject({ status: 'FAILED', reason: 'PAYMENT_NOT_FOUND' })
      expect((await getTask(server, chen, task.id)).status).toBe('IN_PROGRESS')
      const passed = await verify(server, chen, task.id, await inspectionEvidence(server, chen, task, 'UPM'))
      expect(passed.json()).toMatchObject({ status: 'PASSED', reason: null, tool: 'ALIPAY' })

      const other = await uploadPhoto(server, dao)
      const missing = await verify(server, chen, task.id, await inspectionEvidence(server, chen, task, 'MPM', { photoId: other }))
      expect([missing.statusCode, errorOf(missing).code, errorOf(missing).fields]).toEqual([422, 'PHOTO_MISSING', { photoId: 'PHOTO_MISSING' }])
      const malformed = await verify(server, chen, task.id, { ...(await inspectionEvidence(server, chen, task, 'MPM')), reference: 'AP12' })
      expect([malformed.statusCode, errorOf(malformed).fields?.reference]).toEqual([400, 'PAYMENT_REFERENCE_INVALID'])

      const after = await getTask(server, chen, task.id)
      expect(after.paymentVerifications.map((v) => [v.mode, v.status, v.reason])).toEqual([
        ['UPM', 'FAILED', 'PAYMENT_NOT_FOUND'],
        ['UPM', 'PASSED', null],
      ])
      // a task's evidence never counts for a promotion (nor shows on one)
      const promo = (await server.api('GET', '/api/promotions/prm-seed-laksa', { token: chen })).json() as { paymentVerifications: PaymentVerificationView[] }
      expect(promo.paymentVerifications.map((v) => v.id)).not.toContain((passed.json() as PaymentVerificationView).id)
    })

    it("refuses a task's evidence for a promotion (PAYMENT_NOT_VERIFIED)", async () => {
      const task = await getTask(server, chen, SEEDED.kopi)
      const ids = await verifyBoth(server, chen, task)
      const res = await server.api('POST', '/api/promotions', { token: chen, body: await promotionBody(server, chen, { paymentVerificationIds: ids }) })
      expect([res.statusCode, errorOf(res).code]).toEqual([422, 'PAYMENT_NOT_VERIFIED'])
    })
  })

  describe('submission', () => {
    it('runs the full flow: verify both modes, submit, console accept, counted as of the next day', async () => {
      const task = await getTask(server, chen, SEEDED.laksa)
      const ids = await verifyBoth(server, chen, task)
      const body = await inspectionBody(server, chen, task, ids)
      const res = await submitInspection(server, chen, task.id, body)
      expect(res.statusCode).toBe(201)
      const submitted = res.json() as InspectionTask
      expect(submitted).toMatchObject({ id: task.id, status: 'SUBMITTED', submittedAt: '2025-03-03T02:00:00.000Z', reviewerReason: null })
      expect(submitted.paymentVerifications.map((v) => v.id)).toEqual(ids)
      expect(await storedResult(task.id)).toMatchObject({
        store: { open: true, sameStore: true, distanceMeters: 0, farFromStore: false },
        spots: [
          { index: 0, boundCode: 'APMC0000000002', scannedCode: 'APMC0000000002', codeComparison: 'MATCH', condition: 'PRESENT' },
          { index: 1, boundCode: 'APMC0000000003', scannedCode: 'APMC0000000003', codeComparison: 'MATCH', condition: 'PRESENT' },
        ],
        paymentVerificationIds: ids,
      })
      // the list: open tasks first
      const list = (await server.api('GET', '/api/inspections', { token: chen })).json() as { tasks: InspectionTask[] }
      expect(list.tasks.map((t) => [t.id, t.status])).toEqual([
        [SEEDED.kopi, 'TO_DO'],
        [SEEDED.laksa, 'SUBMITTED'],
      ])

      expect((await summary(server, chen)).acceptedInspections).toBe(0)
      server.clock.advance({ hours: 1 })
      const accept = await server.consolePost(`/console/inspections/${task.id}/accept`, {})
      expect([accept.statusCode, accept.headers.location]).toEqual([303, `/console/inspections/${task.id}?done=accepted`])
      expect(await getTask(server, chen, task.id)).toMatchObject({ status: 'ACCEPTED', reviewerReason: null })
      // the one-day delay: not counted today, counted as of the next day
      expect((await summary(server, chen)).acceptedInspections).toBe(0)
      server.clock.advance({ days: 1 })
      chen = await server.signIn('staff-chen')
      dao = await server.signIn('staff-dao')
      expect(await summary(server, chen)).toMatchObject({ asOf: '2025-03-03', acceptedInspections: 1 })
      expect((await summary(server, chen, '?from=2025-02-01&to=2025-02-28')).acceptedInspections).toBe(0)
      expect((await summary(server, dao)).acceptedInspections).toBe(0)
      // a later decision is not counted in a period that ended before it
      expect((await summary(server, chen, '?from=2025-03-04&to=2025-03-04')).acceptedInspections).toBe(0)
    })

    it('is idempotent on clientId, and refuses another clientId once submitted', async () => {
      const task = await getTask(server, dao, SEEDED.warung)
      const body = await inspectionBody(server, dao, task, await verifyBoth(server, dao, task))
      const first = await submitInspection(server, dao, task.id, body)
      expect(first.statusCode).toBe(201)
      const again = await submitInspection(server, dao, task.id, body)
      expect(again.statusCode).toBe(200)
      expect(again.json()).toEqual(first.json())
      // even with a changed body: the same clientId answers the same task, nothing checked again
      const changed = await submitInspection(server, dao, task.id, { ...body, paymentVerificationIds: [] })
      expect([changed.statusCode, (changed.json() as InspectionTask).status]).toEqual([200, 'SUBMITTED'])
      const concurrent = await Promise.all(Array.from({ length: 3 }, () => submitInspection(server, dao, task.id, body)))
      expect(concurrent.map((r) => r.statusCode)).toEqual([200, 200, 200])

      const other = await submitInspection(server, dao, task.id, { ...body, clientId: clientId() })
      expect([other.statusCode, errorOf(other).code]).toEqual([409, 'INVALID_STATE'])
      const late = await verify(server, dao, task.id, await inspectionEvidence(server, dao, task, 'MPM'))
      expect([late.statusCode, errorOf(late).code]).toEqual([409, 'INVALID_STATE'])
      expect(await server.db.get("SELECT COUNT(*) AS n FROM inspection_tasks WHERE staff_id = 'staff-dao'")).toEqual({ n: 1 })
    })

    it('refuses a clientId used for another task (409)', async () => {
      const kopi = await completeInspection(server, chen, SEEDED.kopi)
      expect(kopi.status).toBe('SUBMITTED')
      const used = ((await storedResult(SEEDED.kopi)) as { paymentVerificationIds: string[] }).paymentVerificationIds
      expect(used).toHaveLength(2)
      const laksa = await getTask(server, chen, SEEDED.laksa)
      const body = await inspectionBody(server, chen, laksa, await verifyBoth(server, chen, laksa))
      const kopiClient = (await server.db.get<{ client_id: string }>('SELECT client_id FROM inspection_tasks WHERE id = ?', [SEEDED.kopi]))!.client_id
      const res = await submitInspection(server, chen, laksa.id, { ...body, clientId: kopiClient })
      expect([res.statusCode, errorOf(res).code]).toEqual([409, 'INVALID_STATE'])
      expect((await getTask(server, chen, laksa.id)).status).toBe('IN_PROGRESS')
    })

    it('needs both modes passed for this task (422 PAYMENT_NOT_VERIFIED)', async () => {
      const kopi = await getTask(server, chen, SEEDED.kopi)
      const laksa = await getTask(server, chen, SEEDED.laksa)
      const laksaIds = await verifyBoth(server, chen, laksa)
      const mpm = await verify(server, chen, kopi.id, await inspectionEvidence(server, chen, kopi, 'MPM'))
      const failedUpm = await verify(server, chen, kopi.id, await inspectionEvidence(server, chen, kopi, 'UPM', { reference: 'AP202503030000010000' }))
      const mpmId = (mpm.json() as PaymentVerificationView).id
      const failedId = (failedUpm.json() as PaymentVerificationView).id
      for (const ids of [[], [mpmId], [mpmId, failedId], laksaIds, [mpmId, laksaIds[1]], ['pv-seed-mpm', 'pv-seed-upm'], ['x'.repeat(64)]]) {
        const res = await submitInspection(server, chen, kopi.id, await inspectionBody(server, chen, kopi, ids))
        expect([res.statusCode, errorOf(res).code, errorOf(res).fields]).toEqual([
          422,
          'PAYMENT_NOT_VERIFIED',
          { paymentVerificationIds: 'PAYMENT_NOT_VERIFIED' },
        ])
      }
      expect((await getTask(server, chen, kopi.id)).status).toBe('IN_PROGRESS')
    })

    it('never answers a bad payload with a 500', async () => {
      const task = await getTask(server, chen, SEEDED.laksa)
      const ids = await verifyBoth(server, chen, task)
      const good = await inspectionBody(server, chen, task, ids)
      const spot = good.spots[0]
      const cases: Array<[string, unknown, number, string]> = [
        ['null', null, 400, 'VALIDATION_FAILED'],
        ['an array', [good], 400, 'VALIDATION_FAILED'],
        ['a string', 'submit', 400, 'VALIDATION_FAILED'],
        ['no spots', { ...good, spots: undefined }, 400, 'VALIDATION_FAILED'],
        ['empty spots', { ...good, spots: [] }, 400, 'VALIDATION_FAILED'],
        ['spots as an object', { ...good, spots: { 0: spot } }, 400, 'VALIDATION_FAILED'],
        ['a missing spot', { ...good, spots: [spot] }, 422, 'SPOT_RESULTS_INCOMPLETE'],
        ['a duplicate index', { ...good, spots: [spot, { ...good.spots[1], index: 0 }] }, 422, 'SPOT_RESULTS_INCOMPLETE'],
        ['an unknown index', { ...good, spots: [...good.spots, { ...spot, index: 7 }] }, 422, 'SPOT_RESULTS_INCOMPLETE'],
        ['a negative index', { ...good, spots: [{ ...spot, index: -1 }, good.spots[1]] }, 400, 'VALIDATION_FAILED'],
        ['a fractional index', { ...good, spots: [{ ...spot, index: 0.5 }, good.spots[1]] }, 400, 'VALIDATION_FAILED'],
        ['an index as text', { ...good, spots: [{ ...spot, index: '0' }, good.spots[1]] }, 400, 'VALIDATION_FAILED'],
        ['an unknown condition', { ...good, spots: [{ ...spot, condition: 'GONE' }, good.spots[1]] }, 400, 'VALIDATION_FAILED'],
        ['open as text', { ...good, store: { ...good.store, open: 'yes' } }, 400, 'VALIDATION_FAILED'],
        ['a location as text', { ...good, store: { ...good.store, location: 'here' } }, 400, 'VALIDATION_FAILED'],
        [
          'a latitude out of range',
          { ...good, store: { ...good.store, location: { latitude: 91, longitude: 0, accuracy: null, mocked: false } } },
          400,
          'VALIDATION_FAILED',
        ],
        ['a negative distance', { ...good, store: { ...good.store, distanceMeters: -1 } }, 400, 'VALIDATION_FAILED'],
        ['huge feedback', { ...good, spots: [{ ...spot, feedback: 'x'.repeat(100_000) }, good.spots[1]] }, 413, 'VALIDATION_FAILED'],
        ['long feedback', { ...good, spots: [{ ...spot, feedback: 'x'.repeat(501) }, good.spots[1]] }, 400, 'VALIDATION_FAILED'],
        ['control characters', { ...good, store: { ...good.store, feedback: 'bad\u0000text' } }, 400, 'VALIDATION_FAILED'],
        ['a scanned code as a number', { ...good, spots: [{ ...spot, scannedCode: 42 }, good.spots[1]] }, 400, 'VALIDATION_FAILED'],
        ['verification ids as text', { ...good, paymentVerificationIds: 'pv-1' }, 400, 'VALIDATION_FAILED'],
        ['a photo id as a number', { ...good, store: { ...good.store, storefrontPhotoId: 7 } }, 400, 'VALIDATION_FAILED'],
        ['a bad clientId', { ...good, clientId: 'x' }, 400, 'VALIDATION_FAILED'],
        ['too many spots', { ...good, spots: Array.from({ length: 51 }, (_, i) => ({ ...spot, index: i })) }, 400, 'VALIDATION_FAILED'],
      ]
      for (const [what, body, status, code] of cases) {
        const res = await submitInspection(server, chen, task.id, body)
        expect([what, res.statusCode, errorOf(res).code]).toEqual([what, status, code])
      }
      expect(
        errorOf(await submitInspection(server, chen, task.id, { ...good, spots: [{ ...spot, feedback: 'x'.repeat(501) }, good.spots[1]] })).fields,
      ).toMatchObject({
        'spots.0.feedback': 'TEXT_TOO_LONG',
      })
      expect(errorOf(await submitInspection(server, chen, task.id, { ...good, spots: [spot] })).fields).toEqual({ spots: 'SPOT_RESULTS_INCOMPLETE' })
      expect(errorOf(await submitInspection(server, chen, task.id, { ...good, spots: [spot, { ...good.spots[1], index: 0 }] })).fields).toEqual({
        'spots.1.index': 'SPOT_RESULTS_INCOMPLETE',
        spots: 'SPOT_RESULTS_INCOMPLETE',
      })
      expect(errorOf(await submitInspection(server, chen, task.id, { ...good, spots: [...good.spots, { ...spot, index: 7 }] })).fields).toEqual({
        'spots.2.index': 'SPOT_RESULTS_INCOMPLETE',
      })
      const notJson = await server.api('POST', `/api/inspections/${task.id}/submissions`, {
        token: chen,
        payload: '{"clientId":',
        headers: { 'content-type': 'application/json' },
      })
      expect([notJson.statusCode, errorOf(notJson).code]).toEqual([400, 'VALIDATION_FAILED'])
      // and still submittable
      expect((await submitInspection(server, chen, task.id, good)).statusCode).toBe(201)
    })

    it('requires the scanned code of a Marketing Code spot found in place (422 CODE_REQUIRED)', async () => {
      const task = await getTask(server, chen, SEEDED.laksa)
      const body = await inspectionBody(server, chen, task, await verifyBoth(server, chen, task))
      const { scannedCode: _dropped, ...noCode } = body.spots[1]
      for (const second of [noCode, { ...body.spots[1], scannedCode: '   ' }]) {
        const res = await submitInspection(server, chen, task.id, { ...body, spots: [body.spots[0], second] })
        expect([res.statusCode, errorOf(res).code, errorOf(res).fields]).toEqual([422, 'CODE_REQUIRED', { 'spots.1.scannedCode': 'CODE_REQUIRED' }])
      }
      // a spot that is missing needs no code (feedback instead)
      const missing = await submitInspection(server, chen, task.id, {
        ...body,
        spots: [body.spots[0], { ...noCode, condition: 'MISSING', feedback: 'The table sticker is gone.' }],
      })
      expect(missing.statusCode).toBe(201)
      expect(await storedResult(task.id)).toMatchObject({
        spots: [{ codeComparison: 'MATCH' }, { condition: 'MISSING', scannedCode: null, codeComparison: 'NOT_SCANNED' }],
      })
    })

    it('requires feedback (400 FEEDBACK_REQUIRED) for a spot not in place, a code mismatch, a closed or different store', async () => {
      const task = await getTask(server, chen, SEEDED.laksa)
      const body = await inspectionBody(server, chen, task, await verifyBoth(server, chen, task))
      const [s0, s1] = body.spots
      const refused = async (change: Record<string, unknown>, fields: Record<string, string>) => {
        const res = await submitInspection(server, chen, task.id, { ...body, ...change })
        expect([res.statusCode, errorOf(res).code, errorOf(res).fields]).toEqual([400, 'FEEDBACK_REQUIRED', fields])
      }
      await refused({ spots: [{ ...s0, condition: 'MISSING' }, s1] }, { 'spots.0.feedback': 'FEEDBACK_REQUIRED' })
      await refused({ spots: [s0, { ...s1, condition: 'DAMAGED', feedback: '   ' }] }, { 'spots.1.feedback': 'FEEDBACK_REQUIRED' })
      // the code of the other spot scanned at spot 0: a mismatch
      await refused({ spots: [{ ...s0, scannedCode: 'APMC0000000003' }, s1] }, { 'spots.0.feedback': 'FEEDBACK_REQUIRED' })
      await refused({ store: { ...body.store, open: false } }, { 'store.feedback': 'FEEDBACK_REQUIRED' })
      await refused({ store: { ...body.store, sameStore: false } }, { 'store.feedback': 'FEEDBACK_REQUIRED' })

      const res = await submitInspection(server, chen, task.id, {
        ...body,
        store: { ...body.store, open: false, feedback: 'Closed for renovation; photographed through the window.' },
        spots: [{ ...s0, scannedCode: 'APMC0000000003', feedback: 'The counter carries the table’s code.' }, s1],
      })
      expect(res.statusCode).toBe(201)
      expect(await storedResult(task.id)).toMatchObject({
        store: { open: false, feedback: 'Closed for renovation; photographed through the window.' },
        spots: [{ scannedCode: 'APMC0000000003', boundCode: 'APMC0000000002', codeComparison: 'MISMATCH' }, { codeComparison: 'MATCH' }],
      })
    })

    it('computes the distance itself and flags a result far from the recorded location (not refused)', async () => {
      const far = await completeInspection(server, chen, SEEDED.kopi, (body) => {
        // about 1.1 km north of the recorded location; the device claims 0 m
        body.store.location = { latitude: 1.2934, longitude: 103.8607, accuracy: 5, mocked: false }
        body.store.distanceMeters = 0
      })
      expect(far.status).toBe('SUBMITTED')
      const stored = (await storedResult(SEEDED.kopi)) as { store: { distanceMeters: number; clientDistanceMeters: number; farFromStore: boolean } }
      expect(stored.store.farFromStore).toBe(true)
      expect(stored.store.distanceMeters).toBeGreaterThan(1000)
      expect(stored.store.distanceMeters).toBeLessThan(1200)
      expect(stored.store.clientDistanceMeters).toBe(0)

      const noLocation = await completeInspection(server, chen, SEEDED.laksa, (body) => {
        body.store.location = null as never
        body.store.distanceMeters = 5000
      })
      expect(noLocation.status).toBe('SUBMITTED')
      expect(await storedResult(SEEDED.laksa)).toMatchObject({ store: { location: null, distanceMeters: null, farFromStore: false } })
    })

    it('never reuses a photo across promotions and inspections (409 PHOTO_REPEATED)', async () => {
      const promotion = await submit(server, chen, 'staff-chen', { spots: 1 })
      const task = await getTask(server, chen, SEEDED.laksa)
      const body = await inspectionBody(server, chen, task, await verifyBoth(server, chen, task))

      const usedByPromotion = await submitInspection(server, chen, task.id, {
        ...body,
        store: { ...body.store, storefrontPhotoId: promotion.store.storefrontPhotoId },
      })
      expect([usedByPromotion.statusCode, errorOf(usedByPromotion).code, errorOf(usedByPromotion).fields]).toEqual([
        409,
        'PHOTO_REPEATED',
        { 'store.storefrontPhotoId': 'PHOTO_REPEATED' },
      ])
      const twice = await submitInspection(server, chen, task.id, { ...body, spots: [body.spots[0], { ...body.spots[1], photoId: body.spots[0].photoId }] })
      expect([twice.statusCode, errorOf(twice).fields]).toEqual([409, { 'spots.1.photoId': 'PHOTO_REPEATED' }])
      const daosPhoto = await uploadPhoto(server, dao)
      const notMine = await submitInspection(server, chen, task.id, { ...body, spots: [{ ...body.spots[0], photoId: daosPhoto }, body.spots[1]] })
      expect([notMine.statusCode, errorOf(notMine).code, errorOf(notMine).fields]).toEqual([422, 'PHOTO_MISSING', { 'spots.0.photoId': 'PHOTO_MISSING' }])

      const content = png(424242)
      const storefront = await uploadPhoto(server, chen, content)
      expect((await submitInspection(server, chen, task.id, { ...body, store: { ...body.store, storefrontPhotoId: storefront } })).statusCode).toBe(201)

      // the inspection's photos are used for good: not in a promotion, not in another inspection, not uploaded again
      const promo = await promotionBody(server, chen, { paymentVerificationIds: await passedVerifications(server, chen) })
      const reused = await server.api('POST', '/api/promotions', {
        token: chen,
        body: { ...promo, store: { ...promo.store, storefrontPhotoId: body.spots[1].photoId } },
      })
      expect([reused.statusCode, errorOf(reused).code, errorOf(reused).fields]).toEqual([
        409,
        'PHOTO_REPEATED',
        { 'store.storefrontPhotoId': 'PHOTO_REPEATED' },
      ])
      const kopi = await getTask(server, chen, SEEDED.kopi)
      const kopiBody = await inspectionBody(server, chen, kopi, await verifyBoth(server, chen, kopi))
      const again = await submitInspection(server, chen, kopi.id, { ...kopiBody, spots: [{ ...kopiBody.spots[0], photoId: storefront }] })
      expect([again.statusCode, errorOf(again).fields]).toEqual([409, { 'spots.0.photoId': 'PHOTO_REPEATED' }])
      const upload = await uploadRaw(server, chen, content)
      expect([upload.statusCode, errorOf(upload).code]).toEqual([409, 'PHOTO_REPEATED'])
      // an appeal cannot use it either
      await review(server, promotion.id, 'reject', ['approve'])
      const appealed = await appeal(server, chen, promotion.id, { photoIds: [storefront] })
      expect([appealed.statusCode, errorOf(appealed).code]).toEqual([409, 'PHOTO_REPEATED'])
    })
  })
})
