import type { AssociationState, SessionInfo, StaffProfile } from '../../packages/contract/api'
import { DEVELOPMENT_MARKETING_CODE_FORMAT } from '../../packages/contract/rules/marketing-code-dev'

export function profile(association: Partial<AssociationState> = {}, over: Partial<StaffProfile> = {}): StaffProfile {
  return {
    id: 'staff-aisyah',
    name: 'Aisyah Rahman',
    phoneMasked: '+60 1•••••89',
    testAccount: null,
    association: { status: 'none', iso: null, request: null, ...association },
    ...over,
  }
}

export function session(staff: StaffProfile = profile(), token = 'tok-1'): SessionInfo {
  return { token, expiresAt: '2026-11-26T08:00:00.000Z', staff, marketingCodes: DEVELOPMENT_MARKETING_CODE_FORMAT }
}
