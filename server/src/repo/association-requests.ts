import type { Db } from '../db'

export type RequestStatus = 'pending' | 'approved' | 'rejected'

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
  createdAt: string
}

const SELECT = `SELECT r.*, i.name AS iso_name FROM association_requests r LEFT JOIN isos i ON i.id = r.iso_id`

export function createAssociationRequestRepo(db: Db) {
  const insert = db.prepare<[string, string, string | null, string, string, string, string]>(
    `INSERT INTO association_requests (id, staff_id, iso_id, iso_email, name, phone_e164, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)`,
  )
  const byId = db.prepare<[string], AssociationRequestRow>(`${SELECT} WHERE r.id = ?`)
  const latest = db.prepare<[string], AssociationRequestRow>(`${SELECT} WHERE r.staff_id = ? ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1`)
  const pending = db.prepare<[], AssociationRequestRow>(`${SELECT} WHERE r.status = 'pending' ORDER BY r.created_at, r.rowid`)
  const decided = db.prepare<[number], AssociationRequestRow>(`${SELECT} WHERE r.status <> 'pending' ORDER BY r.decided_at DESC, r.rowid DESC LIMIT ?`)
  const decide = db.prepare<[RequestStatus, string | null, string, string]>(
    `UPDATE association_requests SET status = ?, reason = ?, decided_at = ? WHERE id = ? AND status = 'pending'`,
  )

  return {
    insert: (r: NewAssociationRequest): void => {
      insert.run(r.id, r.staffId, r.isoId, r.isoEmail, r.name, r.phoneE164, r.createdAt)
    },
    findById: (id: string): AssociationRequestRow | undefined => byId.get(id),
    latestForStaff: (staffId: string): AssociationRequestRow | undefined => latest.get(staffId),
    listPending: (): AssociationRequestRow[] => pending.all(),
    listRecentlyDecided: (limit = 20): AssociationRequestRow[] => decided.all(limit),
    /** Records the decision; false when the request is no longer pending. */
    decide: (id: string, status: 'approved' | 'rejected', reason: string | null, decidedAt: string): boolean =>
      decide.run(status, reason, decidedAt, id).changes === 1,
  }
}

export type AssociationRequestRepo = ReturnType<typeof createAssociationRequestRepo>
