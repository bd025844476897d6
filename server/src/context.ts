import type { MarketingCodeReader } from '../../packages/contract/rules/marketing-code'
import type { Clock } from './clock'
import type { SignInFormTokens } from './console/sign-in-form'
import type { Db } from './db'
import type { DingTalkPort } from './dingtalk/port'
import type { NotificationService } from './notifications/service'
import type { Repos } from './repo'
import type { AssociationService } from './services/association'
import type { AuthService } from './services/auth'
import type { ConsoleAccountService } from './services/console-accounts'
import type { InspectionService } from './services/inspections'
import type { IsoService } from './services/isos'
import type { OrgInvitationService } from './services/org-invitations'
import type { MethodAgreementService } from './services/method-agreement'
import type { PromotionService } from './services/promotions'
import type { ResultsService } from './services/results'
import type { PaymentReviewService } from './services/payment-review'
import type { ReviewService } from './services/review'
import type { TestAccountService } from './services/test-accounts'
import type { UploadService } from './services/uploads'
import type { PhotoCheckService } from './photo-checks/service'

/** What routes and the console need; built once per server by buildServer. */
export interface AppContext {
  db: Db
  clock: Clock
  dev: boolean
  repos: Repos
  /** DingTalk's server API; null when not configured (development). */
  dingtalk: DingTalkPort | null
  notifications: NotificationService
  /** The Org invitations' queue (topapi/v2/user/getbymobile, update, create). */
  orgInvitations: OrgInvitationService
  /** The DingTalk mini-app the association QR codes open. */
  miniAppId: string
  auth: AuthService
  association: AssociationService
  uploads: UploadService
  /** Photo quality and the code in the photo (issue 26). */
  photoChecks: PhotoCheckService
  promotions: PromotionService
  review: ReviewService
  /** Manual payment review (issue 25): the reviewer confirms or rejects each mode's evidence. */
  paymentReview: PaymentReviewService
  results: ResultsService
  inspections: InspectionService
  isos: IsoService
  /** The Alipay test accounts ISOs assign (passwords sealed), their reveal to the staff member. */
  testAccounts: TestAccountService
  /** The deployment method's agreement between an ISO and its regional coordinator. */
  methodAgreement: MethodAgreementService
  /** Console accounts, their sign-in and sessions. */
  consoleAccounts: ConsoleAccountService
  /** The console sign-in form's tokens, bound to this server's key. */
  signInForm: SignInFormTokens
  /** Largest photo accepted, in bytes. */
  maxUploadBytes: number
  /** Which QR payloads are Alipay+ Marketing Codes (the configured format). */
  marketingCodes: MarketingCodeReader
}
