/**
 * The API contract between the mini-program and the workspace server. Every endpoint's request and
 * response type lives here; the payload schemas that both sides validate with are in schemas.ts.
 */
import type * as v from 'valibot'
import type { AssociationRequestSchema, DevSignInSchema, DingTalkSignInSchema } from './schemas'
import type { InspectionSubmission, InspectionTask } from './inspection'
import type { AppealInput, PromotionDetail, PromotionPage, ResubmissionInput, ResultsSummary } from './results'
import type { MarketingCodeFormat } from './rules/marketing-code'
import type {
  DeploymentMethod,
  PaymentVerificationInput,
  PaymentVerificationView,
  PromotionCreate,
  PromotionView,
  TestAccountView,
  UploadView,
  WorkspaceInfo,
} from './promotion'

export type { DeploymentMethod, TestAccountView }
export type { Locale } from './rules/locale'

/**
 * Where a staff member stands with their ISO.
 * - none: no ISO yet and no request
 * - invited: the ISO invited them through DingTalk (Add Staff); they accept the Org invitation there
 * - pending: an association request made through the ISO platform QR awaits the ISO's review
 * - rejected: the ISO rejected the last request (reason given); a corrected request may be sent
 * - approved: the ISO approved; the staff member taps "Org invitation" in DingTalk and joins Alipay Partners
 * - associated: joined; the promotion features are open
 */
export type AssociationStatus = 'none' | 'invited' | 'pending' | 'rejected' | 'approved' | 'associated'

export interface IsoSummary {
  id: string
  name: string
  /** The method agreed with the Alipay+ regional coordinator; null: none agreed yet. */
  deploymentMethod: DeploymentMethod | null
}

export interface AssociationRequestView {
  id: string
  isoEmail: string
  isoName: string | null
  name: string
  phone: string
  status: 'pending' | 'approved' | 'rejected'
  reason: string | null
  createdAt: string
  decidedAt: string | null
}

export interface AssociationState {
  status: AssociationStatus
  iso: IsoSummary | null
  /** The latest request made through the ISO platform, if any. */
  request: AssociationRequestView | null
}

export interface StaffProfile {
  id: string
  name: string
  /** Masked for display, e.g. "+65 9•••••67". */
  phoneMasked: string
  association: AssociationState
  /** The Alipay test account the ISO assigned for payment verification (Staff Details), if any; never its password. */
  testAccount: TestAccountView | null
}

/** The test account with its password, answered to its staff member alone, on a tap (each reveal audited). */
export interface TestAccountSecret {
  email: string
  password: string
}

export interface SessionInfo {
  token: string
  expiresAt: string
  staff: StaffProfile
  /** Which scanned QR payloads are Alipay+ Marketing Codes: the server's configuration, read by the app's scans. */
  marketingCodes: MarketingCodeFormat
}

export interface DevStaffOption {
  id: string
  name: string
  status: AssociationStatus
  isoName: string | null
}

// ---- endpoints --------------------------------------------------------------------------------

export type DingTalkSignInRequest = v.InferInput<typeof DingTalkSignInSchema>
export type DevSignInRequest = v.InferInput<typeof DevSignInSchema>
export type AssociationRequestInput = v.InferInput<typeof AssociationRequestSchema>

/** Every endpoint: method, path, request body and response body. */
export interface Endpoints {
  'POST /api/auth/dingtalk': { body: DingTalkSignInRequest; response: SessionInfo }
  'POST /api/auth/dev': { body: DevSignInRequest; response: SessionInfo }
  'GET /api/auth/dev/staff': { body: undefined; response: { staff: DevStaffOption[] } }
  'GET /api/me': { body: undefined; response: StaffProfile }
  'GET /api/association': { body: undefined; response: AssociationState }
  'POST /api/association/requests': { body: AssociationRequestInput; response: AssociationState }
  'GET /api/association/requests/:id': { body: undefined; response: AssociationRequestView }
  'POST /api/association/join': { body: Record<string, never>; response: AssociationState }
  /** `?id=<ISO id>`: the ISO a scanned association QR code names (its name, shown on the form); 404 ISO_UNKNOWN. */
  'GET /api/association/iso': { body: undefined; response: { id: string; name: string } }
  /**
   * Check again: the server asks DingTalk again whether the staff member is in the organisation and in an ISO's
   * department (as at sign-in), without signing out; answers the association as it now stands.
   */
  'POST /api/association/check': { body: Record<string, never>; response: AssociationState }
  // promotions (associated staff only: 403 NOT_ASSOCIATED otherwise)
  'GET /api/workspace': { body: undefined; response: WorkspaceInfo }
  /**
   * The staff member's own test account with its password (Cache-Control: no-store), for the payment step's Show.
   * 404 TEST_ACCOUNT_NONE when their ISO assigned none (or no password); 409 TEST_ACCOUNT_UNREADABLE when the
   * server's key no longer opens it. Audited.
   */
  'POST /api/test-account/reveal': { body: Record<string, never>; response: TestAccountSecret }
  /** Checks a scanned code before it is bound: 200 when free; 422 CODE_INVALID; 409 CODE_BOUND. */
  'POST /api/marketing-codes/check': { body: { code: string }; response: { code: string; available: true } }
  /** Verify-Then-Deploy: evidence checked before the promotion exists. Answers PASSED or FAILED with a reason. */
  'POST /api/payment-verifications': { body: PaymentVerificationInput; response: PaymentVerificationView }
  /**
   * Idempotent on `clientId`: 201 the first time, 200 with the same promotion after. 409 PHOTO_REPEATED / PHOTO_REUSED
   * (a photo in a submission already / like a photo of another store's submission) name the photos in `fields`.
   */
  'POST /api/promotions': { body: PromotionCreate; response: PromotionView }
  'GET /api/promotions': { body: undefined; response: { promotions: PromotionView[] } }
  'GET /api/promotions/:id': { body: undefined; response: PromotionView }
  /** Deploy-Then-Verify: evidence for a submitted promotion; once both modes passed it goes to review. */
  'POST /api/promotions/:id/payment-verifications': { body: PaymentVerificationInput; response: PromotionView }
  // review results
  /** Query `from`, `to` (YYYY-MM-DD in the ISO's time zone; default this month): figures as of the end of yesterday. */
  'GET /api/results/summary': { body: undefined; response: ResultsSummary }
  /** Query `status` (a ResultFilter), `cursor`, `limit` (1..50, default 20): newest first. */
  'GET /api/results/promotions': { body: undefined; response: PromotionPage }
  'GET /api/results/promotions/:id': { body: undefined; response: PromotionDetail }
  /** Appeal a rejected store or spot: 201 (200 on a repeated clientId); 409 NOTHING_TO_APPEAL when nothing is rejected, 409 APPEAL_OPEN while one is open. */
  'POST /api/promotions/:id/appeals': { body: AppealInput; response: PromotionDetail }
  /** Modify: the corrected submission; rejected parts (and changed ones) go back to review. Idempotent on clientId. */
  'POST /api/promotions/:id/resubmissions': { body: ResubmissionInput; response: PromotionDetail }
  // spot inspection (associated staff; a task of another staff member → 403)
  /** The staff member's Verification Tasks, due date first. */
  'GET /api/inspections': { body: undefined; response: { tasks: InspectionTask[] } }
  'GET /api/inspections/:id': { body: undefined; response: InspectionTask }
  /** Payment evidence for the task's store (same tool rule and modes as promotion); PASSED or FAILED. */
  'POST /api/inspections/:id/payment-verifications': { body: PaymentVerificationInput; response: PaymentVerificationView }
  /** The result: 201 with the task; idempotent on clientId (200 with the task again); 409 INVALID_STATE once submitted under another clientId. */
  'POST /api/inspections/:id/submissions': { body: InspectionSubmission; response: InspectionTask }
}

/**
 * Uploads are multipart, not JSON: `POST /api/uploads` with the image in the field `file` (JPEG, PNG or
 * WebP, at most WorkspaceInfo.maxUploadBytes) and the fields `takenAt` (ISO time) and, when known,
 * `latitude`, `longitude`, `accuracy`, `mocked`, and `purpose` (what the photo is for, UPLOAD_PURPOSES in
 * photo-check.ts: QR codes are decoded at upload only for spot photos, or when it is missing; 400
 * VALIDATION_FAILED for another value). Answers 201 UploadView, or 200 with the same upload when
 * this staff member uploaded the same content before and it is not yet part of a submission (a retry).
 * Refused: 415 NOT_AN_IMAGE, 413 FILE_TOO_LARGE, 409 PHOTO_REPEATED (the content is in a submission
 * already). `GET /api/uploads/:id` serves the image to its owner only (and to /console).
 */
export type UploadResponse = UploadView

/**
 * `GET /api/i18n/core?since=<version>` (no session): the core messages of every working language but English,
 * keyed by message, for the DingTalk build (its main package carries English only). `messages` is null when
 * `since` is the current version (the phone has them).
 */
export interface CoreMessagesResponse {
  version: string
  messages: Record<string, Record<string, string>> | null
}

export type EndpointKey = keyof Endpoints

/**
 * The text of the first association QR codes, `posm-workspace://associate?iso=<ISO id>`, still accepted by the
 * in-app scanner. The posters carry a DingTalk link instead (rules/association.ts associationQrLink).
 */
export const ASSOCIATION_QR_PREFIX = 'posm-workspace://associate'

/** The mini-program's association page, which the QR code's link opens with `?iso=<ISO id>`. */
export const ASSOCIATION_PAGE = 'pages/associate/index'
