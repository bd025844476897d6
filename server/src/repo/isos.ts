import type { Db } from '../db'
import type { DeploymentMethod } from '../../../packages/contract/api'
import type { MethodAgreementState } from '../../../packages/contract/rules/method-agreement'

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
  /** The region whose coordinator agrees the deployment method and sets the spot limit. */
  region: string
  /** When `deployment_method` was agreed; null: no method agreed yet (promotions are refused). */
  method_agreed_at: string | null
  /** The proposal under discussion (PROPOSED) or the last declined one (DECLINED). */
  method_proposal: DeploymentMethod | null
  method_proposal_state: 'PROPOSED' | 'DECLINED' | null
  method_proposed_by: string | null
  method_proposed_at: string | null
  method_decline_reason: string | null
  /** The method in force before the last agreed change, and when the change was agreed. */
  method_previous: DeploymentMethod | null
  method_changed_at: string | null
}

/** The agreement of an ISO, as the shared rules read it. */
export function agreementOf(iso: IsoRow): MethodAgreementState {
  return {
    agreedMethod: iso.method_agreed_at ? iso.deployment_method : null,
    proposal: iso.method_proposal,
    proposalState: iso.method_proposal_state,
    declineReason: iso.method_decline_reason,
    previousMethod: iso.method_previous,
    changedAt: iso.method_changed_at,
  }
}

export function createIsoRepo(db: Db) {
  return {
    findById: (id: string): Promise<IsoRow | undefined> => db.get<IsoRow>('SELECT * FROM isos WHERE id = ?', [id]),
    // ignores case on both engines (SQLite: ASCII letters only): SQLite's column is COLLATE NOCASE, PostgreSQL's unique index is on lower(email)
    findByEmail: (email: string): Promise<IsoRow | undefined> => db.get<IsoRow>('SELECT * FROM isos WHERE lower(email) = lower(?)', [email.trim()]),
    list: (): Promise<IsoRow[]> => db.all<IsoRow>('SELECT * FROM isos ORDER BY name'),
    /** The spot limit; false when there is no such ISO. */
    setSpotLimit: async (id: string, maxSpotsPerStore: number): Promise<boolean> =>
      (await db.run('UPDATE isos SET max_spots_per_store = ? WHERE id = ?', [maxSpotsPerStore, id])).changes === 1,
    /** The ISO's reviewer proposes a method (replacing a declined proposal). */
    proposeMethod: async (id: string, method: DeploymentMethod, by: string, at: string): Promise<boolean> =>
      (
        await db.run(
          `UPDATE isos SET method_proposal = ?, method_proposal_state = 'PROPOSED', method_proposed_by = ?, method_proposed_at = ?, method_decline_reason = NULL
           WHERE id = ?`,
          [method, by, at, id],
        )
      ).changes === 1,
    /** The coordinator agrees the proposal: it is the method in force (the one before it is kept for the grace period). */
    agreeMethod: async (id: string, at: string): Promise<boolean> =>
      (
        await db.run(
          `UPDATE isos SET
             method_previous = CASE WHEN method_agreed_at IS NOT NULL AND deployment_method <> method_proposal THEN deployment_method ELSE method_previous END,
             method_changed_at = CASE WHEN method_agreed_at IS NOT NULL AND deployment_method <> method_proposal THEN ? ELSE method_changed_at END,
             deployment_method = method_proposal, method_agreed_at = ?, method_proposal = NULL, method_proposal_state = NULL, method_decline_reason = NULL
           WHERE id = ? AND method_proposal_state = 'PROPOSED'`,
          [at, at, id],
        )
      ).changes === 1,
    declineMethod: async (id: string, reason: string): Promise<boolean> =>
      (
        await db.run(`UPDATE isos SET method_proposal_state = 'DECLINED', method_decline_reason = ? WHERE id = ? AND method_proposal_state = 'PROPOSED'`, [
          reason,
          id,
        ])
      ).changes === 1,
    /** A new ISO, with no deployment method agreed yet (an email or department used by another ISO throws: unique). */
    insert: async (
      iso: Pick<IsoRow, 'id' | 'name' | 'email' | 'deployment_method' | 'timezone' | 'max_spots_per_store' | 'created_at' | 'region' | 'dingtalk_dept_id'>,
    ): Promise<void> => {
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
