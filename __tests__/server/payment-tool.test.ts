/**
 * The payment tool chosen by the staff member (issue 25, item 3): the ISO's rule names Alipay for a store that
 * supports only Alipay and Alipay+ Linker otherwise; the other tool is refused with 422 WRONG_PAYMENT_TOOL and the
 * reason, nothing is recorded, and the same evidence (reference and photo) goes through with the right tool — in
 * Verify-Then-Deploy, Deploy-Then-Verify and a spot inspection alike.
 */
import type { InspectionTask } from '../../packages/contract/inspection'
import type { PaymentVerificationView, PromotionView } from '../../packages/contract/promotion'
import { errorOf, startTestServer, type TestServer } from './helpers'
import { getTask, inspectionEvidence, SEEDED, verify } from './inspection-fixtures'
import { createPromotion, evidence, promotionBody } from './promotion-fixtures'

let server: TestServer
let chen: string // Lion City: Verify-Then-Deploy
let dao: string // Nusantara: Deploy-Then-Verify

beforeAll(async () => {
  server = await startTestServer()
  chen = await server.signIn('staff-chen')
  dao = await server.signIn('staff-dao')
})
afterAll(async () => {
  await server.close()
})

const refusal = (res: Awaited<ReturnType<TestServer['api']>>) => [res.statusCode, errorOf(res).code, errorOf(res).fields]

describe.each([
  ['an Alipay-only store', ['ALIPAY'], 'ALIPAY_PLUS_LINKER', 'ALIPAY', /supports only Alipay, so your ISO directs you to verify with the Alipay app/],
  [
    'a store with other wallets',
    ['ALIPAY', 'GCASH'],
    'ALIPAY',
    'ALIPAY_PLUS_LINKER',
    /supports other wallets, so your ISO directs you to verify with the Alipay\+ Linker app/,
  ],
] as const)('Verify-Then-Deploy, %s', (_name, wallets, wrong, right, reason) => {
  it(`refuses ${wrong} with the reason, then takes the same evidence with ${right}`, async () => {
    const body = await evidence(server, chen, 'MPM', { wallets, tool: wrong })
    const refused = await server.api('POST', '/api/payment-verifications', { token: chen, body })
    expect(refusal(refused)).toEqual([422, 'WRONG_PAYMENT_TOOL', { tool: 'WRONG_PAYMENT_TOOL' }])
    expect(errorOf(refused).message).toMatch(reason)
    const passed = await server.api('POST', '/api/payment-verifications', { token: chen, body: { ...body, tool: right } })
    expect([passed.statusCode, passed.json()]).toEqual([200, expect.objectContaining({ status: 'PASSED', tool: right, reference: body.reference })])
  })
})

it('Deploy-Then-Verify: the submitted store’s wallets decide; the refusal records nothing and the promotion still awaits', async () => {
  const created = await createPromotion(server, dao, await promotionBody(server, dao, { product: 'PRIMARY_POSM' })) // ALIPAY + DANA
  const url = `/api/promotions/${created.id}/payment-verifications`
  const body = await evidence(server, dao, 'MPM', { tool: 'ALIPAY', wallets: ['ALIPAY'] })
  const refused = await server.api('POST', url, { token: dao, body })
  expect(refusal(refused)).toEqual([422, 'WRONG_PAYMENT_TOOL', { tool: 'WRONG_PAYMENT_TOOL' }])
  const after = (await server.api('GET', `/api/promotions/${created.id}`, { token: dao })).json() as PromotionView
  expect([after.status, after.paymentVerifications]).toEqual(['AWAITING_PAYMENT_VERIFICATION', []])
  const passed = (await server.api('POST', url, { token: dao, body: { ...body, tool: 'ALIPAY_PLUS_LINKER' } })).json() as PromotionView
  expect(passed.paymentVerifications.map((v) => [v.mode, v.tool, v.status])).toEqual([['MPM', 'ALIPAY_PLUS_LINKER', 'PASSED']])
})

it('a spot inspection: the task’s store decides; the refusal leaves the task as it was', async () => {
  const task: InspectionTask = await getTask(server, chen, SEEDED.kopi) // a store verified with Alipay+ Linker
  const body = await inspectionEvidence(server, chen, task, 'UPM', { tool: 'ALIPAY', wallets: ['ALIPAY'] })
  const refused = await verify(server, chen, task.id, body)
  expect(refusal(refused)).toEqual([422, 'WRONG_PAYMENT_TOOL', { tool: 'WRONG_PAYMENT_TOOL' }])
  const after = await getTask(server, chen, task.id)
  expect([after.status, after.paymentVerifications]).toEqual([task.status, task.paymentVerifications])
  const passed = await verify(server, chen, task.id, { ...body, tool: 'ALIPAY_PLUS_LINKER' })
  expect(passed.json() as PaymentVerificationView).toMatchObject({ mode: 'UPM', tool: 'ALIPAY_PLUS_LINKER', status: 'PASSED' })
})
