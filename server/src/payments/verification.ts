import { randomUUID } from 'node:crypto'
import type * as v from 'valibot'
import type { PaymentVerificationSchema } from '../../../packages/contract/schemas'
import type { PaymentMode, Wallet } from '../../../packages/contract/promotion'
import { checkPaymentTool } from '../services/payment-tool'
import type { ApiErrorBody } from '../../../packages/contract/errors'
import type { Clock } from '../clock'
import { ApiError } from '../errors'
import type { Repos } from '../repo'
import type { PaymentVerificationRow } from '../repo/payment-verifications'
import type { LookupLog, PaymentLookup } from './port'
import { decideVerification, visitStart } from './rules'

/** Payment evidence as the API receives it (promotions and inspections). */
export type PaymentEvidenceInput = v.InferOutput<typeof PaymentVerificationSchema>

/**
 * 409 PAYMENT_ALREADY_USED, naming what it was used for when that is the same staff member's. An ApiError whose
 * body carries `usedFor` (not a subclass: a transpiled subclass of Error loses its methods on some targets).
 */
export function paymentUsedError(usedFor: { promotionId?: string; inspectionId?: string; mode: PaymentMode } | null): ApiError {
  const error = new ApiError(
    409,
    'PAYMENT_ALREADY_USED',
    usedFor
      ? `This payment was used already for ${usedFor.promotionId ? `promotion ${usedFor.promotionId}` : usedFor.inspectionId ? `inspection ${usedFor.inspectionId}` : 'a verification not yet submitted'} (${usedFor.mode}); make a new payment.`
      : 'This payment was used already for another verification; make a new payment.',
    { reference: 'PAYMENT_ALREADY_USED' },
  )
  if (usedFor) {
    const body = error.toBody.bind(error)
    error.toBody = (): ApiErrorBody => {
      const b = body()
      b.error.usedFor = usedFor
      return b
    }
  }
  return error
}

/** Where a verification belongs: before its promotion exists (Verify-Then-Deploy), a promotion, or an inspection task. */
export interface VerificationTarget {
  promotionId: string | null
  inspectionId: string | null
}

/** What was found, ready to record (or the existing record, for the same evidence sent again). */
export type Evidence = { row: PaymentVerificationRow; existing: boolean }

export interface PaymentVerifierDeps {
  repos: Repos
  clock: Clock
  lookup: PaymentLookup
  /** PAYMENT_WINDOW_MINUTES. */
  windowMinutes: number
  log?: LookupLog
}

/**
 * The rules of a payment verification, written once for promotions and inspections (issue 25, item 2): the
 * photo is the staff member's upload; the tool the store's wallets require; the payment looked up (or, checked by
 * a reviewer, recorded for the reviewer); a payment id used once across every promotion and inspection, so both
 * modes are two different payments.
 */
export function createPaymentVerifier({ repos, clock, lookup, windowMinutes, log }: PaymentVerifierDeps) {
  /** The passed verification of this payment id, if any: the same evidence again answers it; any other use is refused. */
  async function checkUnused(
    staffId: string,
    paymentId: string,
    input: PaymentEvidenceInput,
    target: VerificationTarget,
  ): Promise<PaymentVerificationRow | null> {
    const used = await repos.verifications.findPassedByPaymentId(paymentId)
    if (!used) return null
    const same =
      used.staff_id === staffId &&
      used.mode === input.mode &&
      used.photo_id === input.photoId &&
      used.inspection_id === target.inspectionId &&
      (used.promotion_id === target.promotionId || (target.promotionId === null && target.inspectionId === null && used.promotion_id === null))
    if (same) return used
    throw paymentUsedError(
      used.staff_id === staffId
        ? {
            mode: used.mode,
            ...(used.promotion_id ? { promotionId: used.promotion_id } : {}),
            ...(used.inspection_id ? { inspectionId: used.inspection_id } : {}),
          }
        : null,
    )
  }

  return {
    checkedBy: lookup.checkedBy,

    /**
     * Checks the evidence (looking the payment up: call it outside any database transaction). Throws the refusals
     * that record nothing (photo missing, payment used, not finished yet, Alipay+ not answering).
     */
    async evaluate(
      staffId: string,
      input: PaymentEvidenceInput,
      wallets: readonly Wallet[],
      target: VerificationTarget,
      isoId?: string,
      requestLog?: LookupLog,
    ): Promise<Evidence> {
      const photo = await repos.uploads.findById(input.photoId)
      if (!photo || photo.staff_id !== staffId) {
        throw new ApiError(422, 'PHOTO_MISSING', 'Upload the photo of the payment result first.', { photoId: 'PHOTO_MISSING' })
      }
      const reference = input.reference.trim()
      const base: PaymentVerificationRow = {
        id: `pv-${randomUUID()}`,
        staff_id: staffId,
        promotion_id: target.promotionId,
        inspection_id: target.inspectionId,
        mode: input.mode,
        tool: input.tool,
        reference,
        photo_id: input.photoId,
        status: 'FAILED',
        reason: null,
        created_at: clock.now().toISOString(),
        checked_by: lookup.checkedBy,
      }
      // the other tool than the ISO's rule names: 422 WRONG_PAYMENT_TOOL with the reason, nothing recorded (payment-tool.ts)
      checkPaymentTool(input.tool, wallets)
      const again = await checkUnused(staffId, reference, input, target)
      if (again) return { row: again, existing: true }
      // a payment a reviewer rejected is no evidence again, whoever sends it, whatever the mode of checking now
      if (await repos.verifications.findRejectedByPaymentId(reference)) {
        throw new ApiError(409, 'PAYMENT_REJECTED_ALREADY', 'A reviewer rejected this payment already; make a new payment and verify that one.', {
          reference: 'PAYMENT_REJECTED_ALREADY',
        })
      }
      if (lookup.checkedBy === 'REVIEWER') {
        // nothing to look up: the evidence counts for its mode until the reviewer rejects it
        return { row: { ...base, status: 'PASSED', payment_id: reference, review_status: 'PENDING' }, existing: false }
      }
      const outcome = await lookup.lookup(reference, { isoId, log: requestLog ?? log })
      const now = clock.now()
      const decision = decideVerification(outcome, { now, windowMinutes, startedAt: visitStart(input.startedAt, input.sentAt, now) })
      if (decision.kind === 'refuse') throw new ApiError(decision.status, decision.code, decision.message, { reference: decision.code })
      const payment = decision.payment
      if (decision.status === 'PASSED' && payment && payment.paymentId !== reference) {
        const again2 = await checkUnused(staffId, payment.paymentId, input, target)
        if (again2) return { row: again2, existing: true }
      }
      return {
        row: {
          ...base,
          status: decision.status,
          reason: decision.reason,
          payment_id: payment?.paymentId ?? null,
          result_code: payment?.resultCode ?? null,
          payment_time: payment?.paymentTime ?? null,
          amount_value: payment?.amount?.value ?? null,
          amount_currency: payment?.amount?.currency ?? null,
          wallet_brand: payment?.walletBrandName ?? null,
        },
        existing: false,
      }
    },

    /** Records evaluated evidence (inside the caller's transaction), checking again that its payment is unused. */
    async record(staffId: string, input: PaymentEvidenceInput, evidence: Evidence, target: VerificationTarget): Promise<PaymentVerificationRow> {
      if (evidence.existing) return evidence.row
      const row = { ...evidence.row, promotion_id: target.promotionId, inspection_id: target.inspectionId }
      if (row.status === 'PASSED' && row.payment_id) {
        const again = await checkUnused(staffId, row.payment_id, input, target)
        if (again) return again
      }
      await repos.verifications.insert(row)
      return row
    },
  }
}

export type PaymentVerifier = ReturnType<typeof createPaymentVerifier>
