import type { InspectionStatus, SpotCondition } from '../../../packages/contract/inspection'
import type { GeoPointInput } from '../../../packages/contract/promotion'
import type { CodeComparison } from '../../../packages/contract/rules/inspection'
import type { Db } from '../db'

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

const LIST = `SELECT t.*, s.name AS staff_name, p.iso_id AS iso_id, i.name AS iso_name, p.store_json, p.product
  FROM inspection_tasks t JOIN staff s ON s.id = t.staff_id JOIN promotions p ON p.id = t.promotion_id JOIN isos i ON i.id = p.iso_id`

export function createInspectionRepo(db: Db) {
  const insert = db.prepare<NewInspectionTask>(
    `INSERT INTO inspection_tasks (id, promotion_id, staff_id, status, due_date, assigned_at)
     VALUES (@id, @promotion_id, @staff_id, 'TO_DO', @due_date, @assigned_at)`,
  )
  const byId = db.prepare<[string], InspectionTaskRow>('SELECT * FROM inspection_tasks WHERE id = ?')
  const byClientId = db.prepare<[string, string], InspectionTaskRow>('SELECT * FROM inspection_tasks WHERE staff_id = ? AND client_id = ?')
  const ofStaff = db.prepare<[string], InspectionTaskRow>('SELECT * FROM inspection_tasks WHERE staff_id = ?')
  const all = db.prepare<[], InspectionListRow>(`${LIST} ORDER BY t.assigned_at DESC, t.rowid DESC`)
  const start = db.prepare<[string]>("UPDATE inspection_tasks SET status = 'IN_PROGRESS' WHERE id = ? AND status = 'TO_DO'")
  const submit = db.prepare<[string, string, string, string]>(
    "UPDATE inspection_tasks SET status = 'SUBMITTED', client_id = ?, result_json = ?, submitted_at = ? WHERE id = ? AND status IN ('TO_DO', 'IN_PROGRESS')",
  )
  const decide = db.prepare<['ACCEPTED' | 'REJECTED', string | null, string, string]>(
    "UPDATE inspection_tasks SET status = ?, reviewer_reason = ?, decided_at = ? WHERE id = ? AND status = 'SUBMITTED'",
  )
  const accepted = db.prepare<[string, string, string], { n: number }>(
    "SELECT COUNT(*) AS n FROM inspection_tasks WHERE staff_id = ? AND status = 'ACCEPTED' AND decided_at >= ? AND decided_at < ?",
  )

  return {
    insert: (row: NewInspectionTask): void => {
      insert.run(row)
    },
    findById: (id: string): InspectionTaskRow | undefined => byId.get(id),
    findByClientId: (staffId: string, clientId: string): InspectionTaskRow | undefined => byClientId.get(staffId, clientId),
    /** One staff member's tasks, in no particular order. */
    listForStaff: (staffId: string): InspectionTaskRow[] => ofStaff.all(staffId),
    /** Every task (console), newest assignment first. */
    listAll: (): InspectionListRow[] => all.all(),
    /** TO_DO → IN_PROGRESS (no change otherwise). */
    start: (id: string): void => {
      start.run(id)
    },
    /** Records the result; false when the task was not open. */
    submit: (id: string, clientId: string, result: InspectionResult, at: string): boolean => submit.run(clientId, JSON.stringify(result), at, id).changes === 1,
    /** The reviewer's decision; false when the task is not SUBMITTED. */
    decide: (id: string, status: 'ACCEPTED' | 'REJECTED', reason: string | null, at: string): boolean => decide.run(status, reason, at, id).changes === 1,
    /** Accepted tasks of a staff member decided in [from, to) (ISO times). */
    countAccepted: (staffId: string, from: string, to: string): number => accepted.get(staffId, from, to)?.n ?? 0,
  }
}

export type InspectionRepo = ReturnType<typeof createInspectionRepo>

export function resultOf(t: Pick<InspectionTaskRow, 'result_json'>): InspectionResult | null {
  return t.result_json ? (JSON.parse(t.result_json) as InspectionResult) : null
}
