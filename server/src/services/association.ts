import { randomUUID } from 'node:crypto'
import type { AssociationState } from '../../../packages/contract/api'
import { toE164 } from '../../../packages/contract/rules/phone'
import type { Clock } from '../clock'
import type { Db } from '../db'
import { apiErrorFromDingTalk } from '../dingtalk/errors'
import { DingTalkError, type DingTalkPort } from '../dingtalk/port'
import { ApiError } from '../errors'
import type { NotificationService } from '../notifications/service'
import type { OrgInvitationService } from './org-invitations'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import type { AssociationRequestRow, PhoneCheck } from '../repo/association-requests'
import type { StaffRow } from '../repo/staff'
import { associationState } from '../views'

export interface AssociationServiceDeps {
  db: Db
  repos: Repos
  clock: Clock
  notifications: NotificationService
  /** The Org invitation of each approved request (durable queue). */
  orgInvitations: OrgInvitationService
  /** null: DingTalk is not configured (development): joining takes the staff member's word. */
  dingtalk: DingTalkPort | null
  /** Development mode. */
  dev: boolean
}

/** A request as validated by AssociationRequestSchema (trimmed). */
export interface AssociationRequestFields {
  isoEmail: string
  name: string
  phone: string
  /** The ISO of the QR code scanned, when one was. */
  isoId?: string
}

/**
 * The Phone No. of a request against the mobile DingTalk gave at sign-in, both in E.164: 'matched', or
 * 'not_compared' when DingTalk gave none; a different number is refused (422, field phone PHONE_NOT_DINGTALK).
 */
export function checkPhone(typedE164: string, dingtalkMobile: string | null): PhoneCheck | 'mismatch' {
  if (!dingtalkMobile) return 'not_compared'
  return toE164(typedE164) === toE164(dingtalkMobile) ? 'matched' : 'mismatch'
}

export type Decision = { status: 'approved' } | { status: 'rejected'; reason: string }

export type DecisionResult =
  | { ok: true; request: AssociationRequestRow }
  | { ok: false; problem: 'not_found' }
  | { ok: false; problem: 'already_decided' | 'iso_missing'; request: AssociationRequestRow }

/**
 * Association of a staff member with their ISO (spec "Associate ISO"). Every change runs in a write
 * transaction that re-reads the state it depends on, so a double submission cannot slip through.
 */
export function createAssociationService({ db, repos, clock, notifications, orgInvitations, dingtalk, dev }: AssociationServiceDeps) {
  async function requireStaff(staffId: string): Promise<StaffRow> {
    const staff = await repos.staff.findById(staffId)
    if (!staff) throw new ApiError(401, 'UNAUTHORIZED', 'Unknown staff member; sign in again.')
    return staff
  }

  /** Records the ISO's decision on a pending request. */
  async function decide(actor: Actor, requestId: string, decision: Decision): Promise<DecisionResult> {
    const request = await repos.requests.findById(requestId)
    if (!request) return { ok: false, problem: 'not_found' }
    if (request.status !== 'pending') return { ok: false, problem: 'already_decided', request }
    if (decision.status === 'approved' && !request.iso_id) return { ok: false, problem: 'iso_missing', request }
    const reason = decision.status === 'rejected' ? decision.reason : null
    const at = clock.now().toISOString()
    await repos.requests.decide(requestId, decision.status, reason, at)
    await repos.staff.setAssociation(request.staff_id, decision.status, decision.status === 'approved' ? request.iso_id : null)
    await repos.audit.append(actor, at, {
      action: decision.status === 'approved' ? 'association.approve' : 'association.reject',
      subjectType: 'association_request',
      subjectId: requestId,
      isoId: request.iso_id,
      before: { status: request.status, staff: request.staff_id },
      after: { status: decision.status },
      reason,
    })
    if (decision.status === 'approved') {
      // the Org invitation: DingTalk is asked once this transaction has committed, from the durable queue
      const isoRow = await repos.isos.findById(request.iso_id as string)
      await orgInvitations.enqueue(request, isoRow?.dingtalk_dept_id ?? null)
    }
    const iso = request.iso_name ?? request.iso_email
    await notifications.enqueue(
      `association:${requestId}`,
      request.staff_id,
      decision.status === 'approved'
        ? { kind: 'ASSOCIATION_APPROVED', params: { iso } }
        : { kind: 'ASSOCIATION_REJECTED', params: { iso, reason: decision.reason } },
    )
    return { ok: true, request: (await repos.requests.findById(requestId)) as AssociationRequestRow }
  }

  /**
   * The staff member's standing in DingTalk: the ISO's department lists them (the ISO added them, or they
   * accepted the Org invitation after an approval). Called at each DingTalk sign-in, inside its transaction:
   * a staff member who was invited or approved, or who has no ISO yet, and whom the department of an ISO
   * lists, is associated with that ISO. A pending request is left to the ISO's decision.
   */
  async function applyDepartments(staffId: string, deptIds: number[]): Promise<void> {
    const staff = await requireStaff(staffId)
    await repos.staff.setDepartments(staffId, deptIds)
    const status = staff.association_status
    if (status === 'invited' || status === 'approved') {
      const iso = staff.iso_id ? await repos.isos.findById(staff.iso_id) : undefined
      if (iso?.dingtalk_dept_id != null && deptIds.includes(iso.dingtalk_dept_id)) await repos.staff.setAssociation(staffId, 'associated', iso.id)
    } else if (status === 'none' || status === 'rejected') {
      const [iso] = await repos.isos.findByDingTalkDepartments(deptIds)
      if (iso) await repos.staff.setAssociation(staffId, 'associated', iso.id)
    }
  }

  /**
   * Asks DingTalk whether the staff member has joined: DingTalk must know them, and list them in their ISO's
   * department when the ISO has one. Answers the departments seen (null when nothing could be asked: a
   * staff member without a DingTalk account in development mode, whose word is taken).
   */
  async function membership(staff: StaffRow): Promise<number[] | null> {
    if (!dingtalk || !staff.dingtalk_user_id) {
      if (dev) return null
      throw new ApiError(409, 'NOT_IN_ORGANIZATION', 'This staff member has no DingTalk account the server could ask about.')
    }
    let deptIds: number[]
    try {
      deptIds = (await dingtalk.user(staff.dingtalk_user_id)).departmentIds
    } catch (error) {
      if (error instanceof DingTalkError && error.kind === 'user-not-found') {
        throw new ApiError(409, 'NOT_IN_ORGANIZATION', 'DingTalk does not list this staff member in the organisation yet.')
      }
      throw apiErrorFromDingTalk(error)
    }
    await repos.staff.setDepartments(staff.id, deptIds)
    const iso = staff.iso_id ? await repos.isos.findById(staff.iso_id) : undefined
    if (iso?.dingtalk_dept_id != null && !deptIds.includes(iso.dingtalk_dept_id)) {
      throw new ApiError(409, 'NOT_IN_ORGANIZATION', `DingTalk does not list this staff member in the department of ${iso.name} yet.`)
    }
    return deptIds
  }

  /** Joined, unless the state changed while DingTalk was asked (the same ISO, still approved or invited). */
  const joinTx = (staffId: string, isoId: string | null): Promise<AssociationState> =>
    db.transaction(async () => {
      const staff = await requireStaff(staffId)
      if ((staff.association_status === 'approved' || staff.association_status === 'invited') && staff.iso_id === isoId) {
        await repos.staff.setAssociation(staffId, 'associated', staff.iso_id)
      } else if (staff.association_status !== 'associated') {
        throw new ApiError(409, 'NOT_APPROVED', 'Join after the ISO has approved your request or invited you.')
      }
      return associationState(repos, await requireStaff(staffId))
    })

  return {
    async state(staffId: string): Promise<AssociationState> {
      return associationState(repos, await requireStaff(staffId))
    },

    /** The staff member scanned the ISO's QR code and sends ISO email, name and phone for review. */
    submitRequest: (staffId: string, input: AssociationRequestFields): Promise<AssociationState> =>
      db.transaction(async () => {
        const staff = await requireStaff(staffId)
        switch (staff.association_status) {
          case 'pending':
            throw new ApiError(409, 'REQUEST_PENDING', 'A request is already awaiting the ISO’s review.')
          case 'approved':
          case 'associated':
            throw new ApiError(409, 'ALREADY_ASSOCIATED', 'This staff member is already associated with an ISO.')
          default:
            break
        }
        const scanned = input.isoId === undefined ? undefined : await repos.isos.findById(input.isoId)
        if (input.isoId !== undefined && !scanned) {
          throw new ApiError(422, 'ISO_UNKNOWN', 'The ISO of the QR code scanned does not exist (any more).', { isoEmail: 'ISO_UNKNOWN' })
        }
        const iso = await repos.isos.findByEmail(input.isoEmail)
        if (scanned && iso?.id !== scanned.id) {
          throw new ApiError(422, 'ISO_EMAIL_MISMATCH', `The QR code scanned is ${scanned.name}'s; type the ISO Email of ${scanned.name}.`, {
            isoEmail: 'ISO_EMAIL_MISMATCH',
          })
        }
        if (!iso) {
          throw new ApiError(422, 'ISO_UNKNOWN', 'No ISO signs in with this email.', { isoEmail: 'ISO_UNKNOWN' })
        }
        const phoneCheck = checkPhone(input.phone, staff.dingtalk_mobile)
        if (phoneCheck === 'mismatch') {
          throw new ApiError(422, 'PHONE_NOT_DINGTALK', 'The Phone No. is not the mobile number this staff member logs in to DingTalk with.', {
            phone: 'PHONE_NOT_DINGTALK',
          })
        }
        await repos.requests.insert({
          id: `req-${randomUUID()}`,
          staffId,
          isoId: iso.id,
          isoEmail: input.isoEmail,
          name: input.name,
          phoneE164: toE164(input.phone),
          phoneCheck,
          createdAt: clock.now().toISOString(),
        })
        // Until the ISO decides, the staff member belongs to no ISO (an earlier invitation is superseded).
        await repos.staff.setAssociation(staffId, 'pending', null)
        return associationState(repos, await requireStaff(staffId))
      }),

    /**
     * ISO platform (console): approve (the staff member may then accept the Org invitation in DingTalk) or
     * reject with a reason the staff member sees (they may then send a corrected request).
     */
    decide: (actor: Actor, requestId: string, decision: Decision): Promise<DecisionResult> => db.transaction(() => decide(actor, requestId, decision)),

    /**
     * The departments DingTalk lists the staff member in (see applyDepartments above), in a write transaction
     * (the caller's, when called inside one).
     */
    applyDepartments: (staffId: string, deptIds: number[]): Promise<void> => db.transaction(() => applyDepartments(staffId, deptIds)),

    /**
     * Check again (the home page on show, at most once a minute, and the association page's button): DingTalk
     * is asked for the staff member's departments, as at sign-in (applyDepartments), without signing out. A
     * staff member who is not yet in the organisation, or whom DingTalk cannot be asked about (development),
     * keeps their state; DingTalk not answering is an error (503 DINGTALK_UNAVAILABLE) the app shows.
     */
    async check(staffId: string): Promise<AssociationState> {
      const staff = await requireStaff(staffId)
      if (staff.association_status === 'associated' || !dingtalk || !staff.dingtalk_user_id) return associationState(repos, staff)
      let deptIds: number[]
      try {
        deptIds = (await dingtalk.user(staff.dingtalk_user_id)).departmentIds
      } catch (error) {
        if (error instanceof DingTalkError && error.kind === 'user-not-found') return associationState(repos, staff)
        throw apiErrorFromDingTalk(error)
      }
      await db.transaction(() => applyDepartments(staffId, deptIds))
      return associationState(repos, await requireStaff(staffId))
    },

    /** The ISO a scanned QR code names: its id and name (404 when there is none). */
    async isoOfQr(isoId: string): Promise<{ id: string; name: string }> {
      const iso = await repos.isos.findById(isoId)
      if (!iso) throw new ApiError(404, 'ISO_UNKNOWN', 'No ISO has this QR code.')
      return { id: iso.id, name: iso.name }
    },

    /**
     * "I have joined Alipay Partners": DingTalk is asked whether the staff member is now in the organisation
     * (in their ISO's department); if not yet, 409 NOT_IN_ORGANIZATION and nothing changes. Idempotent for a
     * staff member who is already associated.
     */
    async join(staffId: string): Promise<AssociationState> {
      const staff = await requireStaff(staffId)
      if (staff.association_status === 'associated') return associationState(repos, staff)
      if (staff.association_status !== 'approved' && staff.association_status !== 'invited') {
        throw new ApiError(409, 'NOT_APPROVED', 'Join after the ISO has approved your request or invited you.')
      }
      await membership(staff)
      return joinTx(staffId, staff.iso_id)
    },
  }
}

export type AssociationService = ReturnType<typeof createAssociationService>
