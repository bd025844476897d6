import type { Db } from '../db'
import type { AssociationStatus, Locale } from '../../../packages/contract/api'

export interface StaffRow {
  id: string
  name: string
  phone_e164: string
  iso_id: string | null
  association_status: AssociationStatus
  created_at: string
  /** Who the staff member is in DingTalk; null for the seeded demo staff. */
  dingtalk_corp_id: string | null
  dingtalk_user_id: string | null
  /** JSON array of the DingTalk department ids last seen. */
  dingtalk_dept_ids: string | null
  /** The working language the app last reported; null: not yet (English). */
  locale: Locale | null
  /** The mobile number DingTalk gave at the last sign-in, E.164 when valid; null: DingTalk gave none. */
  dingtalk_mobile: string | null
}

export interface StaffWithIsoRow extends StaffRow {
  iso_name: string | null
  /** The test account assigned (test_accounts), if any: its email, whether a password is set, who set it and when. */
  test_account_email: string | null
  test_account_has_password: number | null
  test_account_updated_at: string | null
  test_account_updated_by: string | null
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
  return {
    findById: (id: string): Promise<StaffRow | undefined> => db.get<StaffRow>('SELECT * FROM staff WHERE id = ?', [id]),
    /** The staff member provisioned for this member of this DingTalk organisation. */
    findByDingTalk: (corpId: string, userId: string): Promise<StaffRow | undefined> =>
      db.get<StaffRow>('SELECT * FROM staff WHERE dingtalk_corp_id = ? AND dingtalk_user_id = ?', [corpId, userId]),
    listWithIso: (): Promise<StaffWithIsoRow[]> =>
      db.all<StaffWithIsoRow>(
        `SELECT s.*, i.name AS iso_name, t.email AS test_account_email,
           CASE WHEN t.staff_id IS NULL THEN NULL WHEN t.password_sealed IS NULL THEN 0 ELSE 1 END AS test_account_has_password,
           t.updated_at AS test_account_updated_at, t.updated_by_name AS test_account_updated_by
         FROM staff s LEFT JOIN isos i ON i.id = s.iso_id LEFT JOIN test_accounts t ON t.staff_id = s.id AND t.iso_id = s.iso_id
         ORDER BY s.name, s.id`,
      ),
    setAssociation: async (id: string, status: AssociationStatus, isoId: string | null): Promise<void> => {
      await db.run('UPDATE staff SET association_status = ?, iso_id = ? WHERE id = ?', [status, isoId, id])
    },
    /** A staff member made from DingTalk's details at their first sign-in (no ISO yet). */
    insertFromDingTalk: async (s: NewDingTalkStaff): Promise<void> => {
      await db.run(
        `INSERT INTO staff (id, name, phone_e164, dingtalk_corp_id, dingtalk_user_id, dingtalk_dept_ids, locale, created_at, association_status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'none')`,
        [s.id, s.name, s.phoneE164, s.corpId, s.userId, JSON.stringify(s.deptIds), s.locale, s.createdAt],
      )
    },
    /** DingTalk's name, mobile and departments at a later sign-in. */
    updateFromDingTalk: async (id: string, name: string, phoneE164: string, deptIds: number[]): Promise<void> => {
      await db.run('UPDATE staff SET name = ?, phone_e164 = ?, dingtalk_dept_ids = ? WHERE id = ?', [name, phoneE164, JSON.stringify(deptIds), id])
    },
    /** The mobile DingTalk gave at this sign-in (null: none), which a request's Phone No. must match. */
    setDingTalkMobile: async (id: string, mobile: string | null): Promise<void> => {
      await db.run('UPDATE staff SET dingtalk_mobile = ? WHERE id = ?', [mobile, id])
    },
    setDepartments: async (id: string, deptIds: number[]): Promise<void> => {
      await db.run('UPDATE staff SET dingtalk_dept_ids = ? WHERE id = ?', [JSON.stringify(deptIds), id])
    },
    setLocale: async (id: string, locale: Locale): Promise<void> => {
      await db.run('UPDATE staff SET locale = ? WHERE id = ?', [locale, id])
    },
  }
}

export type StaffRepo = ReturnType<typeof createStaffRepo>
