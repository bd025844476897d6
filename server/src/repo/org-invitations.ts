import type { Db } from '../db'

export type OrgInvitationStatus = 'PENDING' | 'SENDING' | 'DONE' | 'ATTENTION' | 'SKIPPED'

/** How DingTalk took the invitation (DONE). */
export type OrgInvitationOutcome = 'existing' | 'added' | 'created' | 'consent'

/**
 * Why an attempt failed, as the ISO reviewer is told what to do:
 * - mobile_taken: DingTalk has the number for another member of the organisation (60104, 40022)
 * - mobile_invalid: DingTalk does not take the number (40104, 60103)
 * - department_missing: the ISO's DingTalk department does not exist (60003)
 * - no_permission: the app lacks the contacts permissions, or the server's address is not allowed (60011, 60020, 88, …)
 * - unavailable: DingTalk did not answer, or limited the calls (tried again by itself)
 * - refused: any other answer of DingTalk
 * - no_department: the ISO has no DingTalk department set (SKIPPED until it has one, then tried again)
 * - no_dingtalk: DingTalk is not configured on this server (SKIPPED)
 */
export type OrgInvitationProblem =
  'mobile_taken' | 'mobile_invalid' | 'department_missing' | 'no_permission' | 'unavailable' | 'refused' | 'no_department' | 'no_dingtalk'

export interface OrgInvitationRow {
  id: string
  request_id: string
  staff_id: string
  iso_id: string
  dept_id: number | null
  name: string
  mobile_e164: string
  status: OrgInvitationStatus
  outcome: OrgInvitationOutcome | null
  dingtalk_user_id: string | null
  attempts: number
  next_attempt_at: string
  lease_until: string | null
  problem: OrgInvitationProblem | null
  errcode: number | null
  created_at: string
  done_at: string | null
}

export interface NewOrgInvitation {
  id: string
  requestId: string
  staffId: string
  isoId: string
  deptId: number | null
  name: string
  mobileE164: string
  status: 'PENDING' | 'SKIPPED'
  problem: OrgInvitationProblem | null
  createdAt: string
}

// PostgreSQL answers BIGINT as a string: read it back as a number
const num = (row: OrgInvitationRow | undefined): OrgInvitationRow | undefined =>
  row && {
    ...row,
    dept_id: row.dept_id === null ? null : Number(row.dept_id),
    attempts: Number(row.attempts),
    errcode: row.errcode === null ? null : Number(row.errcode),
  }

/** The durable queue of Org invitations (one per approved association request). */
export function createOrgInvitationRepo(db: Db) {
  return {
    /** false when the request has one already. */
    insert: async (n: NewOrgInvitation): Promise<boolean> =>
      (
        await db.run(
          `INSERT INTO org_invitations (id, request_id, staff_id, iso_id, dept_id, name, mobile_e164, status, next_attempt_at, problem, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          [n.id, n.requestId, n.staffId, n.isoId, n.deptId, n.name, n.mobileE164, n.status, n.createdAt, n.problem, n.createdAt],
        )
      ).changes === 1,
    findById: async (id: string): Promise<OrgInvitationRow | undefined> =>
      num(await db.get<OrgInvitationRow>('SELECT * FROM org_invitations WHERE id = ?', [id])),
    findByRequest: async (requestId: string): Promise<OrgInvitationRow | undefined> =>
      num(await db.get<OrgInvitationRow>('SELECT * FROM org_invitations WHERE request_id = ?', [requestId])),
    /** Waiting and due, or claimed by a sender whose lease ran out. */
    due: async (now: string, limit: number): Promise<OrgInvitationRow[]> =>
      (
        await db.all<OrgInvitationRow>(
          `SELECT * FROM org_invitations WHERE (status = 'PENDING' AND next_attempt_at <= ?) OR (status = 'SENDING' AND lease_until < ?)
           ORDER BY next_attempt_at, created_at, id LIMIT ?`,
          [now, now, limit],
        )
      ).map((r) => num(r) as OrgInvitationRow),
    /** The newest of these ISOs' (null: every ISO's), for the console. */
    newest: async (isoIds: string[] | null, limit: number): Promise<OrgInvitationRow[]> => {
      const rows = await db.all<OrgInvitationRow>('SELECT * FROM org_invitations ORDER BY created_at DESC, id DESC LIMIT ?', [isoIds ? 2000 : limit])
      return rows
        .filter((r) => isoIds === null || isoIds.includes(r.iso_id))
        .slice(0, limit)
        .map((r) => num(r) as OrgInvitationRow)
    },
    /** Takes the invitation for one sender until `leaseUntil`; false when another sender has it. */
    claim: async (id: string, now: string, leaseUntil: string): Promise<boolean> =>
      (
        await db.run(
          `UPDATE org_invitations SET status = 'SENDING', lease_until = ?, attempts = attempts + 1
           WHERE id = ? AND (status = 'PENDING' OR (status = 'SENDING' AND lease_until < ?)) AND next_attempt_at <= ?`,
          [leaseUntil, id, now, now],
        )
      ).changes === 1,
    markDone: async (id: string, at: string, outcome: OrgInvitationOutcome, userId: string | null): Promise<void> => {
      await db.run(
        `UPDATE org_invitations SET status = 'DONE', outcome = ?, dingtalk_user_id = ?, done_at = ?, lease_until = NULL, problem = NULL, errcode = NULL
         WHERE id = ? AND status = 'SENDING'`,
        [outcome, userId, at, id],
      )
    },
    /** Tried again at `nextAttemptAt` (the problem stays visible until then). */
    reschedule: async (id: string, nextAttemptAt: string, problem: OrgInvitationProblem, errcode: number | null): Promise<void> => {
      await db.run(
        `UPDATE org_invitations SET status = 'PENDING', next_attempt_at = ?, problem = ?, errcode = ?, lease_until = NULL WHERE id = ? AND status = 'SENDING'`,
        [nextAttemptAt, problem, errcode, id],
      )
    },
    /** Waits for someone to act (the ISO reviewer's "Try again"). */
    markAttention: async (id: string, problem: OrgInvitationProblem, errcode: number | null): Promise<void> => {
      await db.run(`UPDATE org_invitations SET status = 'ATTENTION', problem = ?, errcode = ?, lease_until = NULL WHERE id = ? AND status = 'SENDING'`, [
        problem,
        errcode,
        id,
      ])
    },
    /** Back in the queue now (a reviewer asked to try again); false unless it waited for someone or was skipped. */
    requeue: async (id: string, now: string, deptId: number | null): Promise<boolean> =>
      (
        await db.run(
          `UPDATE org_invitations SET status = 'PENDING', next_attempt_at = ?, attempts = 0, dept_id = ?, lease_until = NULL
           WHERE id = ? AND status IN ('ATTENTION', 'SKIPPED')`,
          [now, deptId, id],
        )
      ).changes === 1,
  }
}

export type OrgInvitationRepo = ReturnType<typeof createOrgInvitationRepo>
