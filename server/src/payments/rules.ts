import type { ErrorCode } from '../../../packages/contract/errors'
import type { LookupOutcome, PaymentFacts } from './port'

/** A payment may be stamped this much after the server's "now" (the two clocks differ a little). */
export const CLOCK_SKEW_MS = 2 * 60_000

/**
 * What a lookup means for a verification (issue 25, item 2), for promotions and inspections alike:
 * - `record`: stored, PASSED or FAILED with a reason (not found, failed, outside the visit);
 * - `refuse`: nothing stored, the staff member tries again (not finished yet, Alipay+ not answering or refusing
 *   us): the draft keeps everything entered.
 */
export type VerificationDecision =
  | { kind: 'record'; status: 'PASSED' | 'FAILED'; reason: ErrorCode | null; payment: PaymentFacts | null }
  | { kind: 'refuse'; status: number; code: ErrorCode; message: string }

export interface VisitWindow {
  /** The verification's time (the server's clock). */
  now: Date
  /** PAYMENT_WINDOW_MINUTES. */
  windowMinutes: number
  /** When the visit started (the wizard's start as the app sent it), if known: a payment before it is not this visit's. */
  startedAt?: Date | null
}

/**
 * When the visit started, on the server's clock. The app sends the wizard's start and the moment it sent the
 * evidence, both by the phone's clock: their difference is how long the visit has lasted, whatever that clock
 * says, and is counted back from `now`. Without `sentAt` (an older app) the phone's start is taken as it is (the
 * 2 minutes of CLOCK_SKEW_MS allowed); without `startedAt` (evidence given later, Deploy-Then-Verify) none.
 */
export function visitStart(startedAt: string | undefined, sentAt: string | undefined, now: Date): Date | null {
  const started = startedAt ? Date.parse(startedAt) : NaN
  if (!Number.isFinite(started)) return null
  const sent = sentAt ? Date.parse(sentAt) : NaN
  if (!Number.isFinite(sent)) return new Date(started)
  return new Date(now.getTime() - Math.max(0, sent - started))
}

/** paymentTime within the visit: not before the visit started, not more than the window before now, not in the future. */
export function withinVisit(paymentTime: string | null, visit: VisitWindow): boolean {
  if (!paymentTime) return false
  const at = Date.parse(paymentTime)
  if (!Number.isFinite(at)) return false
  const now = visit.now.getTime()
  const earliest = Math.max(now - visit.windowMinutes * 60_000, visit.startedAt ? visit.startedAt.getTime() - CLOCK_SKEW_MS : -Infinity)
  return at >= earliest && at <= now + CLOCK_SKEW_MS
}

export function decideVerification(outcome: LookupOutcome, visit: VisitWindow): VerificationDecision {
  switch (outcome.kind) {
    case 'not_found':
      return { kind: 'record', status: 'FAILED', reason: 'PAYMENT_NOT_FOUND', payment: null }
    case 'unavailable':
      return outcome.why === 'retry'
        ? { kind: 'refuse', status: 503, code: 'PAYMENT_LOOKUP_UNAVAILABLE', message: 'Alipay+ did not answer the payment inquiry; try again in a minute.' }
        : {
            kind: 'refuse',
            status: 503,
            code: 'PAYMENT_LOOKUP_MISCONFIGURED',
            message:
              outcome.why === 'untrusted'
                ? 'The answer of Alipay+ was not signed with the configured Alipay+ public key; the server administrator must check ALIPAYPLUS_PUBLIC_KEY.'
                : `Alipay+ refused the server's payment inquiry (${outcome.resultCode ?? 'refused'}); the server administrator must check the ALIPAYPLUS_* settings.`,
          }
    case 'found': {
      const { payment } = outcome
      if (payment.status === 'U') {
        return { kind: 'refuse', status: 409, code: 'PAYMENT_IN_PROCESS', message: 'This payment is not finished yet; try again in a minute.' }
      }
      if (payment.status === 'F') {
        return { kind: 'record', status: 'FAILED', reason: payment.resultCode === 'ORDER_IS_CLOSED' ? 'PAYMENT_CLOSED' : 'PAYMENT_FAILED', payment }
      }
      if (!withinVisit(payment.paymentTime, visit)) return { kind: 'record', status: 'FAILED', reason: 'PAYMENT_OUTSIDE_VISIT', payment }
      return { kind: 'record', status: 'PASSED', reason: null, payment }
    }
  }
}
