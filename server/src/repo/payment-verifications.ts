import type { ErrorCode } from '../../../packages/contract/errors'
import type { PaymentMode, PaymentTool } from '../../../packages/contract/promotion'
import type { Db } from '../db'
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
  status: 'PASSED' | 'FAILED'
  reason: ErrorCode | null
  created_at: string
}

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
])} FROM payment_verifications v`

export function createPaymentVerificationRepo(db: Db) {
  return {
    insert: async (row: PaymentVerificationRow): Promise<void> => {
      await db.run(
        `INSERT INTO payment_verifications (id, staff_id, promotion_id, inspection_id, mode, tool, reference, photo_id, status, reason, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [row.id, row.staff_id, row.promotion_id, row.inspection_id, row.mode, row.tool, row.reference, row.photo_id, row.status, row.reason, row.created_at],
      )
    },
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
