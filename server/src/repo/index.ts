import type { Db } from '../db'
import { createAppealRepo } from './appeals'
import { createAssociationRequestRepo } from './association-requests'
import { createAuditRepo } from './audit'
import { createAuthCodeRepo } from './auth-codes'
import { createConsoleAccountRepo } from './console-accounts'
import { createConsoleSessionRepo } from './console-sessions'
import { createEvidenceRepo } from './evidence'
import { createInspectionRepo } from './inspections'
import { createIsoRepo } from './isos'
import { createMarketingCodeRepo } from './marketing-codes'
import { createNotificationRepo } from './notifications'
import { createOrgInvitationRepo } from './org-invitations'
import { createPaymentVerificationRepo } from './payment-verifications'
import { createPromotionRepo } from './promotions'
import { createResubmissionRepo } from './resubmissions'
import { createSessionRepo } from './sessions'
import { createSignInThrottleRepo } from './signin-throttle'
import { createStaffRepo } from './staff'
import { createTestAccountRepo } from './test-accounts'
import { createUploadRepo } from './uploads'
import { createPhotoCheckRepo } from './photo-checks'

export function createRepos(db: Db) {
  return {
    isos: createIsoRepo(db),
    staff: createStaffRepo(db),
    requests: createAssociationRequestRepo(db),
    sessions: createSessionRepo(db),
    authCodes: createAuthCodeRepo(db),
    uploads: createUploadRepo(db),
    verifications: createPaymentVerificationRepo(db),
    promotions: createPromotionRepo(db),
    codes: createMarketingCodeRepo(db),
    appeals: createAppealRepo(db),
    resubmissions: createResubmissionRepo(db),
    inspections: createInspectionRepo(db),
    notifications: createNotificationRepo(db),
    orgInvitations: createOrgInvitationRepo(db),
    consoleAccounts: createConsoleAccountRepo(db),
    consoleSessions: createConsoleSessionRepo(db),
    signInThrottle: createSignInThrottleRepo(db),
    audit: createAuditRepo(db),
    testAccounts: createTestAccountRepo(db),
    evidence: createEvidenceRepo(db),
    photoChecks: createPhotoCheckRepo(db),
  }
}

export type Repos = ReturnType<typeof createRepos>
