/**
 * The promotion contract: what a staff member submits when promoting Alipay+ Marketing Codes or Primary
 * POSMs in a store, and what the server answers. Validated with the schemas in schemas.ts on both sides.
 */
import type { ErrorCode } from './errors'
import type { PhotoCheckView } from './photo-check'

/** How an ISO deploys: verify the store's payment first, or deploy first and verify after. */
export type DeploymentMethod = 'VERIFY_THEN_DEPLOY' | 'DEPLOY_THEN_VERIFY'

export const PRODUCTS = ['MARKETING_CODE', 'PRIMARY_POSM'] as const
export type ProductKind = (typeof PRODUCTS)[number]

/** Wallets a store may accept (Alipay+ partner wallets); names are proper nouns, shown as they are. */
export const WALLETS = ['ALIPAY', 'ALIPAYHK', 'GCASH', 'KAKAOPAY', 'NAVERPAY', 'TOSSPAY', 'TNG', 'TRUEMONEY', 'DANA', 'MPAY', 'OTHER'] as const
export type Wallet = (typeof WALLETS)[number]

export const WALLET_NAMES: Record<Wallet, string> = {
  ALIPAY: 'Alipay',
  ALIPAYHK: 'AlipayHK',
  GCASH: 'GCash',
  KAKAOPAY: 'Kakao Pay',
  NAVERPAY: 'Naver Pay',
  TOSSPAY: 'Toss Pay',
  TNG: "Touch 'n Go eWallet",
  TRUEMONEY: 'TrueMoney',
  DANA: 'DANA',
  MPAY: 'MPay',
  OTHER: '…',
}

export const STORE_CATEGORIES = ['FOOD_BEVERAGE', 'RETAIL', 'CONVENIENCE', 'SUPERMARKET', 'BEAUTY', 'SERVICES', 'OTHER'] as const
export type StoreCategory = (typeof STORE_CATEGORIES)[number]

export const SPOT_POSITIONS = ['CASHIER_COUNTER', 'ENTRANCE', 'TABLE', 'WALL', 'OTHER'] as const
export type SpotPosition = (typeof SPOT_POSITIONS)[number]

export const MATERIAL_TYPES = ['STICKER', 'STAND', 'DECAL', 'POSTER', 'OTHER'] as const
export type MaterialType = (typeof MATERIAL_TYPES)[number]

export type PaymentTool = 'ALIPAY' | 'ALIPAY_PLUS_LINKER'
export type PaymentMode = 'MPM' | 'UPM'

export type PromotionStatus = 'AWAITING_PAYMENT_VERIFICATION' | 'PENDING_REVIEW' | 'APPROVED' | 'REJECTED'
export type ReviewStatus = 'PENDING' | 'APPROVED' | 'REJECTED'

export interface GeoPointInput {
  latitude: number
  longitude: number
  accuracy: number | null
  mocked: boolean
}

export interface StoreInput {
  name: string
  address: string
  category: StoreCategory
  wallets: Wallet[]
  /** The store's manager or authorised staff agreed to the deployment (policy). */
  managerConsent: boolean
  /** "HH:mm"; deployment happens within these hours (policy). */
  openingTime: string
  closingTime: string
  location: GeoPointInput
  storefrontPhotoId: string
}

export interface SpotInput {
  position: SpotPosition
  /** What "other" means, when position is OTHER. */
  positionNote?: string
  photoId: string
  /** Marketing Code spots: the code scanned from the material itself. */
  marketingCode?: string
  /** Primary POSM spots: what was deployed. */
  materialType?: MaterialType
}

export interface MerchantInput {
  contactName: string
  contactPhone: string
  legalName: string
  /** The merchant's ID at its acquirer. */
  acquirerMerchantId: string
  notes: string
}

export interface PaymentVerificationInput {
  mode: PaymentMode
  tool: PaymentTool
  /** The transaction reference the wallet shows. */
  reference: string
  /** A photo of the payment result. */
  photoId: string
  /** The store's accepted wallets, to check the tool (Alipay only → Alipay app). */
  wallets: Wallet[]
  /** When the visit started (the wizard's draft, by the phone's clock): a payment made before it is not this visit's. */
  startedAt?: string
  /**
   * The phone's clock when the evidence was sent. With `startedAt` it says how long the visit has lasted, which
   * the server counts back from its own clock: a phone whose clock is wrong still has its visit placed right.
   */
  sentAt?: string
}

export interface PaymentVerificationView {
  id: string
  mode: PaymentMode
  tool: PaymentTool
  reference: string
  photoId: string
  status: 'PASSED' | 'FAILED'
  /** Why the evidence did not pass. */
  reason: ErrorCode | null
  createdAt: string
  /**
   * How it was checked: ALIPAY_PLUS (looked up), REVIEWER (PAYMENT_VERIFICATION=manual: "Evidence submitted —
   * checked by a reviewer", never "Verified"), SIMULATOR (development). Absent on records from before.
   */
  checkedBy?: 'ALIPAY_PLUS' | 'REVIEWER' | 'SIMULATOR'
  /** What the lookup found (amount in minor units as Alipay+ gives it, the payment's time, the wallet). */
  payment?: { paymentId: string; time: string | null; amount: { value: string; currency: string } | null; wallet: string | null }
  /** Checked by a reviewer: the reviewer's decision (PENDING until then). */
  review?: { status: 'PENDING' | 'CONFIRMED' | 'REJECTED'; reason: string | null }
}

export interface PromotionCreate {
  /** The client's idempotency key: a retry or a double tap never creates a second promotion. */
  clientId: string
  product: ProductKind
  store: StoreInput
  spots: SpotInput[]
  merchant: MerchantInput
  /** Verify-Then-Deploy: the passed verifications (one per mode) made before the promotion information. */
  paymentVerificationIds: string[]
  /**
   * The method the draft follows (the one in force when it was started, or the one it moved to). Absent: the
   * ISO's method in force. See rules/method-agreement.ts for which methods are accepted.
   */
  method?: DeploymentMethod
  /**
   * Issue 26: the photos (upload ids) whose quality warning (too dark, overexposed, blurred) the staff member saw
   * and chose to keep (Keep anyway); recorded for the reviewer. Absent: none.
   */
  keptPhotoIds?: string[]
}

export interface SpotView extends SpotInput {
  index: number
  review: { status: ReviewStatus; reason: string | null }
}

export interface PromotionView {
  id: string
  clientId: string
  product: ProductKind
  method: DeploymentMethod
  status: PromotionStatus
  store: StoreInput
  storeReview: { status: ReviewStatus; reason: string | null }
  spots: SpotView[]
  merchant: MerchantInput
  paymentVerifications: PaymentVerificationView[]
  createdAt: string
}

export interface UploadView {
  id: string
  sha256: string
  size: number
  mime: string
  takenAt: string | null
  location: GeoPointInput | null
  createdAt: string
  /** Issue 26: the photo's quality and the QR codes in it, as the server found them at upload; null: not checked (not readable). */
  check: PhotoCheckView | null
}

/**
 * The Alipay test account the staff member's ISO assigned (console, Staff Details). The password is not part of
 * it: the app asks for it when the staff member taps Show (POST /api/test-account/reveal; each reveal audited).
 */
export interface TestAccountView {
  email: string
  /** Whether the ISO set a password (an account moved from before encryption may have none yet). */
  passwordSet: boolean
}

/** Where an ISO and its Alipay+ regional coordinator stand on the deployment method (rules/method-agreement.ts). */
export type MethodAgreementStatus = 'NOT_AGREED' | 'PROPOSED' | 'AGREED' | 'DECLINED'

/** An ISO's agreement as the app sees it (GET /api/workspace). */
export interface MethodAgreementView {
  /**
   * NOT_AGREED: never agreed and nothing proposed; PROPOSED: a proposal awaits the coordinator; DECLINED: the
   * last proposal was declined; AGREED: a method is agreed and nothing new is proposed.
   */
  status: MethodAgreementStatus
  /** The method in force (null: none agreed yet: promotions are locked). */
  agreed: DeploymentMethod | null
  /** The method proposed (PROPOSED) or declined (DECLINED). */
  proposal: DeploymentMethod | null
  /** The coordinator's reason (DECLINED). */
  declineReason: string | null
  /** The method in force before the last agreed change, and until when work started under it is accepted. */
  previous: { method: DeploymentMethod; changedAt: string; acceptedUntil: string } | null
}

/** What the app needs to run promotions for this staff member's ISO. */
export interface WorkspaceInfo {
  products: ProductKind[]
  /** The method in force; meaningful only once agreed (`methodAgreement.agreed`): until then promotions are refused. */
  method: DeploymentMethod
  /** Where the ISO and its regional coordinator stand on the deployment method. */
  methodAgreement: MethodAgreementView
  maxSpotsPerStore: number
  /** The ISO's time zone: business hours are checked in it. */
  timezone: string
  /** The Alipay test account assigned by the ISO (for verification with the Alipay app); its password only on request. */
  testAccount: TestAccountView | null
  /** Largest photo the server accepts, in bytes. */
  maxUploadBytes: number
}
