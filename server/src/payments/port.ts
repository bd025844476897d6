/**
 * The payment lookup (issue 25): what the server asks about a payment reference typed by a staff member. Three
 * implementations, chosen by configuration (payments/config.ts): Alipay+ (the acquirer-side inquiryPayment,
 * production), manual review (nothing looked up: a reviewer checks the evidence) and the simulator (development
 * and tests only).
 */

/** A payment as the lookup describes it (Alipay+'s inquiryPayment answer, checked and decoded). */
export interface PaymentFacts {
  paymentId: string
  /** paymentResult.resultStatus: S succeeded, U not finished, F failed (with its resultCode). */
  status: 'S' | 'U' | 'F'
  /** paymentResult.resultCode, e.g. SUCCESS, PAYMENT_IN_PROCESS, ORDER_IS_CLOSED. */
  resultCode: string
  /** paymentTime (ISO 8601); null when the answer has none (a payment not finished). */
  paymentTime: string | null
  /** paymentAmount: value in the currency's minor units, as a string, and the ISO 4217 currency. */
  amount: { value: string; currency: string } | null
  /** walletBrandName: the wallet the customer paid with. */
  walletBrandName: string | null
}

export type LookupOutcome =
  | { kind: 'found'; payment: PaymentFacts }
  /** result F / ORDER_NOT_EXIST. */
  | { kind: 'not_found' }
  /**
   * The inquiry did not work: `retry` — U, a network failure, a timeout or a 5xx after the retries ("try
   * again"); `refused` — Alipay+ refused our request (signature, client id, parameters: an operator problem);
   * `untrusted` — the answer's signature did not check out.
   */
  | { kind: 'unavailable'; why: 'retry' | 'refused' | 'untrusted'; resultCode?: string }

/** How a verification was checked, stored with it (payment_verifications.checked_by). */
export type CheckedBy = 'ALIPAY_PLUS' | 'REVIEWER' | 'SIMULATOR'

export interface PaymentLookup {
  /** How this lookup's verifications are checked. */
  readonly checkedBy: CheckedBy
  /** A description for the start-up banner (no secret). */
  describe(): string
  /** Looks the payment up; the manual lookup never does (its verifications are decided by a reviewer). */
  lookup(paymentId: string, context?: { isoId?: string; log?: LookupLog }): Promise<LookupOutcome>
}

/** One call's outcome, for the logs and (issue 24) the metrics' "Alipay+ call outcome" counter. */
export type CallOutcome = 'success' | 'not_found' | 'result_unknown' | 'refused' | 'bad_signature' | 'http_error' | 'network_error' | 'timeout'

export type LookupLog = (level: 'info' | 'warn' | 'error', event: Record<string, unknown>, message: string) => void

/** A request's logger (its lines carry the request id) as the lookup's log: the Alipay+ calls made for a request are logged with it. */
export function lookupLog(logger: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void }): LookupLog {
  return (level, event, message) => logger[level](event, message)
}
