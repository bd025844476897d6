/**
 * The Org invitation (spec "After the ISO approves the association request, the staff members tap Org
 * invitation in the DingTalk app to join Alipay Partners"): when an ISO approves a request, an invitation is
 * written to a durable queue in the approval's transaction; a sender then asks DingTalk whether the mobile
 * belongs to a member (topapi/v2/user/getbymobile), adds that member to the ISO's department (user/update with
 * dept_id_list) or creates the member in it (topapi/v2/user/create), so that DingTalk sends the invitation.
 *
 * A DingTalk outage or frequency limit is tried again by itself with a growing pause; the app's permissions
 * (which only the operator can fix) are tried again every hour; what DingTalk refuses for this number (used
 * by another member, not a number DingTalk takes, no such department) waits for the ISO reviewer, who sees
 * what to do in the console and tries again. Nothing is dropped: every approved request keeps its row.
 */
import { AsyncResource } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { Clock } from '../clock'
import type { Db } from '../db'
import { DingTalkError, dingTalkMobile, type DingTalkPort } from '../dingtalk/port'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import type { AssociationRequestRow } from '../repo/association-requests'
import type { OrgInvitationProblem, OrgInvitationRow } from '../repo/org-invitations'
import { retryDelayMs } from '../notifications/service'

export type OrgInvitationLog = (level: 'info' | 'warn' | 'error', event: Record<string, unknown>, message: string) => void

export interface OrgInvitationDeps {
  db: Db
  repos: Repos
  clock: Clock
  dingtalk: DingTalkPort | null
  log?: OrgInvitationLog
  /** Send soon after each approval and every `pollMs` (default true). Tests drive dispatchDue() themselves. */
  autoDispatch?: boolean
  pollMs?: number
}

const LEASE_MS = 60_000
/** Outage retries before the invitation waits for someone (about two hours of pauses, as the notifications). */
export const MAX_OUTAGE_ATTEMPTS = 8
/** The app's permissions: tried again every hour until the operator fixes them. */
const PERMISSION_RETRY_MS = 60 * 60_000
const BATCH = 10

/** errcodes that say the number is someone else's in the organisation (0013-server-api-error-codes-1.md). */
const MOBILE_TAKEN = new Set([60104, 40022])
const MOBILE_INVALID = new Set([40104, 60103])
const DEPARTMENT_MISSING = new Set([60003])

/** What the ISO reviewer is told to do about a problem (the console shows it beside the invitation). */
export const PROBLEM_ADVICE: Record<OrgInvitationProblem, string> = {
  mobile_taken:
    'DingTalk has this mobile number for another member of the organisation. Ask the staff member which DingTalk account uses it (or ask your DingTalk administrator to free the number), then try again.',
  mobile_invalid: 'DingTalk does not accept this mobile number. Check it with the staff member; if it is wrong, reject the next request with the reason.',
  department_missing:
    'The ISO’s DingTalk department does not exist in the organisation. Ask the administrator to set the right department ID for the ISO, then try again.',
  no_permission:
    'The app is missing a DingTalk permission (contacts: read members by mobile, manage the address book) or the server’s address is not on its allow-list. The operator must fix this in the DingTalk developer console; the server tries again every hour.',
  unavailable: 'DingTalk did not answer. The server keeps trying by itself; nothing to do unless this lasts.',
  refused: 'DingTalk refused the invitation. Check the staff member’s name and mobile number, then try again; the server log has DingTalk’s answer.',
  no_department: 'The ISO has no DingTalk department yet. Ask the administrator to set it, then try again.',
  no_dingtalk: 'DingTalk is not configured on this server (development mode): no invitation was sent.',
}

function problemOf(error: unknown): { problem: OrgInvitationProblem; errcode: number | null } {
  if (!(error instanceof DingTalkError)) return { problem: 'unavailable', errcode: null }
  const code = error.errcode
  if (code !== null && MOBILE_TAKEN.has(code)) return { problem: 'mobile_taken', errcode: code }
  if (code !== null && MOBILE_INVALID.has(code)) return { problem: 'mobile_invalid', errcode: code }
  if (code !== null && DEPARTMENT_MISSING.has(code)) return { problem: 'department_missing', errcode: code }
  switch (error.kind) {
    case 'unavailable':
    case 'rate-limited':
      return { problem: 'unavailable', errcode: code }
    case 'misconfigured':
      return { problem: 'no_permission', errcode: code }
    default:
      return { problem: 'refused', errcode: code }
  }
}

/** The mobile in DingTalk's `+cc-number` form, or null (not a number libphonenumber-js can read). */
function mobileForDingTalk(e164: string): string | null {
  const parsed = parsePhoneNumberFromString(e164)
  return parsed ? dingTalkMobile(parsed.number, String(parsed.countryCallingCode)) : null
}

export function createOrgInvitationService({ db, repos, clock, dingtalk, log = () => undefined, autoDispatch = true, pollMs = 5000 }: OrgInvitationDeps) {
  const outside = new AsyncResource('posm-org-invitations')
  let running: Promise<number> | null = null
  let again = false
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  const iso = (ms: number) => new Date(ms).toISOString()

  /** One attempt: DingTalk is asked, the row records the outcome. */
  async function attempt(row: OrgInvitationRow): Promise<'ok' | 'pause'> {
    const now = clock.now().getTime()
    if (!(await repos.orgInvitations.claim(row.id, iso(now), iso(now + LEASE_MS)))) return 'ok'
    const attempts = row.attempts + 1
    if (!dingtalk || row.dept_id === null) {
      await repos.orgInvitations.markAttention(row.id, dingtalk ? 'no_department' : 'no_dingtalk', null)
      return 'ok'
    }
    const mobile = mobileForDingTalk(row.mobile_e164)
    if (!mobile) {
      await repos.orgInvitations.markAttention(row.id, 'mobile_invalid', null)
      return 'ok'
    }
    try {
      const existing = await dingtalk.userIdByMobile(mobile)
      if (existing) {
        const member = await dingtalk.user(existing)
        if (member.departmentIds.includes(row.dept_id)) {
          await repos.orgInvitations.markDone(row.id, clock.now().toISOString(), 'existing', existing)
        } else {
          // update replaces the member's departments: keep the ones they are in
          await dingtalk.setDepartments(existing, [...member.departmentIds, row.dept_id])
          await repos.orgInvitations.markDone(row.id, clock.now().toISOString(), 'added', existing)
        }
      } else {
        const created = await dingtalk.createUser({ name: row.name, mobile, deptIds: [row.dept_id] })
        await repos.orgInvitations.markDone(
          row.id,
          clock.now().toISOString(),
          created === 'consent' ? 'consent' : 'created',
          created === 'consent' ? null : created.userId,
        )
      }
      log('info', { orgInvitation: row.id, request: row.request_id }, 'Org invitation taken by DingTalk')
      return 'ok'
    } catch (error) {
      const { problem, errcode } = problemOf(error)
      const at = clock.now().getTime()
      if (problem === 'unavailable' && attempts < MAX_OUTAGE_ATTEMPTS) {
        await repos.orgInvitations.reschedule(row.id, iso(at + retryDelayMs(attempts)), problem, errcode)
        log('warn', { orgInvitation: row.id, attempts, errcode }, 'Org invitation not sent yet: DingTalk did not answer; trying again later')
        return 'pause'
      }
      if (problem === 'no_permission') {
        await repos.orgInvitations.reschedule(row.id, iso(at + PERMISSION_RETRY_MS), problem, errcode)
        log('error', { orgInvitation: row.id, attempts, errcode }, 'Org invitation refused: the DingTalk app lacks a permission; trying again in an hour')
        return 'ok'
      }
      await repos.orgInvitations.markAttention(row.id, problem, errcode)
      log('warn', { orgInvitation: row.id, attempts, errcode, problem }, 'Org invitation waits for the ISO reviewer')
      return 'ok'
    }
  }

  async function runOnce(): Promise<number> {
    let handled = 0
    while (!stopped) {
      const due = await repos.orgInvitations.due(clock.now().toISOString(), BATCH)
      if (due.length === 0) break
      let paused = false
      for (const row of due) {
        handled++
        if ((await attempt(row)) === 'pause') {
          paused = true
          break
        }
      }
      if (paused) break
    }
    return handled
  }

  /** Works through what is due (one run at a time in this process). Answers how many were attempted. */
  function dispatchDue(): Promise<number> {
    if (running) {
      again = true
      return running
    }
    running = outside
      .runInAsyncScope(async () => {
        let total = 0
        do {
          again = false
          total += await runOnce()
        } while (again && !stopped)
        return total
      })
      .finally(() => {
        running = null
      })
    return running
  }

  function kick(): void {
    if (!autoDispatch || !dingtalk || stopped) return
    outside.runInAsyncScope(() =>
      setImmediate(() => {
        if (stopped) return
        // write transactions are serialised: an empty one begins only after the caller's has committed
        db.transaction(async () => undefined)
          .then(() => (stopped ? undefined : dispatchDue()))
          .catch((error: unknown) => log('error', { err: error }, 'Org invitations could not be dispatched'))
      }),
    )
  }

  return {
    /**
     * Writes the invitation of an approved request (call it inside the approval's transaction). Without DingTalk
     * or without the ISO's department it is recorded as skipped, with the reason, for the console.
     */
    async enqueue(request: AssociationRequestRow, deptId: number | null): Promise<void> {
      if (!request.iso_id) return
      const problem: OrgInvitationProblem | null = !dingtalk ? 'no_dingtalk' : deptId === null ? 'no_department' : null
      const inserted = await repos.orgInvitations.insert({
        id: `inv-${randomUUID()}`,
        requestId: request.id,
        staffId: request.staff_id,
        isoId: request.iso_id,
        deptId,
        name: request.name,
        mobileE164: request.phone_e164,
        status: problem ? 'SKIPPED' : 'PENDING',
        problem,
        createdAt: clock.now().toISOString(),
      })
      if (inserted && !problem) kick()
    },

    /**
     * The ISO reviewer's "Try again": an invitation that waits for someone goes back in the queue now, with the
     * ISO's department as it is now. Audited. false when it was not waiting.
     */
    retry: (actor: Actor, id: string): Promise<boolean> =>
      db
        .transaction(async () => {
          const row = await repos.orgInvitations.findById(id)
          if (!row) return false
          const isoRow = await repos.isos.findById(row.iso_id)
          const deptId = isoRow?.dingtalk_dept_id ?? null
          const at = clock.now().toISOString()
          if (!(await repos.orgInvitations.requeue(id, at, deptId))) return false
          await repos.audit.append(actor, at, {
            action: 'org_invitation.retry',
            subjectType: 'association_request',
            subjectId: row.request_id,
            isoId: row.iso_id,
            before: { status: row.status, problem: row.problem },
            after: { status: 'PENDING', deptId },
          })
          return true
        })
        .then((ok) => {
          if (ok) kick()
          return ok
        }),

    dispatchDue,

    start(): void {
      if (!autoDispatch || !dingtalk || timer) return
      timer = setInterval(() => {
        dispatchDue().catch((error: unknown) => log('error', { err: error }, 'Org invitations could not be dispatched'))
      }, pollMs)
      timer.unref()
      kick()
    },

    async stop(): Promise<void> {
      stopped = true
      if (timer) clearInterval(timer)
      timer = null
      await running?.catch(() => undefined)
    },
  }
}

export type OrgInvitationService = ReturnType<typeof createOrgInvitationService>
