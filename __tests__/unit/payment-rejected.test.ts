/**
 * Issue 25, a payment the reviewer rejected, in the app: the verify page of a submitted promotion (Deploy-Then-Verify)
 * shows a mode whose latest evidence passed as done, and asks for new evidence for the rejected mode only; evidence
 * sent from this device and then rejected by the reviewer is cleared, the reviewer's decision shown.
 */
import type { PaymentMode, PaymentVerificationInput, PaymentVerificationView, PromotionView } from '../../packages/contract/promotion'
import { latestPerMode } from '../../packages/contract/rules/payment'
import { json } from '../helpers/fake-platform'
import { deviceRoot, fakeServer, PASSING_REF } from '../helpers/promotion'

const AT = '2026-11-25T02:00:00.000Z'

function record(id: string, mode: PaymentMode, review: 'PENDING' | 'CONFIRMED' | 'REJECTED'): PaymentVerificationView {
  const rejected = review === 'REJECTED'
  return {
    id,
    mode,
    tool: 'ALIPAY_PLUS_LINKER',
    reference: `AP20261125000000${id.slice(-4).padStart(4, '0')}`,
    photoId: `u-${id}`,
    status: rejected ? 'FAILED' : 'PASSED',
    reason: rejected ? 'PAYMENT_REJECTED' : null,
    createdAt: AT,
    checkedBy: 'REVIEWER',
    review: { status: review, reason: rejected ? 'Blurred receipt' : null },
  }
}

function promotion(status: PromotionView['status'], paymentVerifications: PaymentVerificationView[]): PromotionView {
  return {
    id: 'pr-1',
    clientId: 'c1',
    product: 'PRIMARY_POSM',
    method: 'DEPLOY_THEN_VERIFY',
    status,
    store: { wallets: ['ALIPAY', 'DANA'], name: 'Kedai Kopi Sentosa' } as PromotionView['store'],
    storeReview: { status: 'APPROVED', reason: null },
    spots: [],
    merchant: {} as PromotionView['merchant'],
    paymentVerifications,
    createdAt: AT,
  }
}

async function verifyPage(initial: PromotionView) {
  const { server, routes, upload } = fakeServer({ method: 'DEPLOY_THEN_VERIFY' })
  let current = initial
  const sent: PaymentVerificationInput[] = []
  routes['GET /api/promotions/pr-1'] = () => json(200, current)
  routes['POST /api/promotions/pr-1/payment-verifications'] = (req) => {
    const body = req.body as PaymentVerificationInput
    sent.push(body)
    const added: PaymentVerificationView = { ...record(`pv-new${sent.length}`, body.mode, 'PENDING'), reference: body.reference, photoId: body.photoId }
    const list = [...current.paymentVerifications, added]
    current = promotion(latestPerMode(list).every((r) => r.status === 'PASSED') && latestPerMode(list).length === 2 ? 'PENDING_REVIEW' : current.status, list)
    return json(200, current)
  }
  const device = deviceRoot(routes, upload, { photoPrefix: 'p' })
  await device.root.session.devSignIn('staff-aisyah')
  await device.root.workspace.load()
  await device.root.promotions.loadOne('pr-1')
  return {
    ...device,
    server,
    sent,
    set: (p: PromotionView) => (current = p),
  }
}

describe('the verify page after a rejected payment', () => {
  it('shows the mode whose evidence passed as done and asks for the rejected mode only; new evidence for it sends the promotion to review', async () => {
    const env = await verifyPage(promotion('AWAITING_PAYMENT_VERIFICATION', [record('pv-1', 'MPM', 'CONFIRMED'), record('pv-2', 'UPM', 'REJECTED')]))
    const verifier = env.root.promotions.verifierFor('pr-1')
    // MPM: done, nothing asked (the page shows its result and no Verify button)
    expect(verifier.record('MPM').result).toMatchObject({ id: 'pv-1', status: 'PASSED', review: { status: 'CONFIRMED' } })
    // UPM: the reviewer's rejection shown, the fields empty for new evidence
    expect(verifier.record('UPM')).toMatchObject({ reference: '', photo: null, result: { id: 'pv-2', status: 'FAILED', reason: 'PAYMENT_REJECTED' } })
    expect(env.root.promotions.latestVerification('pr-1', 'UPM')?.review).toEqual({ status: 'REJECTED', reason: 'Blurred receipt' })

    verifier.setReference('UPM', PASSING_REF)
    await verifier.takePhoto('UPM', 'Payment result')
    expect(verifier.record('UPM')).toMatchObject({ reference: PASSING_REF, result: null })
    expect(await verifier.verify('UPM')).toBe(true)
    expect(env.sent.map((s) => s.mode)).toEqual(['UPM'])
    expect(env.root.promotions.byId('pr-1')?.status).toBe('PENDING_REVIEW')
    expect(verifier.record('UPM').result).toMatchObject({ id: 'pv-new1', status: 'PASSED' })
    expect(verifier.record('MPM').result).toMatchObject({ id: 'pv-1' })
  })

  it('a mode whose latest evidence (after an earlier rejection) awaits the reviewer is done too', async () => {
    const env = await verifyPage(
      promotion('AWAITING_PAYMENT_VERIFICATION', [record('pv-1', 'MPM', 'REJECTED'), record('pv-2', 'UPM', 'REJECTED'), record('pv-3', 'MPM', 'PENDING')]),
    )
    const verifier = env.root.promotions.verifierFor('pr-1')
    expect(verifier.record('MPM').result).toMatchObject({ id: 'pv-3', status: 'PASSED' })
    expect(verifier.record('UPM').result).toMatchObject({ id: 'pv-2', status: 'FAILED' })
  })

  it('evidence sent from this device and then rejected by the reviewer is cleared when the promotion is loaded again', async () => {
    const env = await verifyPage(promotion('AWAITING_PAYMENT_VERIFICATION', [record('pv-1', 'MPM', 'CONFIRMED')]))
    const verifier = env.root.promotions.verifierFor('pr-1')
    verifier.setReference('UPM', PASSING_REF)
    await verifier.takePhoto('UPM', 'Payment result')
    expect(await verifier.verify('UPM')).toBe(true)
    expect(env.root.promotions.byId('pr-1')?.status).toBe('PENDING_REVIEW')
    expect(env.root.promotions.verifiedHere('pr-1')).toBe(true)

    // the reviewer rejects it; the staff member opens the page again in the same session
    const [mpm, upm] = env.root.promotions.byId('pr-1')!.paymentVerifications
    env.set(
      promotion('AWAITING_PAYMENT_VERIFICATION', [
        mpm,
        { ...upm, status: 'FAILED', reason: 'PAYMENT_REJECTED', review: { status: 'REJECTED', reason: 'Blurred' } },
      ]),
    )
    await env.root.promotions.loadOne('pr-1')
    expect(verifier.record('UPM')).toMatchObject({ reference: '', photo: null, result: { id: upm.id, review: { status: 'REJECTED' } } })
    expect(verifier.record('MPM').result).toMatchObject({ id: 'pv-1', status: 'PASSED' })
  })
})

describe('latestPerMode', () => {
  it('answers the latest record of each mode (oldest first in, MPM then UPM out), a mode without one left out', () => {
    const rows = [record('pv-1', 'UPM', 'REJECTED'), record('pv-2', 'MPM', 'CONFIRMED'), record('pv-3', 'UPM', 'PENDING')]
    expect(latestPerMode(rows).map((r) => r.id)).toEqual(['pv-2', 'pv-3'])
    expect(latestPerMode([record('pv-1', 'UPM', 'REJECTED')]).map((r) => r.id)).toEqual(['pv-1'])
    expect(latestPerMode([])).toEqual([])
  })
})
