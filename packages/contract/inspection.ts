/**
 * Spot inspection: Verification Tasks assigned to a staff member (a store and the spots to inspect), the
 * result they submit (the deployment verified spot by spot with feedback, then the payment), and the
 * reviewer's decision.
 */
import type { GeoPointInput, MaterialType, PaymentVerificationView, ProductKind, SpotPosition, StoreCategory, Wallet } from './promotion'

export type InspectionStatus = 'TO_DO' | 'IN_PROGRESS' | 'SUBMITTED' | 'ACCEPTED' | 'REJECTED'

/** What the inspector found at a spot: present and securely posted, missing, damaged, or moved. */
export const SPOT_CONDITIONS = ['PRESENT', 'MISSING', 'DAMAGED', 'MOVED'] as const
export type SpotCondition = (typeof SPOT_CONDITIONS)[number]

export interface InspectionSpot {
  index: number
  position: SpotPosition
  positionNote: string | null
  /** Marketing Code spots: the code bound to this spot at promotion. */
  marketingCode: string | null
  materialType: MaterialType | null
  /** The photo of this spot taken at deployment (the inspector may see it: GET /api/uploads/:id). */
  deployedPhotoId: string
}

/**
 * What was recorded at deployment, for the inspector to compare with what they find: the storefront photo, when it
 * was deployed (the promotion's submission) and where (`store.location`), and each spot's photo (`spots`).
 */
export interface InspectionDeployment {
  storefrontPhotoId: string
  /** When the deployment was submitted (the promotion's creation, ISO 8601). */
  deployedAt: string
}

export interface InspectionTask {
  id: string
  promotionId: string
  product: ProductKind
  store: {
    name: string
    address: string
    category: StoreCategory
    wallets: Wallet[]
    /** Where the store was recorded at promotion. */
    location: GeoPointInput
  }
  spots: InspectionSpot[]
  /** The deployment as it was recorded (issue 26, item 6). */
  deployment: InspectionDeployment
  /** YYYY-MM-DD, in the ISO's time zone. */
  dueDate: string
  status: InspectionStatus
  /** Why the reviewer rejected the inspection. */
  reviewerReason: string | null
  assignedAt: string
  submittedAt: string | null
  /** Payment verifications recorded for this task (both modes are needed). */
  paymentVerifications: PaymentVerificationView[]
}

export interface InspectionSpotResult {
  index: number
  condition: SpotCondition
  photoId: string
  /** Marketing Code spots: the code scanned now (compared with the bound one). */
  scannedCode?: string
  /** Required when the condition is not PRESENT or the scanned code differs. */
  feedback: string
}

export interface InspectionSubmission {
  /** Idempotency key. */
  clientId: string
  store: {
    open: boolean
    sameStore: boolean
    storefrontPhotoId: string
    location: GeoPointInput | null
    /** Distance from the store's recorded location, in metres, when the device gave a location. */
    distanceMeters: number | null
    feedback: string
  }
  spots: InspectionSpotResult[]
  paymentVerificationIds: string[]
  /** Issue 26: the photos whose quality warning the inspector saw and kept (Keep anyway); recorded. Absent: none. */
  keptPhotoIds?: string[]
}
