import type { Db } from '../db'
import type { AssociationStatus, Locale } from '../../../packages/contract/api'

export interface StaffRow {
  id: string
  name: string
  phone_e164: string
  iso_id: string | null
  association_status: AssociationStatus
  test_account_email: string | null
  created_at: string
  /** Who the staff member is in DingTalk; null for the seeded demo staff. */
  dingtalk_corp_id: string | null
  dingtalk_user_id: string | null
  /** JSON array of the DingTalk department ids last seen. */
  dingtalk_dept_ids: string | null
  /** The working language the app last reported; null: not yet (English). */
  locale: Locale | null
}

export interface StaffWithIsoRow extends StaffRow {
  iso_name: string | null
}

export interface NewDingTalkStaff {
  id: string
  name: string
  phoneE164: string
  corpId: string
  userId: string
  deptIds: number[]
  locale: Locale | null
  createdAt: string
}

export function createStaffRepo(db: Db) {
  const byId = db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE id = ?')
  const byDingTalk = db.prepare<[string, string], StaffRow>('SELECT * FROM staff WHERE dingtalk_corp_id = ? AND dingtalk_user_id = ?')
  const all = db.prepare<[], StaffWithIsoRow>(`SELECT s.*, i.name AS iso_name FROM staff s LEFT JOIN isos i ON i.id = s.iso_id ORDER BY s.name, s.id`)
  const setAssociation = db.prepare<[AssociationStatus, string | null, string]>('UPDATE staff SET association_status = ?, iso_id = ? WHERE id = ?')
  const insertDingTalk = db.prepare<[string, string, string, string, string, string, string | null, string]>(
    `INSERT INTO staff (id, name, phone_e164, dingtalk_corp_id, dingtalk_user_id, dingtalk_dept_ids, locale, created_at, association_status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'none')`,
  )
  const updateDingTalk = db.prepare<[string, string, string, string]>('UPDATE staff SET name = ?, phone_e164 = ?, dingtalk_dept_ids = ? WHERE id = ?')
  const setDepts = db.prepare<[string, string]>('UPDATE staff SET dingtalk_dept_ids = ? WHERE id = ?')
  const setLocale = db.prepare<[Locale, string]>('UPDATE staff SET locale = ? WHERE id = ?')

  return {
    findById: (id: string): StaffRow | undefined => byId.get(id),
    /** The staff member provisioned for this member of this DingTalk organisation. */
    findByDingTalk: (corpId: string, userId: string): StaffRow | undefined => byDingTalk.get(corpId, userId),
    listWithIso: (): StaffWithIsoRow[] => all.all(),
    setAssociation: (id: string, status: AssociationStatus, isoId: string | null): void => {
      setAssociation.run(status, isoId, id)
    },
    /** A staff member made from DingTalk's details at their first sign-in (no ISO yet). */
    insertFromDingTalk: (s: NewDingTalkStaff): void => {
      insertDingTalk.run(s.id, s.name, s.phoneE164, s.corpId, s.userId, JSON.stringify(s.deptIds), s.locale, s.createdAt)
    },
    /** DingTalk's name, mobile and departments at a later sign-in. */
    updateFromDingTalk: (id: string, name: string, phoneE164: string, deptIds: number[]): void => {
      updateDingTalk.run(name, phoneE164, JSON.stringify(deptIds), id)
    },
    setDepartments: (id: string, deptIds: number[]): void => {
      setDepts.run(JSON.stringify(deptIds), id)
    },
    setLocale: (id: string, locale: Locale): void => {
      setLocale.run(locale, id)
    },
  }
}

export type StaffRepo = ReturnType<typeof createStaffRepo>
