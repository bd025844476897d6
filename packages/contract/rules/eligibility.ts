import type { ReviewStatus } from '../promotion'

export type MissingApproval = 'store' | 'spots'

/**
 * The service fee rule (seed): an ISO is eligible for the service fee of a promotion only once Alipay+
 * approved both the POSM submission (the store) and its deployment spots. Says which part is missing.
 */
export function eligibility(store: ReviewStatus, spots: readonly ReviewStatus[]): { eligible: boolean; missing: MissingApproval[] } {
  const missing: MissingApproval[] = []
  if (store !== 'APPROVED') missing.push('store')
  if (spots.length === 0 || spots.some((s) => s !== 'APPROVED')) missing.push('spots')
  return { eligible: missing.length === 0, missing }
}
