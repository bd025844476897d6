import type { InspectionStatus, SpotCondition } from '../../../packages/contract/inspection'
import type { GeoPointInput } from '../../../packages/contract/promotion'
import type { CodeComparison } from '../../../packages/contract/rules/inspection'
import type { Db } from '../db'
import { columns } from './columns'

export interface InspectionTaskRow {
  id: string
  promotion_id: string
  staff_id: string
  status: InspectionStatus
  /** YYYY-MM-DD in the ISO's time zone. */
  due_date: string
  assigned_at: string
  submitted_at: string | null
  client_id: string | null
  /** JSON of InspectionResult once submitted. */
  result_json: string | null
  reviewer_reason: string | null
  decided_at: string | null
}

/** For the console's list: the promotion's store, who inspects, for which ISO. */
export interface InspectionListRow extends InspectionTaskRow {
  staff_name: string
  iso_id: string
  iso_name: string
  store_json: string
  product: string
}

/** What the server stores of a submitted result (`result_json`). */
export interface InspectionResult {
  store: {
    open: boolean
    sameStore: boolean
    storefrontPhotoId: string
    location: GeoPointInput | null
    /** Computed by the server from `location` and the store's recorded location (null without a location). */
    distanceMeters: number | null
    /** What the device reported (kept for reference; never trusted). */
    clientDistanceMeters: number | null
    /** Farther than FAR_FROM_STORE_METERS from the recorded location (flagged, not refused). */
    farFromStore: boolean
    feedback: string
  }
  /** By spot index. */
  spots: Array<{
    index: number
    condition: SpotCondition
    photoId: string
    /** Marketing Code spots: the code bound at promotion, the code scanned now (parsed when it is one) and how they compare. */
    boundCode: string | null
    scannedCode: string | null
    codeComparison: CodeComparison | null
    feedback: string
  }>
  paymentVerificationIds: string[]
}

export type NewInspectionTask = Pick<InspectionTaskRow, 'id' | 'promotion_id' | 'staff_id' | 'due_date' | 'assigned_at'>

const TASK_COLUMNS = [
  'id',
  'promotion_id',
  'staff_id',
  'status',
  'due_date',
  'assigned_at',
  'submitted_at',
  'client_id',
  'result_json',
  'reviewer_reason',
  'decided_at',
]
// not `*` (see columns)
const SELECT = `SELECT ${columns('t', TASK_COLUMNS)} FROM inspection_tasks t`
const LIST = `SELECT ${columns('t', TASK_COLUMNS)}, s.name AS staff_name, p.iso_id AS iso_id, i.name AS iso_name, p.store_json, p.product
  FROM inspection_tasks t JOIN staff s ON s.id = t.staff_id JOIN promotions p ON p.id = t.promotion_id JOIN isos i ON i.id = p.iso_id`

export function createInspectionRepo(db: Db) {
  return {
    insert: async (row: NewInspectionTask): Promise<void> => {
      await db.run(
        `INSERT INTO inspection_tasks (id, promotion_id, staff_id, status, due_date, assigned_at)
         VALUES (?, ?, ?, 'TO_DO', ?, ?)`,
        [row.id, row.promotion_id, row.staff_id, row.due_date, row.assigned_at],
      )
    },
    findById: (id: string): Promise<InspectionTaskRow | undefined> => db.get<InspectionTaskRow>(`${SELECT} WHERE t.id = ?`, [id]),
    findByClientId: (staffId: string, clientId: string): Promise<InspectionTaskRow | undefined> =>
      db.get<InspectionTaskRow>(`${SELECT} WHERE t.staff_id = ? AND t.client_id = ?`, [staffId, clientId]),
    /** One staff member's tasks, in no particular order. */
    /**
     * The facts the console's proposals by risk read (services/inspection-risk.ts), for every approved promotion at
     * once: which have an open task (not proposed), which were ever inspected, whose passed payments were all
     * checked by a reviewer, and each staff member's promotions decided since `since` and how many were rejected.
     */
    riskFacts: async (since: string) => {
      const tasks = await db.all<{ promotion_id: string; open: number }>(
        `SELECT promotion_id, MAX(CASE WHEN status IN ('TO_DO', 'IN_PROGRESS', 'SUBMITTED') THEN 1 ELSE 0 END) AS open
           FROM inspection_tasks GROUP BY promotion_id`,
      )
      const reviewerOnly = await db.all<{ promotion_id: string }>(
        `SELECT v.promotion_id FROM payment_verifications v JOIN promotions p ON p.id = v.promotion_id
          WHERE p.status = 'APPROVED' AND v.status = 'PASSED'
          GROUP BY v.promotion_id HAVING MIN(CASE WHEN v.checked_by = 'REVIEWER' THEN 1 ELSE 0 END) = 1`,
      )
      const staff = await db.all<{ staff_id: string; decided: number; rejected: number }>(
        `SELECT staff_id, COUNT(*) AS decided, SUM(CASE WHEN status = 'REJECTED' THEN 1 ELSE 0 END) AS rejected
           FROM promotions WHERE status IN ('APPROVED', 'REJECTED') AND decided_at >= ? GROUP BY staff_id`,
        [since],
      )
      return {
        openTask: new Set(tasks.filter((t) => Number(t.open) === 1).map((t) => t.promotion_id)),
        inspected: new Set(tasks.map((t) => t.promotion_id)),
        paymentsByReviewerOnly: new Set(reviewerOnly.map((r) => r.promotion_id)),
        staff: new Map(staff.map((r) => [r.staff_id, { decided: Number(r.decided), rejected: Number(r.rejected) }])),
      }
    },
    /** Whether the staff member has (had) a task inspecting this promotion. */
    inspects: async (staffId: string, promotionId: string): Promise<boolean> =>
      (await db.get<{ n: number }>('SELECT 1 AS n FROM inspection_tasks WHERE staff_id = ? AND promotion_id = ? LIMIT 1', [staffId, promotionId])) !==
      undefined,
    listForStaff: (staffId: string): Promise<InspectionTaskRow[]> => db.all<InspectionTaskRow>(`${SELECT} WHERE t.staff_id = ?`, [staffId]),
    /** Every task (console), newest assignment first. */
    listAll: (): Promise<InspectionListRow[]> => db.all<InspectionListRow>(`${LIST} ORDER BY t.assigned_at DESC, t.rowid DESC`),
    /** TO_DO → IN_PROGRESS (no change otherwise). */
    start: async (id: string): Promise<void> => {
      await db.run("UPDATE inspection_tasks SET status = 'IN_PROGRESS' WHERE id = ? AND status = 'TO_DO'", [id])
    },
    /** Records the result; false when the task was not open. */
    submit: async (id: string, clientId: string, result: InspectionResult, at: string): Promise<boolean> =>
      (
        await db.run(
          "UPDATE inspection_tasks SET status = 'SUBMITTED', client_id = ?, result_json = ?, submitted_at = ? WHERE id = ? AND status IN ('TO_DO', 'IN_PROGRESS')",
          [clientId, JSON.stringify(result), at, id],
        )
      ).changes === 1,
    /** The reviewer's decision; false when the task is not SUBMITTED. */
    decide: async (id: string, status: 'ACCEPTED' | 'REJECTED', reason: string | null, at: string): Promise<boolean> =>
      (
        await db.run("UPDATE inspection_tasks SET status = ?, reviewer_reason = ?, decided_at = ? WHERE id = ? AND status = 'SUBMITTED'", [
          status,
          reason,
          at,
          id,
        ])
      ).changes === 1,
    /** Accepted tasks of a staff member decided in [from, to) (ISO times). */
    countAccepted: async (staffId: string, from: string, to: string): Promise<number> =>
      (
        await db.get<{ n: number }>(
          "SELECT COUNT(*) AS n FROM inspection_tasks WHERE staff_id = ? AND status = 'ACCEPTED' AND decided_at >= ? AND decided_at < ?",
          [staffId, from, to],
        )
      )?.n ?? 0,
  }
}

export type InspectionRepo = ReturnType<typeof createInspectionRepo>

export function resultOf(t: Pick<InspectionTaskRow, 'result_json'>): InspectionResult | null {
  return t.result_json ? (JSON.parse(t.result_json) as InspectionResult) : null
}
