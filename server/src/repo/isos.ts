import type { Db } from '../db'
import type { DeploymentMethod } from '../../../packages/contract/api'

export interface IsoRow {
  id: string
  name: string
  email: string
  deployment_method: DeploymentMethod
  timezone: string
  max_spots_per_store: number
  created_at: string
  /** The ISO's department in the DingTalk organisation (its members are the ISO's staff); null: not set. */
  dingtalk_dept_id: number | null
  /** The region whose coordinator sets the deployment method and spot limit. */
  region: string
}

export function createIsoRepo(db: Db) {
  return {
    findById: (id: string): Promise<IsoRow | undefined> => db.get<IsoRow>('SELECT * FROM isos WHERE id = ?', [id]),
    // ignores case on both engines (SQLite: ASCII letters only): SQLite's column is COLLATE NOCASE, PostgreSQL's unique index is on lower(email)
    findByEmail: (email: string): Promise<IsoRow | undefined> => db.get<IsoRow>('SELECT * FROM isos WHERE lower(email) = lower(?)', [email.trim()]),
    list: (): Promise<IsoRow[]> => db.all<IsoRow>('SELECT * FROM isos ORDER BY name'),
    /** The deployment method and the spot limit; false when there is no such ISO. */
    setSettings: async (id: string, method: DeploymentMethod, maxSpotsPerStore: number): Promise<boolean> =>
      (await db.run('UPDATE isos SET deployment_method = ?, max_spots_per_store = ? WHERE id = ?', [method, maxSpotsPerStore, id])).changes === 1,
    /** A new ISO (an email or department used by another ISO throws: unique). */
    insert: async (iso: Omit<IsoRow, 'dingtalk_dept_id'> & { dingtalk_dept_id: number | null }): Promise<void> => {
      await db.run(
        `INSERT INTO isos (id, name, email, deployment_method, timezone, max_spots_per_store, created_at, dingtalk_dept_id, region)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [iso.id, iso.name, iso.email, iso.deployment_method, iso.timezone, iso.max_spots_per_store, iso.created_at, iso.dingtalk_dept_id, iso.region],
      )
    },
    /** The profile an administrator edits; false when there is no such ISO (an email or department used by another ISO throws: unique). */
    updateProfile: async (
      id: string,
      p: { name: string; email: string; region: string; timezone: string; dingtalkDeptId: number | null; maxSpotsPerStore: number },
    ): Promise<boolean> =>
      (
        await db.run('UPDATE isos SET name = ?, email = ?, region = ?, timezone = ?, dingtalk_dept_id = ?, max_spots_per_store = ? WHERE id = ?', [
          p.name,
          p.email,
          p.region,
          p.timezone,
          p.dingtalkDeptId,
          p.maxSpotsPerStore,
          id,
        ])
      ).changes === 1,
    /** Returns false when there is no such ISO (a department used by another ISO throws: unique). */
    setDingTalkDepartment: async (id: string, deptId: number | null): Promise<boolean> =>
      (await db.run('UPDATE isos SET dingtalk_dept_id = ? WHERE id = ?', [deptId, id])).changes === 1,
    /** The ISOs whose DingTalk department is one of these. */
    findByDingTalkDepartments: async (deptIds: number[]): Promise<IsoRow[]> => {
      const found: IsoRow[] = []
      for (const d of deptIds) found.push(...(await db.all<IsoRow>('SELECT * FROM isos WHERE dingtalk_dept_id = ?', [d])))
      return found
    },
  }
}

export type IsoRepo = ReturnType<typeof createIsoRepo>
