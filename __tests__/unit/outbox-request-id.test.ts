/**
 * A submission the server refused keeps, with its reason, the request id the server gave the refusal (shown under
 * it on the outbox card for staff to quote), on the device: the app started again still has it.
 */
import { json } from '../helpers/fake-platform'
import { promotionRoot, settle, startWizard, walkToSummary } from '../helpers/promotion'

const REQUEST_ID = '5b8e3f0c-9d1a-4c2e-8f47-2a6b1c0d9e13'

describe('the outbox and the server’s request id', () => {
  it('keeps the refusal’s request id with the item, across a restart', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    env.server.once('POST /api/promotions', () => json(409, { error: { code: 'INVALID_STATE', message: 'Not now.', requestId: REQUEST_ID } }))
    wizard.submit()
    await settle()
    const item = env.root.outbox.items[0]
    expect(item).toMatchObject({ status: 'refused', lastError: 'INVALID_STATE', lastErrorRequestId: REQUEST_ID })

    const again = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage: env.storage })
    expect(again.root.outbox.items.find((i) => i.id === item.id)).toMatchObject({ lastError: 'INVALID_STATE', lastErrorRequestId: REQUEST_ID })
  })

  it('a 503 page of a proxy (no body the app knows) has no request id', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', backoff: () => 1000 })
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    env.server.once('POST /api/promotions', () => json(503, 'Service Unavailable'))
    wizard.submit()
    await settle()
    expect(env.root.outbox.items[0]).toMatchObject({ status: 'pending', lastError: 'SERVER', lastErrorRequestId: null })
  })
})
