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
