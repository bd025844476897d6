import { randomUUID } from 'node:crypto'
import type { AssociationState } from '../../../types/api'
import { toE164 } from '../../../src/rules/phone'
import type { Clock } from '../clock'
import type { Db } from '../db'
import { ApiError } from '../errors'
import type { Repos } from '../repo'
import type { AssociationRequestRow } from '../repo/association-requests'
import type { StaffRow } from '../repo/staff'
import { associationState } from '../views'

export interface AssociationServiceDeps {
  db: Db
  repos: Repos
  clock: Clock
}

/** A request as validated by AssociationRequestSchema (trimmed). */
export interface AssociationRequestFields {
  isoEmail: string
  name: string
  phone: string
}

export type Decision = { status: 'approved' } | { status: 'rejected'; reason: string }

export type DecisionResult =
  | { ok: true; request: AssociationRequestRow }
  | { ok: false; problem: 'not_found' }
  | { ok: false; problem: 'already_decided' | 'iso_missing'; request: AssociationRequestRow }

/**
 * Association of a staff member with their ISO (spec "Associate ISO"). Every change runs in an IMMEDIATE
 * transaction that re-reads the state it depends on, so a double submission cannot slip through.
 */
export function createAssociationService({ db, repos, clock }: AssociationServiceDeps) {
  function requireStaff(staffId: string): StaffRow {
    const staff = repos.staff.findById(staffId)
    if (!staff) throw new ApiError(401, 'UNAUTHORIZED', 'Unknown staff member; sign in again.')
    return staff
  }

  /** Records the ISO's decision on a pending request. */
  function decide(requestId: string, decision: Decision): DecisionResult {
    const request = repos.requests.findById(requestId)
    if (!request) return { ok: false, problem: 'not_found' }
    if (request.status !== 'pending') return { ok: false, problem: 'already_decided', request }
    if (decision.status === 'approved' && !request.iso_id) return { ok: false, problem: 'iso_missing', request }
    const reason = decision.status === 'rejected' ? decision.reason : null
    repos.requests.decide(requestId, decision.status, reason, clock.now().toISOString())
    repos.staff.setAssociation(request.staff_id, decision.status, decision.status === 'approved' ? request.iso_id : null)
    return { ok: true, request: repos.requests.findById(requestId) as AssociationRequestRow }
  }

  const immediate = <A extends unknown[], R>(fn: (...args: A) => R) => {
    const tx = db.transaction(fn)
    return (...args: A): R => tx.immediate(...args)
  }

  return {
    state(staffId: string): AssociationState {
      return associationState(repos, requireStaff(staffId))
    },

    /** The staff member scanned the ISO's QR code and sends ISO email, name and phone for review. */
    submitRequest: immediate((staffId: string, input: AssociationRequestFields): AssociationState => {
      const staff = requireStaff(staffId)
      switch (staff.association_status) {
        case 'pending':
          throw new ApiError(409, 'REQUEST_PENDING', 'A request is already awaiting the ISO’s review.')
        case 'approved':
        case 'associated':
          throw new ApiError(409, 'ALREADY_ASSOCIATED', 'This staff member is already associated with an ISO.')
        default:
          break
      }
      const iso = repos.isos.findByEmail(input.isoEmail)
      if (!iso) {
        throw new ApiError(422, 'ISO_UNKNOWN', 'No ISO signs in with this email.', { isoEmail: 'ISO_UNKNOWN' })
      }
      repos.requests.insert({
        id: `req-${randomUUID()}`,
        staffId,
        isoId: iso.id,
        isoEmail: input.isoEmail,
        name: input.name,
        phoneE164: toE164(input.phone),
        createdAt: clock.now().toISOString(),
      })
      // Until the ISO decides, the staff member belongs to no ISO (an earlier invitation is superseded).
      repos.staff.setAssociation(staffId, 'pending', null)
      return associationState(repos, requireStaff(staffId))
    }),

    /**
     * ISO platform (console): approve (the staff member may then accept the Org invitation in DingTalk) or
     * reject with a reason the staff member sees (they may then send a corrected request).
     */
    decide: immediate(decide),

    /**
     * The staff member accepted the Org invitation in DingTalk and joined Alipay Partners. Calling this is
     * idempotent for a staff member who is already associated.
     */
    join: immediate((staffId: string): AssociationState => {
      const staff = requireStaff(staffId)
      if (staff.association_status === 'approved' || staff.association_status === 'invited') {
        repos.staff.setAssociation(staffId, 'associated', staff.iso_id)
      } else if (staff.association_status !== 'associated') {
        throw new ApiError(409, 'NOT_APPROVED', 'Join after the ISO has approved your request or invited you.')
      }
      return associationState(repos, requireStaff(staffId))
    }),
  }
}

export type AssociationService = ReturnType<typeof createAssociationService>
