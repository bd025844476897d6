import type { ErrorCode } from '../../../packages/contract/errors'
import type { PaymentMode, PaymentTool } from '../../../packages/contract/promotion'
import type { Db } from '../db'
import type { CheckedBy } from '../payments/port'
import { columns } from './columns'

export interface PaymentVerificationRow {
  id: string
  staff_id: string
  promotion_id: string | null
  /** Evidence recorded for an inspection task (promotion_id is then null). */
  inspection_id: string | null
  mode: PaymentMode
  tool: PaymentTool
  reference: string
  photo_id: string
  /**
   * PASSED: counts for its mode (looked up and found within the visit, or — checked_by REVIEWER — evidence
   * submitted that a reviewer has not rejected); FAILED with the reason.
   */
  status: 'PASSED' | 'FAILED'
  reason: ErrorCode | null
  created_at: string
  /** The payment id as the lookup answered it (or the reference typed, checked by a reviewer); null before issue 25. */
  payment_id?: string | null
  /** How it was checked (payments/port.ts CheckedBy); null before issue 25 (the simulator). */
  checked_by?: CheckedBy | null
  /** Alipay+'s paymentResult.resultCode (SUCCESS, ORDER_IS_CLOSED, …). */
  result_code?: string | null
  payment_time?: string | null
  amount_value?: string | null
  amount_currency?: string | null
  wallet_brand?: string | null
  /** Checked by a reviewer: PENDING until the reviewer confirms or rejects it. */
  review_status?: 'PENDING' | 'CONFIRMED' | 'REJECTED' | null
  review_reason?: string | null
  reviewed_by?: string | null
  reviewed_at?: string | null
}

const LOOKUP_COLUMNS = [
  'payment_id',
  'checked_by',
  'result_code',
  'payment_time',
  'amount_value',
  'amount_currency',
  'wallet_brand',
  'review_status',
  'review_reason',
  'reviewed_by',
  'reviewed_at',
] as const

// not `*` (see columns)
const SELECT = `SELECT ${columns('v', [
  'id',
  'staff_id',
  'promotion_id',
  'inspection_id',
  'mode',
  'tool',
  'reference',
  'photo_id',
  'status',
  'reason',
  'created_at',
  ...LOOKUP_COLUMNS,
])} FROM payment_verifications v`

export function createPaymentVerificationRepo(db: Db) {
  return {
    insert: async (row: PaymentVerificationRow): Promise<void> => {
      await db.run(
        `INSERT INTO payment_verifications (id, staff_id, promotion_id, inspection_id, mode, tool, reference, photo_id, status, reason, created_at, ${LOOKUP_COLUMNS.join(', ')})
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${LOOKUP_COLUMNS.map(() => '?').join(', ')})`,
        [
          row.id,
          row.staff_id,
          row.promotion_id,
          row.inspection_id,
          row.mode,
          row.tool,
          row.reference,
          row.photo_id,
          row.status,
          row.reason,
          row.created_at,
          ...LOOKUP_COLUMNS.map((c) => row[c] ?? null),
        ],
      )
    },
    /** The verification that counts for this payment id (passed), if any: a payment is used once. */
    /** Evidence of this payment that a reviewer rejected, if any (checked by a reviewer, its payment id is the reference). */
    findRejectedByPaymentId: (paymentId: string): Promise<PaymentVerificationRow | undefined> =>
      db.get<PaymentVerificationRow>(`${SELECT} WHERE v.payment_id = ? AND v.review_status = 'REJECTED'`, [paymentId]),
    findPassedByPaymentId: (paymentId: string): Promise<PaymentVerificationRow | undefined> =>
      db.get<PaymentVerificationRow>(`${SELECT} WHERE v.payment_id = ? AND v.status = 'PASSED'`, [paymentId]),
    /** A reviewer's decision on evidence checked by a reviewer; false when it was decided already. */
    review: async (id: string, decision: 'CONFIRMED' | 'REJECTED', reason: string | null, reviewerId: string, at: string): Promise<boolean> =>
      (
        await db.run(
          `UPDATE payment_verifications SET review_status = ?, review_reason = ?, reviewed_by = ?, reviewed_at = ?,
             status = CASE WHEN ? = 'REJECTED' THEN 'FAILED' ELSE status END,
             reason = CASE WHEN ? = 'REJECTED' THEN 'PAYMENT_REJECTED' ELSE reason END
           WHERE id = ? AND review_status = 'PENDING'`,
          [decision, reason, reviewerId, at, decision, decision, id],
        )
      ).changes === 1,
    findById: (id: string): Promise<PaymentVerificationRow | undefined> => db.get<PaymentVerificationRow>(`${SELECT} WHERE v.id = ?`, [id]),
    listForPromotion: (promotionId: string): Promise<PaymentVerificationRow[]> =>
      db.all<PaymentVerificationRow>(`${SELECT} WHERE v.promotion_id = ? ORDER BY v.created_at, v.rowid`, [promotionId]),
    /** Oldest first. */
    listForInspection: (inspectionId: string): Promise<PaymentVerificationRow[]> =>
      db.all<PaymentVerificationRow>(`${SELECT} WHERE v.inspection_id = ? ORDER BY v.created_at, v.rowid`, [inspectionId]),
    /** Attaches a verification made before the promotion existed; false when it belonged to one already. */
    attach: async (id: string, promotionId: string): Promise<boolean> =>
      (await db.run('UPDATE payment_verifications SET promotion_id = ? WHERE id = ? AND promotion_id IS NULL AND inspection_id IS NULL', [promotionId, id]))
        .changes === 1,
  }
}

export type PaymentVerificationRepo = ReturnType<typeof createPaymentVerificationRepo>
