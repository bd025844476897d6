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
  const byId = db.prepare<[string], IsoRow>('SELECT * FROM isos WHERE id = ?')
  // `email` is declared COLLATE NOCASE, so this comparison ignores case.
  const byEmail = db.prepare<[string], IsoRow>('SELECT * FROM isos WHERE email = ?')
  const all = db.prepare<[], IsoRow>('SELECT * FROM isos ORDER BY name')
  const setSettings = db.prepare<[DeploymentMethod, number, string]>('UPDATE isos SET deployment_method = ?, max_spots_per_store = ? WHERE id = ?')
  const setDept = db.prepare<[number | null, string]>('UPDATE isos SET dingtalk_dept_id = ? WHERE id = ?')
  const byDept = db.prepare<[number], IsoRow>('SELECT * FROM isos WHERE dingtalk_dept_id = ?')

  return {
    findById: (id: string): IsoRow | undefined => byId.get(id),
    findByEmail: (email: string): IsoRow | undefined => byEmail.get(email.trim()),
    list: (): IsoRow[] => all.all(),
    /** The deployment method and the spot limit; false when there is no such ISO. */
    setSettings: (id: string, method: DeploymentMethod, maxSpotsPerStore: number): boolean => setSettings.run(method, maxSpotsPerStore, id).changes === 1,
    /** Returns false when there is no such ISO (a department used by another ISO throws: unique). */
    setDingTalkDepartment: (id: string, deptId: number | null): boolean => setDept.run(deptId, id).changes === 1,
    /** The ISOs whose DingTalk department is one of these. */
    findByDingTalkDepartments: (deptIds: number[]): IsoRow[] => deptIds.flatMap((d) => byDept.all(d)),
  }
}

export type IsoRepo = ReturnType<typeof createIsoRepo>
