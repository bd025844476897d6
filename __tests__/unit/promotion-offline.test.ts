/** Offline work waits and is sent when the network returns; the outbox shows the truth meanwhile. */
import { promotionRoot, settle, startWizard, walkToSummary } from '../helpers/promotion'

describe('outbox while offline', () => {
  it('queues a submission without trying, then sends it once the network returns', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const { root, platform } = env
    const listeners = platform.network.onChange.mock.calls.map((c) => (c as unknown[])[0] as (online: boolean) => void)
    expect(listeners).toHaveLength(1)
    listeners[0](false)
    const wizard = startWizard(env, 'PRIMARY_POSM')
    await walkToSummary(env, wizard)
    const uploadsBefore = env.server.uploads.length
    expect(wizard.submit()).toBe(true)
    await settle()
    const item = root.outbox.forDraft(wizard.draftId)
    expect(item?.status).toBe('pending')
    expect(wizard.state).toBe('submitting')
    expect(root.outbox.pendingCount).toBe(1)
    expect(env.server.uploads.length).toBe(uploadsBefore)
    expect(env.server.promotions.size).toBe(0)

    listeners[0](true)
    await settle()
    expect(root.outbox.forDraft(wizard.draftId)?.status).toBe('sent')
    expect(env.server.promotions.size).toBe(1)
    expect(wizard.state).toBe('submitted')
  })
})
