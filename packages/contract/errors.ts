/**
 * Error codes shared by the server and the mini-program. The server answers every refusal with one of
 * these codes; the app shows the message `error.<CODE>` in the working language.
 */
export const ERROR_CODES = [
  // transport and session
  'NETWORK',
  'TIMEOUT',
  'SERVER',
  'UNAUTHORIZED',
  'SESSION_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'AUTH_CODE_INVALID',
  'DEV_SIGNIN_DISABLED',
  // DingTalk: a sign-in code of another organisation, a member DingTalk does not list (yet), DingTalk not
  // answering, the server's DingTalk settings refused
  'WRONG_ORGANIZATION',
  'NOT_IN_ORGANIZATION',
  'DINGTALK_UNAVAILABLE',
  'DINGTALK_MISCONFIGURED',
  // the device and DingTalk's host (never sent by the server): the app's settings refused by DingTalk (a
  // domain not allowed), a photo's file gone from the phone, the scanner or camera failing, the location
  // permission off or no fix, a photo that could not be kept, a DingTalk too old for a call
  'CONFIGURATION',
  'PHOTO_LOST',
  'SCAN_FAILED',
  'CAMERA_FAILED',
  'LOCATION_PERMISSION',
  'LOCATION_UNAVAILABLE',
  'PHOTO_NOT_SAVED',
  'DINGTALK_OUTDATED',
  // too many requests in a short time (sign-ins from one address, uploads or submissions of one staff member)
  'RATE_LIMITED',
  // association
  'ISO_UNKNOWN',
  'REQUEST_PENDING',
  'ALREADY_ASSOCIATED',
  'NOT_APPROVED',
  // the ISO Email typed is not the email of the ISO whose QR code was scanned
  'ISO_EMAIL_MISMATCH',
  // the Phone No. typed is not the mobile number DingTalk knows for the staff member
  'PHONE_NOT_DINGTALK',
  // field rules
  'REQUIRED',
  'EMAIL_INVALID',
  'NAME_TOO_SHORT',
  'NAME_TOO_LONG',
  'NAME_INVALID',
  'PHONE_NOT_INTERNATIONAL',
  'PHONE_INVALID',
  'TEXT_TOO_LONG',
  // scanning
  'QR_NOT_ASSOCIATION',
  // promotion
  'NOT_ASSOCIATED',
  // the deployment method: none agreed yet between the ISO and its coordinator; or the draft's method was
  // replaced by a newly agreed one and its grace period is over
  'METHOD_NOT_AGREED',
  'METHOD_CHANGED',
  'INVALID_STATE',
  'EXCESSIVE_POSMS',
  'SPOTS_REQUIRED',
  'CODE_INVALID',
  // a scanned QR that is not an Alipay+ Marketing Code, saying what it is (rules/marketing-code.ts)
  'CODE_IS_PAYMENT_QR',
  'CODE_IS_WEB_LINK',
  'CODE_IS_TEXT',
  'CODE_DUPLICATE',
  'CODE_BOUND',
  'PHOTO_REQUIRED',
  'PHOTO_REPEATED',
  'PHOTO_REUSED',
  'PHOTO_MISSING',
  // issue 26: the photo check found the photo too dark, overexposed or blurred; retake it or keep it anyway
  'PHOTO_QUALITY',
  'NOT_AN_IMAGE',
  'FILE_TOO_LARGE',
  'NO_MANAGER_CONSENT',
  'OUTSIDE_BUSINESS_HOURS',
  'TIME_INVALID',
  'WALLETS_REQUIRED',
  'LOCATION_REQUIRED',
  'CHOICE_REQUIRED',
  'MERCHANT_ID_INVALID',
  'PAYMENT_NOT_VERIFIED',
  'PAYMENT_REFERENCE_INVALID',
  'PAYMENT_NOT_FOUND',
  'WRONG_PAYMENT_TOOL',
  // the payment lookup (issue 25): not finished yet (try again in a minute), closed or failed, made outside the
  // visit, used already (another promotion or inspection, or the other mode), Alipay+ not answering, Alipay+
  // refusing the server (its settings), rejected by the reviewer (manual review)
  'PAYMENT_IN_PROCESS',
  'PAYMENT_CLOSED',
  'PAYMENT_FAILED',
  'PAYMENT_OUTSIDE_VISIT',
  'PAYMENT_ALREADY_USED',
  'PAYMENT_LOOKUP_UNAVAILABLE',
  'PAYMENT_LOOKUP_MISCONFIGURED',
  'PAYMENT_REJECTED',
  // the payment was rejected by a reviewer before: it cannot be evidence again
  'PAYMENT_REJECTED_ALREADY',
  // the Alipay test account: none assigned (or no password yet); the server's key does not open it
  'TEST_ACCOUNT_NONE',
  'TEST_ACCOUNT_UNREADABLE',
  // review results
  'APPEAL_TOO_SHORT',
  'APPEAL_OPEN',
  'NOTHING_TO_APPEAL',
  'PERIOD_INVALID',
  // spot inspection
  'FEEDBACK_REQUIRED',
  'CODE_REQUIRED',
  'SPOT_RESULTS_INCOMPLETE',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}

/** Body of every non-2xx answer of the API. */
export interface ApiErrorBody {
  error: {
    code: ErrorCode
    /** English explanation for logs and developers; the app shows its own translation of `code`. */
    message: string
    /** Per-field codes: the fields a refusal is about (with VALIDATION_FAILED, and e.g. CODE_BOUND). */
    fields?: Record<string, ErrorCode>
    /** RATE_LIMITED: how long to wait before trying again (also in the Retry-After header). */
    retryAfterSeconds?: number
    /**
     * The request's id (also in the X-Request-Id header), on every log line the server wrote for it: the app
     * shows it under the message so that staff can quote it to support. The server always sends it.
     */
    requestId?: string
    /** PAYMENT_ALREADY_USED: what the payment was used for, when it is the same staff member's (else absent). */
    usedFor?: { promotionId?: string; inspectionId?: string; mode: 'MPM' | 'UPM' }
  }
}
