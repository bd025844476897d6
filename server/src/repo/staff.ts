import type { Db } from '../db'
import type { AssociationStatus } from '../../../types/api'

export interface StaffRow {
  id: string
  name: string
  phone_e164: string
  iso_id: string | null
  association_status: AssociationStatus
  test_account_email: string | null
  created_at: string
}

export interface StaffWithIsoRow extends StaffRow {
  iso_name: string | null
}

export function createStaffRepo(db: Db) {
  const byId = db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE id = ?')
  const all = db.prepare<[], StaffWithIsoRow>(
    `SELECT s.*, i.name AS iso_name FROM staff s LEFT JOIN isos i ON i.id = s.iso_id ORDER BY s.name, s.id`,
  )
  const setAssociation = db.prepare<[AssociationStatus, string | null, string]>(
    'UPDATE staff SET association_status = ?, iso_id = ? WHERE id = ?',
  )

  return {
    findById: (id: string): StaffRow | undefined => byId.get(id),
    listWithIso: (): StaffWithIsoRow[] => all.all(),
    setAssociation: (id: string, status: AssociationStatus, isoId: string | null): void => {
      setAssociation.run(status, isoId, id)
    },
  }
}

export type StaffRepo = ReturnType<typeof createStaffRepo>
