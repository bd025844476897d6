/**
 * Issue 26 item 5: the evidence summary of a submission — the photo checks, the evidence flags, the payment
 * verification and the staff member's recent rejection rate combined into one level (GOOD / LOOK_CLOSELY / WEAK)
 * and the reasons for it, each naming the photo or field it concerns. Pure: the facts are gathered by
 * summary-store.ts; README "Evidence summary" explains the weights.
 *
 * The weights: a reason is either WEAK on its own (a photo showing a different code than the one scanned, a mock
 * location, a photo like an earlier one of the same store, a payment that failed or that the reviewer rejected)
 * or a reason to LOOK_CLOSELY (a photo kept although too dark, overexposed or blurred; no readable code in a spot
 * photo; taken far from the store; poor location accuracy; no photo location; a payment checked by a reviewer
 * only; a mode without payment evidence; a high recent rejection rate). The level is the worst reason's;
 * MANY_CONCERNS_THRESHOLD different kinds of reason to look closely, together, make the evidence WEAK (and say
 * so as a reason).
 */
import type { PhotoCodeCheck, PhotoQualityIssue } from '../../../packages/contract/photo-check'
import type { PaymentMode } from '../../../packages/contract/promotion'
import { highRejectionRate } from '../services/inspection-risk'

export type EvidenceLevel = 'GOOD' | 'LOOK_CLOSELY' | 'WEAK'

export const EVIDENCE_LEVELS: readonly EvidenceLevel[] = ['WEAK', 'LOOK_CLOSELY', 'GOOD']

/** The queue's order, weakest first: WEAK 0, LOOK_CLOSELY 1, GOOD 2 (3: not summarised yet). */
export const EVIDENCE_RANK: Record<EvidenceLevel, number> = { WEAK: 0, LOOK_CLOSELY: 1, GOOD: 2 }
export const UNSUMMARISED_RANK = 3

/** This many different kinds of reason to look closely, together, make the evidence weak. */
export const MANY_CONCERNS_THRESHOLD = 3

export type Severity = 'WEAK' | 'LOOK_CLOSELY'

export type EvidenceReason =
  | { kind: 'CODE_DIFFERENT'; field: string; uploadId: string }
  | { kind: 'CODE_NOT_READABLE'; field: string; uploadId: string }
  | { kind: 'PHOTO_QUALITY_KEPT'; field: string; uploadId: string; issue: PhotoQualityIssue; confirmed: boolean }
  | { kind: 'PHOTO_LIKE_SAME_STORE'; field: string; uploadId: string; otherPromotionId: string | null; bits: number | null }
  | { kind: 'LOCATION_MOCKED'; field: string; uploadId: string | null }
  | { kind: 'LOCATION_FAR'; field: string; uploadId: string | null; meters: number | null }
  | { kind: 'LOCATION_POOR_ACCURACY'; field: string; uploadId: string | null; accuracy: number | null }
  | { kind: 'LOCATION_UNKNOWN'; field: string; uploadId: string | null }
  | { kind: 'PAYMENT_FAILED'; field: string; mode: PaymentMode }
  | { kind: 'PAYMENT_REJECTED'; field: string; mode: PaymentMode }
  | { kind: 'PAYMENT_BY_REVIEWER'; field: string; mode: PaymentMode }
  | { kind: 'PAYMENT_MISSING'; field: string; mode: PaymentMode }
  | { kind: 'STAFF_REJECTIONS'; rejected: number; decided: number }
  | { kind: 'MANY_CONCERNS'; count: number }

export type EvidenceReasonKind = EvidenceReason['kind']

export const REASON_SEVERITY: Record<EvidenceReasonKind, Severity> = {
  CODE_DIFFERENT: 'WEAK',
  PHOTO_LIKE_SAME_STORE: 'WEAK',
  LOCATION_MOCKED: 'WEAK',
  PAYMENT_FAILED: 'WEAK',
  PAYMENT_REJECTED: 'WEAK',
  MANY_CONCERNS: 'WEAK',
  CODE_NOT_READABLE: 'LOOK_CLOSELY',
  PHOTO_QUALITY_KEPT: 'LOOK_CLOSELY',
  LOCATION_FAR: 'LOOK_CLOSELY',
  LOCATION_POOR_ACCURACY: 'LOOK_CLOSELY',
  LOCATION_UNKNOWN: 'LOOK_CLOSELY',
  PAYMENT_BY_REVIEWER: 'LOOK_CLOSELY',
  PAYMENT_MISSING: 'LOOK_CLOSELY',
  STAFF_REJECTIONS: 'LOOK_CLOSELY',
}

export interface EvidenceSummary {
  level: EvidenceLevel
  /** Weakest first, then in the submission's order; empty only when GOOD. */
  reasons: EvidenceReason[]
}

/** One submitted photo and what its check found (photo_checks; null: the photo could not be checked). */
export interface SummaryPhoto {
  /** Its submission field: store.storefrontPhotoId, spots.<i>.photoId. */
  field: string
  uploadId: string
  check: { qualityIssue: PhotoQualityIssue | null; kept: 0 | 1 | null; codeCheck: PhotoCodeCheck | null } | null
}

/** An evidence flag as stored (evidence_flags). */
export interface SummaryFlag {
  kind: 'PHOTO_LOOKS_LIKE_SAME_STORE' | 'LOCATION_FAR' | 'LOCATION_POOR_ACCURACY' | 'LOCATION_MOCKED' | 'LOCATION_UNKNOWN'
  field: string | null
  uploadId: string | null
  otherPromotionId: string | null
  hashDistance: number | null
  meters: number | null
  accuracy: number | null
}

/** The latest payment verification of a mode (latestPerMode), as it counts. */
export interface SummaryPayment {
  mode: PaymentMode
  status: 'PASSED' | 'FAILED'
  /** ALIPAY_PLUS (looked up), REVIEWER (evidence a reviewer checks), SIMULATOR (development's stand-in for a lookup), null before issue 25. */
  checkedBy: 'ALIPAY_PLUS' | 'REVIEWER' | 'SIMULATOR' | null
  reviewStatus: 'PENDING' | 'CONFIRMED' | 'REJECTED' | null
}

export interface SummaryFacts {
  photos: SummaryPhoto[]
  flags: SummaryFlag[]
  /** The latest verification of each mode the promotion has. */
  payments: SummaryPayment[]
  /** The modes a complete payment verification needs (both MPM and UPM). */
  requiredModes: readonly PaymentMode[]
  /** The staff member's promotions decided within the rejection window (services/inspection-risk.ts), and how many were rejected. */
  staffDecided: number
  staffRejected: number
}

const paymentField = (mode: PaymentMode) => `payment.${mode}`

/** The summary of one submission from its facts. */
export function evidenceSummary(facts: SummaryFacts): EvidenceSummary {
  const reasons: EvidenceReason[] = []
  for (const photo of facts.photos) {
    const { field, uploadId, check } = photo
    if (!check) continue
    if (check.codeCheck === 'DIFFERENT') reasons.push({ kind: 'CODE_DIFFERENT', field, uploadId })
    else if (check.codeCheck === 'NONE') reasons.push({ kind: 'CODE_NOT_READABLE', field, uploadId })
    if (check.qualityIssue) reasons.push({ kind: 'PHOTO_QUALITY_KEPT', field, uploadId, issue: check.qualityIssue, confirmed: check.kept === 1 })
  }
  for (const f of facts.flags) {
    const field = f.field ?? 'store.storefrontPhotoId'
    switch (f.kind) {
      case 'PHOTO_LOOKS_LIKE_SAME_STORE':
        reasons.push({ kind: 'PHOTO_LIKE_SAME_STORE', field, uploadId: f.uploadId ?? '', otherPromotionId: f.otherPromotionId, bits: f.hashDistance })
        break
      case 'LOCATION_MOCKED':
        reasons.push({ kind: 'LOCATION_MOCKED', field, uploadId: f.uploadId })
        break
      case 'LOCATION_FAR':
        reasons.push({ kind: 'LOCATION_FAR', field, uploadId: f.uploadId, meters: f.meters })
        break
      case 'LOCATION_POOR_ACCURACY':
        reasons.push({ kind: 'LOCATION_POOR_ACCURACY', field, uploadId: f.uploadId, accuracy: f.accuracy })
        break
      case 'LOCATION_UNKNOWN':
        reasons.push({ kind: 'LOCATION_UNKNOWN', field, uploadId: f.uploadId })
        break
    }
  }
  for (const mode of facts.requiredModes) {
    const p = facts.payments.find((v) => v.mode === mode)
    const field = paymentField(mode)
    if (!p) reasons.push({ kind: 'PAYMENT_MISSING', field, mode })
    else if (p.checkedBy === 'REVIEWER' && p.reviewStatus === 'REJECTED') reasons.push({ kind: 'PAYMENT_REJECTED', field, mode })
    else if (p.status === 'FAILED') reasons.push({ kind: 'PAYMENT_FAILED', field, mode })
    else if (p.checkedBy === 'REVIEWER') reasons.push({ kind: 'PAYMENT_BY_REVIEWER', field, mode })
  }
  if (highRejectionRate(facts.staffDecided, facts.staffRejected)) {
    reasons.push({ kind: 'STAFF_REJECTIONS', rejected: facts.staffRejected, decided: facts.staffDecided })
  }

  // kinds, not reasons: two modes without payment evidence, or two blurred photos, are one concern
  const concerns = new Set(reasons.filter((r) => REASON_SEVERITY[r.kind] === 'LOOK_CLOSELY').map((r) => r.kind)).size
  if (concerns >= MANY_CONCERNS_THRESHOLD) reasons.push({ kind: 'MANY_CONCERNS', count: concerns })
  // weakest first, the order found otherwise (stable sort)
  reasons.sort((a, b) => severityOrder(a) - severityOrder(b))
  const level: EvidenceLevel = reasons.length === 0 ? 'GOOD' : REASON_SEVERITY[reasons[0].kind] === 'WEAK' ? 'WEAK' : 'LOOK_CLOSELY'
  return { level, reasons }
}

const severityOrder = (r: EvidenceReason) => (REASON_SEVERITY[r.kind] === 'WEAK' ? 0 : 1)

/** The field a reason concerns (a photo's or a payment mode's), or null (the staff member, the whole submission). */
export function reasonField(r: EvidenceReason): string | null {
  return 'field' in r ? r.field : null
}
