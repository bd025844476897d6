import type { AssociationRequestView, AssociationState, DevStaffOption, IsoSummary, StaffProfile, TestAccountView } from '../../packages/contract/api'
import { maskPhone } from '../../packages/contract/rules/phone'
import type { Repos } from './repo'
import type { AssociationRequestRow } from './repo/association-requests'
import type { IsoRow } from './repo/isos'
import type { StaffRow, StaffWithIsoRow } from './repo/staff'
import type { TestAccountRow } from './repo/test-accounts'

export function toIsoSummary(iso: IsoRow): IsoSummary {
  return { id: iso.id, name: iso.name, deploymentMethod: iso.method_agreed_at ? iso.deployment_method : null }
}

export function toRequestView(r: AssociationRequestRow): AssociationRequestView {
  return {
    id: r.id,
    isoEmail: r.iso_email,
    isoName: r.iso_name,
    name: r.name,
    phone: r.phone_e164,
    status: r.status,
    reason: r.reason,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  }
}

/** Statuses in which the staff member's `iso_id` names their ISO. */
const STATUSES_WITH_ISO = new Set(['invited', 'approved', 'associated'])

/** Whether the staff member is with an ISO now (its `iso_id` names it). */
export function isWithIso(staff: StaffRow): staff is StaffRow & { iso_id: string } {
  return STATUSES_WITH_ISO.has(staff.association_status) && staff.iso_id !== null
}

/**
 * The test account a staff member sees: only one their current ISO assigned, while they are with it (an account
 * of an ISO they left is not theirs any more). Never the password: that is revealed on request (POST
 * /api/test-account/reveal).
 */
export function testAccountOf(staff: StaffRow, row: TestAccountRow | undefined): TestAccountView | null {
  if (!row || !isWithIso(staff) || row.iso_id !== staff.iso_id) return null
  return { email: row.email, passwordSet: row.password_sealed !== null }
}

export async function associationState(repos: Repos, staff: StaffRow): Promise<AssociationState> {
  const iso = STATUSES_WITH_ISO.has(staff.association_status) && staff.iso_id ? await repos.isos.findById(staff.iso_id) : undefined
  const request = await repos.requests.latestForStaff(staff.id)
  return {
    status: staff.association_status,
    iso: iso ? toIsoSummary(iso) : null,
    request: request ? toRequestView(request) : null,
  }
}

export async function staffProfile(repos: Repos, staff: StaffRow): Promise<StaffProfile> {
  return {
    id: staff.id,
    name: staff.name,
    phoneMasked: maskPhone(staff.phone_e164),
    association: await associationState(repos, staff),
    testAccount: testAccountOf(staff, await repos.testAccounts.findByStaff(staff.id)),
  }
}

export function toDevStaffOption(s: StaffWithIsoRow): DevStaffOption {
  return { id: s.id, name: s.name, status: s.association_status, isoName: STATUSES_WITH_ISO.has(s.association_status) ? s.iso_name : null }
}
