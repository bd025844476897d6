import type { PaymentVerificationView } from '../../packages/contract/promotion'

/**
 * What a passed verification is called (issue 25): looked up with Alipay+ → "Verified"; evidence checked by a
 * reviewer (PAYMENT_VERIFICATION=manual) → "Evidence submitted — checked by a reviewer" until the reviewer confirms
 * it, never "Verified".
 */
export function passedLabelKey(
  r: Pick<PaymentVerificationView, 'checkedBy' | 'review'>,
): 'payment.passed' | 'payment.submitted' | 'payment.confirmedByReviewer' {
  if (r.checkedBy !== 'REVIEWER') return 'payment.passed'
  return r.review?.status === 'CONFIRMED' ? 'payment.confirmedByReviewer' : 'payment.submitted'
}
