import { createPrivateKey, createPublicKey } from 'node:crypto'
import { createAlipayPlusLookup, type AlipayPlusSettings } from '../../server/src/payments/alipayplus'
import type { CallOutcome } from '../../server/src/payments/port'
import { FakeAlipayPlus, rsaKeyPair } from '../helpers/fake-alipayplus'

/**
 * The Alipay+ client against the fake Alipay+ on loopback (issue 25, items 1 and 4): the same client that would
 * talk to Alipay+, its requests checked by the fake with our public key, the fake's answers checked with its.
 */
describe('Alipay+ client (inquiryPayment)', () => {
  const ours = rsaKeyPair()
  const CLIENT_ID = 'SANDBOX_TEST_CLIENT'
  let fake: FakeAlipayPlus
  let outcomes: CallOutcome[]
  let logLines: string[]

  beforeEach(async () => {
    fake = new FakeAlipayPlus({ clientId: CLIENT_ID, clientPublicKey: ours.publicKeyPem })
    await fake.start()
    outcomes = []
    logLines = []
  })
  afterEach(() => fake.close())

  function client(overrides: Partial<AlipayPlusSettings> = {}, now?: () => Date) {
    return createAlipayPlusLookup(
      { ...fake.serverPayments(ours, { retries: 2 }).settings.alipayPlus, ...overrides },
      {
        pause: () => Promise.resolve(),
        onCall: (o) => outcomes.push(o),
        log: (level, event, message) => logLines.push(JSON.stringify({ level, event, message })),
        ...(now ? { now } : {}),
      },
    )
  }

  it('answers a successful payment with its amount, currency, time and wallet', async () => {
    fake.script('2026120700001', {
      behaviour: 'success',
      paymentTime: '2026-12-07T15:00:00+08:00',
      amount: { value: '150', currency: 'SGD' },
      walletBrandName: 'GCash',
    })
    await expect(client().lookup('2026120700001')).resolves.toEqual({
      kind: 'found',
      payment: {
        paymentId: '2026120700001',
        status: 'S',
        resultCode: 'SUCCESS',
        paymentTime: '2026-12-07T15:00:00+08:00',
        amount: { value: '150', currency: 'SGD' },
        walletBrandName: 'GCash',
      },
    })
    expect(fake.inquiries).toEqual([expect.objectContaining({ clientId: CLIENT_ID, body: '{"paymentId":"2026120700001"}', answered: 'SUCCESS' })])
    expect(fake.inquiries[0].requestTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/)
    expect(outcomes).toEqual(['success'])
  })

  it('reads a closed payment (F) and one in process (U), then the same payment succeeded', async () => {
    fake.script('closed-1', { behaviour: 'closed' })
    fake.script('later-1', { behaviour: 'in-process-then-success' })
    await expect(client().lookup('closed-1')).resolves.toMatchObject({ kind: 'found', payment: { status: 'F', resultCode: 'ORDER_IS_CLOSED' } })
    await expect(client().lookup('later-1')).resolves.toMatchObject({
      kind: 'found',
      payment: { status: 'U', resultCode: 'PAYMENT_IN_PROCESS', paymentTime: null },
    })
    await expect(client().lookup('later-1')).resolves.toMatchObject({ kind: 'found', payment: { status: 'S', resultCode: 'SUCCESS' } })
  })

  it('reads ORDER_NOT_EXIST as not found, without retrying', async () => {
    await expect(client().lookup('nobody-paid')).resolves.toEqual({ kind: 'not_found' })
    expect(fake.inquiries.map((i) => i.answered)).toEqual(['ORDER_NOT_EXIST'])
  })

  it('retries a U result (UNKNOWN_EXCEPTION), a 5xx and a hang, then says to try again', async () => {
    fake.script('unknown-1', { behaviour: 'unknown' })
    fake.script('5xx-1', { behaviour: '5xx' })
    fake.script('hang-1', { behaviour: 'hang' })
    await expect(client().lookup('unknown-1')).resolves.toEqual({ kind: 'unavailable', why: 'retry', resultCode: 'UNKNOWN_EXCEPTION' })
    await expect(client().lookup('5xx-1')).resolves.toEqual({ kind: 'unavailable', why: 'retry' })
    const started = Date.now()
    await expect(client({ retries: 1, timeoutMs: 300 }).lookup('hang-1')).resolves.toEqual({ kind: 'unavailable', why: 'retry' })
    expect(Date.now() - started).toBeLessThan(3000)
    expect(fake.inquiries.map((i) => i.answered)).toEqual(['UNKNOWN_EXCEPTION', 'UNKNOWN_EXCEPTION', 'UNKNOWN_EXCEPTION', '5xx', '5xx', '5xx', 'hang', 'hang'])
    expect(outcomes).toEqual(['result_unknown', 'result_unknown', 'result_unknown', 'http_error', 'http_error', 'http_error', 'timeout', 'timeout'])
  })

  it('refuses a badly signed answer (not signed with the Alipay+ key) and believes nothing in it', async () => {
    fake.script('forged-1', { behaviour: 'bad-signature' })
    await expect(client().lookup('forged-1')).resolves.toEqual({ kind: 'unavailable', why: 'untrusted' })
    // the genuine answer of a successful payment, checked with a key that is not the fake's: refused as well
    fake.script('ok-1', { behaviour: 'success' })
    await expect(client({ alipayPublicKey: createPublicKey(rsaKeyPair().publicKeyPem) }).lookup('ok-1')).resolves.toEqual({
      kind: 'unavailable',
      why: 'untrusted',
    })
    expect(outcomes).toEqual(['bad_signature', 'bad_signature'])
  })

  it('is refused by Alipay+ with the documented codes: a wrong signature, an unknown client id, a stale Request-Time', async () => {
    fake.script('ok-2', { behaviour: 'success' })
    await expect(client({ privateKey: createPrivateKey(rsaKeyPair().privateKeyPem) }).lookup('ok-2')).resolves.toEqual({
      kind: 'unavailable',
      why: 'refused',
      resultCode: 'INVALID_SIGNATURE',
    })
    // the fake answers an unknown client with its own Client-Id: our client does not believe that answer either
    const stranger = await client({ clientId: 'SOMEONE_ELSE' }).lookup('ok-2')
    expect(stranger.kind).toBe('unavailable')
    const stale = await client({}, () => new Date(Date.now() - 10 * 60_000)).lookup('ok-2')
    expect(stale.kind).toBe('unavailable')
    expect(fake.inquiries.map((i) => i.answered)).toEqual(['INVALID_SIGNATURE', 'INVALID_CLIENT', 'PARAM_ILLEGAL'])
  })

  it('never writes the private key to a log line', async () => {
    fake.script('forged-2', { behaviour: 'bad-signature' })
    fake.script('5xx-2', { behaviour: '5xx' })
    await client().lookup('forged-2')
    await client().lookup('5xx-2')
    await client({ privateKey: createPrivateKey(rsaKeyPair().privateKeyPem) }).lookup('forged-2')
    expect(logLines.length).toBeGreaterThan(3)
    const body = ours.privateKeyPem.split('\n')[3]
    for (const line of logLines) {
      expect(line).not.toContain(body)
      expect(line).not.toContain('PRIVATE KEY')
    }
  })
})
