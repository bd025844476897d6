import type { ErrorCode } from '../../../packages/contract/errors'
import type { PaymentMode, PaymentTool } from '../../../packages/contract/promotion'
import type { Db } from '../db'

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
  status: 'PASSED' | 'FAILED'
  reason: ErrorCode | null
  created_at: string
}

export function createPaymentVerificationRepo(db: Db) {
  const insert = db.prepare<PaymentVerificationRow>(
    `INSERT INTO payment_verifications (id, staff_id, promotion_id, inspection_id, mode, tool, reference, photo_id, status, reason, created_at)
     VALUES (@id, @staff_id, @promotion_id, @inspection_id, @mode, @tool, @reference, @photo_id, @status, @reason, @created_at)`,
  )
  const byId = db.prepare<[string], PaymentVerificationRow>('SELECT * FROM payment_verifications WHERE id = ?')
  const ofPromotion = db.prepare<[string], PaymentVerificationRow>('SELECT * FROM payment_verifications WHERE promotion_id = ? ORDER BY created_at, rowid')
  const ofInspection = db.prepare<[string], PaymentVerificationRow>('SELECT * FROM payment_verifications WHERE inspection_id = ? ORDER BY created_at, rowid')
  const attach = db.prepare<[string, string]>(
    'UPDATE payment_verifications SET promotion_id = ? WHERE id = ? AND promotion_id IS NULL AND inspection_id IS NULL',
  )

  return {
    insert: (row: PaymentVerificationRow): void => {
      insert.run(row)
    },
    findById: (id: string): PaymentVerificationRow | undefined => byId.get(id),
    listForPromotion: (promotionId: string): PaymentVerificationRow[] => ofPromotion.all(promotionId),
    /** Oldest first. */
    listForInspection: (inspectionId: string): PaymentVerificationRow[] => ofInspection.all(inspectionId),
    /** Attaches a verification made before the promotion existed; false when it belonged to one already. */
    attach: (id: string, promotionId: string): boolean => attach.run(promotionId, id).changes === 1,
  }
}

export type PaymentVerificationRepo = ReturnType<typeof createPaymentVerificationRepo>
