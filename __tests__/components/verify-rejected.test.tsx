/**
 * The verify page of a promotion sent back to payment verification after the reviewer rejected one mode's payment
 * (issue 25): the reviewer's reason is shown in the working language, the other mode is shown as done (no Verify),
 * and only the rejected mode asks for new evidence.
 */
import type { PaymentMode, PaymentVerificationView, PromotionView, WorkspaceInfo } from '../../packages/contract/promotion'
import { DICTIONARIES } from '../../src/i18n/all'
import VerifyPage from '../../src/pages/promotion/verify/index'
import { json } from '../helpers/fake-platform'
import { profile } from '../helpers/fixtures'
import { renderSignedIn } from './render'
import { pageQuery } from './taro-shim'

const AT = '2026-11-25T02:00:00.000Z'
const iso = { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'DEPLOY_THEN_VERIFY' as const }
const WORKSPACE: WorkspaceInfo = {
  products: ['MARKETING_CODE', 'PRIMARY_POSM'],
  method: 'DEPLOY_THEN_VERIFY',
  methodAgreement: { status: 'AGREED', agreed: 'DEPLOY_THEN_VERIFY', proposal: null, declineReason: null, previous: null },
  maxSpotsPerStore: 5,
  timezone: 'Asia/Singapore',
  testAccount: null,
  maxUploadBytes: 5 * 1024 * 1024,
}

function record(id: string, mode: PaymentMode, review: 'CONFIRMED' | 'REJECTED'): PaymentVerificationView {
  const rejected = review === 'REJECTED'
  return {
    id,
    mode,
    tool: 'ALIPAY_PLUS_LINKER',
    reference: 'AP202611250000001234',
    photoId: `u-${id}`,
    status: rejected ? 'FAILED' : 'PASSED',
    reason: rejected ? 'PAYMENT_REJECTED' : null,
    createdAt: AT,
    checkedBy: 'REVIEWER',
    review: { status: review, reason: rejected ? 'Resit kabur' : null },
  }
}

const PROMOTION = {
  id: 'pr-1',
  clientId: 'c1',
  product: 'PRIMARY_POSM',
  method: 'DEPLOY_THEN_VERIFY',
  status: 'AWAITING_PAYMENT_VERIFICATION',
  store: { wallets: ['ALIPAY', 'DANA'], name: 'Kedai Kopi Sentosa' },
  storeReview: { status: 'APPROVED', reason: null },
  spots: [],
  merchant: {},
  paymentVerifications: [record('pv-1', 'MPM', 'CONFIRMED'), record('pv-2', 'UPM', 'REJECTED')],
  createdAt: AT,
} as unknown as PromotionView

afterEach(() => {
  pageQuery.current = {}
})

it('shows the reviewer’s reason for the rejected mode, the other mode as done, and asks for the rejected one only (Malay)', async () => {
  pageQuery.current = { id: 'pr-1' }
  const ms = DICTIONARIES.ms
  const { container } = await renderSignedIn(
    <VerifyPage />,
    profile({ status: 'associated', iso }),
    { 'GET /api/promotions/pr-1': () => json(200, PROMOTION), 'GET /api/workspace': () => json(200, WORKSPACE) },
    'ms',
  )
  expect(container.querySelector('#pay-UPM-rejected')?.textContent).toBe(
    ms['verify.paymentRejected'].replace('{mode}', ms['payment.mode.UPM']).replace('{reason}', 'Resit kabur'),
  )
  expect(container.querySelector('#pay-MPM-rejected')).toBeNull()
  // MPM: done (confirmed by the reviewer), nothing asked
  expect(container.querySelector('#pay-MPM-result')?.textContent).toContain(ms['payment.confirmedByReviewer'])
  expect(container.querySelector('#pay-MPM-verify')).toBeNull()
  // UPM: new evidence asked
  expect(container.querySelector('#pay-UPM-verify')).not.toBeNull()
})
