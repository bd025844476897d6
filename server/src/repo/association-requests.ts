import type { Db } from '../db'
import { columns } from './columns'

export type RequestStatus = 'pending' | 'approved' | 'rejected'

/**
 * matched: the Phone No. is the number DingTalk gave at sign-in (E.164); not_compared: DingTalk gave no mobile
 * (the app lacks the permission, or the staff member has no DingTalk account), so the ISO checks it by hand.
 * A number other than DingTalk's is refused at submit and never stored.
 */
export type PhoneCheck = 'matched' | 'not_compared'

export interface AssociationRequestRow {
  id: string
  staff_id: string
  iso_id: string | null
  iso_email: string
  name: string
  phone_e164: string
  status: RequestStatus
  reason: string | null
  created_at: string
  decided_at: string | null
  /** How the Phone No. was compared with the mobile DingTalk knows (see PhoneCheck). */
  phone_check: PhoneCheck
  /** Joined from isos. */
  iso_name: string | null
}

export interface NewAssociationRequest {
  id: string
  staffId: string
  isoId: string | null
  isoEmail: string
  name: string
  phoneE164: string
  phoneCheck: PhoneCheck
  createdAt: string
}

// not `r.*` (see columns)
const REQUEST_COLUMNS = ['id', 'staff_id', 'iso_id', 'iso_email', 'name', 'phone_e164', 'status', 'reason', 'created_at', 'decided_at', 'phone_check']
const SELECT = `SELECT ${columns('r', REQUEST_COLUMNS)}, i.name AS iso_name FROM association_requests r LEFT JOIN isos i ON i.id = r.iso_id`

export function createAssociationRequestRepo(db: Db) {
  return {
    insert: async (r: NewAssociationRequest): Promise<void> => {
      await db.run(
        `INSERT INTO association_requests (id, staff_id, iso_id, iso_email, name, phone_e164, phone_check, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
        [r.id, r.staffId, r.isoId, r.isoEmail, r.name, r.phoneE164, r.phoneCheck, r.createdAt],
      )
    },
    findById: (id: string): Promise<AssociationRequestRow | undefined> => db.get<AssociationRequestRow>(`${SELECT} WHERE r.id = ?`, [id]),
    latestForStaff: (staffId: string): Promise<AssociationRequestRow | undefined> =>
      db.get<AssociationRequestRow>(`${SELECT} WHERE r.staff_id = ? ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1`, [staffId]),
    listPending: (): Promise<AssociationRequestRow[]> => db.all<AssociationRequestRow>(`${SELECT} WHERE r.status = 'pending' ORDER BY r.created_at, r.rowid`),
    // NULLS LAST: SQLite's order for DESC, spelt out for PostgreSQL (whose default is the opposite)
    listRecentlyDecided: (limit = 20): Promise<AssociationRequestRow[]> =>
      db.all<AssociationRequestRow>(`${SELECT} WHERE r.status <> 'pending' ORDER BY r.decided_at DESC NULLS LAST, r.rowid DESC LIMIT ?`, [limit]),
    /** Records the decision; false when the request is no longer pending. */
    decide: async (id: string, status: 'approved' | 'rejected', reason: string | null, decidedAt: string): Promise<boolean> =>
      (
        await db.run(`UPDATE association_requests SET status = ?, reason = ?, decided_at = ? WHERE id = ? AND status = 'pending'`, [
          status,
          reason,
          decidedAt,
          id,
        ])
      ).changes === 1,
  }
}

export type AssociationRequestRepo = ReturnType<typeof createAssociationRequestRepo>
