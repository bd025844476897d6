import type { AssociationRequestView, AssociationState, StaffProfile } from '../../packages/contract/api'
import { errorOf, startTestServer, type TestServer } from './helpers'

const LION_CITY = { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'VERIFY_THEN_DEPLOY' }
const VALID = { isoEmail: 'ops@lioncitypay.example', name: 'Farah Ismail', phone: '+6591234567' }

describe('association requests: payload validation', () => {
  let server: TestServer
  let token: string
  beforeAll(async () => {
    server = await startTestServer()
    token = await server.signIn('staff-farah')
  })
  afterAll(() => server.close())
  afterEach(async () => {
    // nothing a refused payload sent may have changed anything
    const state = (await server.api('GET', '/api/association', { token })).json() as AssociationState
    expect(state).toEqual({ status: 'none', iso: null, request: null })
  })

  it.each<[string, unknown, Record<string, string>]>([
    ['an empty object', {}, { isoEmail: 'REQUIRED', name: 'REQUIRED', phone: 'REQUIRED' }],
    ['blank fields', { isoEmail: '  ', name: ' ', phone: '' }, { isoEmail: 'REQUIRED', name: 'REQUIRED', phone: 'REQUIRED' }],
    ['wrong types', { isoEmail: 42, name: true, phone: 6591234567 }, { isoEmail: 'REQUIRED', name: 'REQUIRED', phone: 'REQUIRED' }],
    ['nested objects and nulls', { isoEmail: { $ne: '' }, name: null, phone: ['+6591234567'] }, { isoEmail: 'REQUIRED', name: 'REQUIRED', phone: 'REQUIRED' }],
    ['one missing field', { isoEmail: VALID.isoEmail, name: VALID.name }, { phone: 'REQUIRED' }],
    ['an invalid email', { ...VALID, isoEmail: 'ops-at-lioncitypay' }, { isoEmail: 'EMAIL_INVALID' }],
    ['a huge email', { ...VALID, isoEmail: `${'a'.repeat(30_000)}@lioncitypay.example` }, { isoEmail: 'EMAIL_INVALID' }],
    ['a one-letter name', { ...VALID, name: 'F' }, { name: 'NAME_TOO_SHORT' }],
    ['a huge name', { ...VALID, name: 'F'.repeat(40_000) }, { name: 'NAME_TOO_LONG' }],
    ['markup in the name', { ...VALID, name: '<script>x</script>' }, { name: 'NAME_INVALID' }],
    ['a control character in the name', { ...VALID, name: 'Farah\u0000Ismail' }, { name: 'NAME_INVALID' }],
    ['a national phone number', { ...VALID, phone: '91234567' }, { phone: 'PHONE_NOT_INTERNATIONAL' }],
    ['an impossible phone number', { ...VALID, phone: '+65 1234' }, { phone: 'PHONE_INVALID' }],
    ['a huge phone number', { ...VALID, phone: `+65${'9'.repeat(50_000)}` }, { phone: 'PHONE_INVALID' }],
  ])('refuses %s with 400 and the field codes', async (_label, body, fields) => {
    const res = await server.api('POST', '/api/association/requests', { token, body })
    expect(res.statusCode).toBe(400)
    const error = errorOf(res)
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.fields).toEqual(fields)
  })

  it.each<[string, string, string]>([
    ['malformed JSON', '{"isoEmail": "ops@lioncitypay.example",', 'application/json'],
    ['an empty JSON body', '', 'application/json'],
    ['a JSON array', JSON.stringify([VALID]), 'application/json'],
    ['a JSON string', JSON.stringify('ops@lioncitypay.example'), 'application/json'],
    ['JSON null', 'null', 'application/json'],
    ['a prototype-poisoning body', '{"__proto__": {"isoEmail": "x"}, "name": "Farah"}', 'application/json'],
    ['plain text', 'isoEmail=ops@lioncitypay.example', 'text/plain'],
    ['a form body', new URLSearchParams(VALID).toString(), 'application/x-www-form-urlencoded'],
    ['XML', '<request/>', 'application/xml'],
    ['a garbled content type', '{}', 'not a content type'],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_label, payload, contentType) => {
    const res = await server.api('POST', '/api/association/requests', { token, payload, headers: { 'content-type': contentType } })
    expect(res.statusCode).toBe(400)
    expect(errorOf(res).code).toBe('VALIDATION_FAILED')
  })

  it('refuses a body over the size limit with 413 VALIDATION_FAILED', async () => {
    const res = await server.api('POST', '/api/association/requests', { token, body: { ...VALID, name: 'x'.repeat(100_000) } })
    expect(res.statusCode).toBe(413)
    expect(errorOf(res).code).toBe('VALIDATION_FAILED')
  })

  it('never answers 500 to a random payload', async () => {
    const payloads = ['{', '[]', '"', '{"a":', '\u0000', '{"isoEmail":"\ud800"}', '1e999', '{"name":{"toString":1}}', 'true']
    for (const payload of payloads) {
      const res = await server.api('POST', '/api/association/requests', { token, payload, headers: { 'content-type': 'application/json' } })
      expect(res.statusCode).toBeGreaterThanOrEqual(400)
      expect(res.statusCode).toBeLessThan(500)
    }
  })
})

describe('association flow', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer()
  })
  afterEach(() => server.close())

  const submit = (token: string, body: unknown) => server.api('POST', '/api/association/requests', { token, body })
  const state = async (token: string) => (await server.api('GET', '/api/association', { token })).json() as AssociationState
  const join = (token: string) => server.api('POST', '/api/association/join', { token })
  const pendingRequestId = async (token: string) => (await state(token)).request?.id as string

  it('answers 422 ISO_UNKNOWN for an email no ISO uses', async () => {
    const token = await server.signIn('staff-farah')
    const res = await submit(token, { ...VALID, isoEmail: 'someone@unknown-iso.example' })
    expect(res.statusCode).toBe(422)
    expect(errorOf(res)).toMatchObject({ code: 'ISO_UNKNOWN', fields: { isoEmail: 'ISO_UNKNOWN' } })
    expect((await state(token)).status).toBe('none')
  })

  it('creates a pending request (ISO email matched case-insensitively, phone stored in E.164)', async () => {
    const token = await server.signIn('staff-farah')
    const res = await submit(token, { isoEmail: '  OPS@LionCityPay.Example ', name: ' Farah Ismail ', phone: '+65 9123 4567' })
    expect(res.statusCode).toBe(201)
    const created = res.json() as AssociationState
    expect(created.status).toBe('pending')
    expect(created.iso).toBeNull()
    expect(created.request).toMatchObject({
      isoEmail: 'OPS@LionCityPay.Example',
      isoName: LION_CITY.name,
      name: 'Farah Ismail',
      phone: '+6591234567',
      status: 'pending',
      reason: null,
      createdAt: '2025-03-03T02:00:00.000Z',
      decidedAt: null,
    })
    expect(await state(token)).toEqual(created)
    const me = (await server.api('GET', '/api/me', { token })).json() as StaffProfile
    expect(me.association).toEqual(created)
  })

  it('refuses a second request while one is pending', async () => {
    const token = await server.signIn('staff-farah')
    expect((await submit(token, VALID)).statusCode).toBe(201)
    const second = await submit(token, { ...VALID, isoEmail: 'partners@nusantara-ms.example' })
    expect(second.statusCode).toBe(409)
    expect(errorOf(second).code).toBe('REQUEST_PENDING')
    expect((await state(token)).request?.isoName).toBe(LION_CITY.name)
  })

  it('accepts only one of two simultaneous submissions', async () => {
    const token = await server.signIn('staff-farah')
    const answers = await Promise.all([submit(token, VALID), submit(token, VALID), submit(token, VALID)])
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409, 409])
    expect(await server.db.get("SELECT COUNT(*) AS n FROM association_requests WHERE staff_id = 'staff-farah'")).toEqual({ n: 1 })
  })

  it('goes pending → approved (console) → associated (join)', async () => {
    const token = await server.signIn('staff-farah')
    await submit(token, VALID)
    const id = await pendingRequestId(token)

    const joinTooEarly = await join(token)
    expect(joinTooEarly.statusCode).toBe(409)
    expect(errorOf(joinTooEarly).code).toBe('NOT_APPROVED')

    server.clock.advance({ hours: 3 })
    const approve = await server.consolePost(`/console/requests/${id}/approve`, {})
    expect(approve.statusCode).toBe(303)
    expect(approve.headers.location).toBe(`/console?done=approved&id=${id}`)

    const approved = await state(token)
    expect(approved).toMatchObject({ status: 'approved', iso: LION_CITY, request: { id, status: 'approved', decidedAt: '2025-03-03T05:00:00.000Z' } })

    const joined = await join(token)
    expect(joined.statusCode).toBe(200)
    expect(joined.json()).toMatchObject({ status: 'associated', iso: LION_CITY })
    expect(((await server.api('GET', '/api/me', { token })).json() as StaffProfile).association.status).toBe('associated')

    // joining again changes nothing; a new request is refused
    expect((await join(token)).statusCode).toBe(200)
    const again = await submit(token, VALID)
    expect(again.statusCode).toBe(409)
    expect(errorOf(again).code).toBe('ALREADY_ASSOCIATED')
  })

  it('refuses a request from an approved staff member before they join', async () => {
    const token = await server.signIn('staff-farah')
    await submit(token, VALID)
    await server.consolePost(`/console/requests/${await pendingRequestId(token)}/approve`, {})
    const res = await submit(token, VALID)
    expect(res.statusCode).toBe(409)
    expect(errorOf(res).code).toBe('ALREADY_ASSOCIATED')
  })

  it('shows a rejection with its reason and accepts a corrected request', async () => {
    const token = await server.signIn('staff-farah')
    await submit(token, { ...VALID, name: 'Farah I.' })
    const id = await pendingRequestId(token)

    const reject = await server.consolePost(`/console/requests/${id}/reject`, { reason: '  Use your full name as in DingTalk.  ' })
    expect(reject.statusCode).toBe(303)

    const rejected = await state(token)
    expect(rejected).toMatchObject({ status: 'rejected', iso: null, request: { id, status: 'rejected', reason: 'Use your full name as in DingTalk.' } })
    const view = await server.api('GET', `/api/association/requests/${id}`, { token })
    expect(view.statusCode).toBe(200)
    expect((view.json() as AssociationRequestView).reason).toBe('Use your full name as in DingTalk.')

    const joinRejected = await join(token)
    expect(joinRejected.statusCode).toBe(409)
    expect(errorOf(joinRejected).code).toBe('NOT_APPROVED')

    server.clock.advance({ minutes: 5 })
    const corrected = await submit(token, VALID)
    expect(corrected.statusCode).toBe(201)
    const now = corrected.json() as AssociationState
    expect(now.status).toBe('pending')
    expect(now.request).toMatchObject({ name: 'Farah Ismail', status: 'pending', reason: null })
    expect(now.request?.id).not.toBe(id)
  })

  it('lets an invited staff member join their ISO directly', async () => {
    const token = await server.signIn('staff-budi')
    expect(await state(token)).toEqual({
      status: 'invited',
      iso: { id: 'iso-nusantara', name: 'Nusantara Merchant Services', deploymentMethod: 'DEPLOY_THEN_VERIFY' },
      request: null,
    })
    // an empty JSON body is fine for join
    const res = await server.api('POST', '/api/association/join', { token, payload: '', headers: { 'content-type': 'application/json' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'associated', iso: { id: 'iso-nusantara' } })
  })

  it('lets an invited staff member send a request instead', async () => {
    const token = await server.signIn('staff-budi')
    const res = await submit(token, { isoEmail: 'ops@lioncitypay.example', name: 'Budi Santoso', phone: '+6281234567890' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ status: 'pending', iso: null, request: { isoName: LION_CITY.name } })
  })

  it('refuses join with no request or invitation', async () => {
    const token = await server.signIn('staff-aisyah')
    const res = await join(token)
    expect(res.statusCode).toBe(409)
    expect(errorOf(res).code).toBe('NOT_APPROVED')
  })

  it('shows the seeded pending request of Emily', async () => {
    const token = await server.signIn('staff-emily')
    expect(await state(token)).toMatchObject({
      status: 'pending',
      iso: null,
      request: { id: 'req-seed-emily', isoName: 'Nusantara Merchant Services', isoEmail: 'partners@nusantara-ms.example', status: 'pending' },
    })
    const res = await submit(token, VALID)
    expect(res.statusCode).toBe(409)
    expect(errorOf(res).code).toBe('REQUEST_PENDING')
  })
})
