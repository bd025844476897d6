/**
 * Which approved promotions to inspect first (issue 26, item 6): a score from reasons the console names beside
 * each proposal, never a bare number. Pure: the console gathers the facts (repo/promotions.ts riskFacts).
 */

/** How far back a staff member's decided promotions count for their rejection rate. */
export const REJECTION_WINDOW_DAYS = 90
/** A rejection rate counts from this many decided promotions (fewer say too little). */
export const MIN_DECIDED_FOR_RATE = 3
/** A rejection rate at or above this is a reason. */
export const HIGH_REJECTION_RATE = 0.3
/** A deployment approved this many days ago and never inspected is a reason. */
export const OLD_DEPLOYMENT_DAYS = 60

export interface RiskFacts {
  /** When the promotion was approved (decided_at). */
  approvedAt: string
  /** The staff member's promotions decided within REJECTION_WINDOW_DAYS, and how many of them were rejected. */
  staffDecided: number
  staffRejected: number
  /** How its payments were checked: by a reviewer only (PAYMENT_VERIFICATION=manual) is weaker than a lookup. */
  paymentsByReviewerOnly: boolean
  /** Whether any inspection of this promotion was ever assigned. */
  inspectedBefore: boolean
  /** Whether its evidence summary was WEAK when it was reviewed (issue 26 item 5: evidence/summary.ts). */
  weakEvidence?: boolean
}

export type RiskReason =
  | { kind: 'STAFF_REJECTIONS'; rejected: number; decided: number }
  | { kind: 'OLD_DEPLOYMENT'; days: number }
  | { kind: 'NEVER_INSPECTED' }
  | { kind: 'PAYMENT_BY_REVIEWER' }
  | { kind: 'WEAK_EVIDENCE' }

export interface Risk {
  score: number
  reasons: RiskReason[]
}

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Whether a staff member's recent rejections are a reason to look closely (the one rule: the inspections' proposals
 * and the evidence summary of a submission both read it): at least MIN_DECIDED_FOR_RATE promotions decided within
 * REJECTION_WINDOW_DAYS, HIGH_REJECTION_RATE or more of them rejected.
 */
export function highRejectionRate(decided: number, rejected: number): boolean {
  return decided >= MIN_DECIDED_FOR_RATE && rejected / decided >= HIGH_REJECTION_RATE
}

/** The start of the window a rejection rate counts from, seen at `now` (ISO time). */
export function rejectionWindowStart(now: Date): string {
  return new Date(now.getTime() - REJECTION_WINDOW_DAYS * DAY_MS).toISOString()
}

/**
 * The score adds up its reasons: a high rejection rate 3 (plus the rate itself), an old deployment 2 (plus a point
 * per further 60 days), weak evidence at review 2, payments only a reviewer checked 1, never inspected 1.
 */
export function inspectionRisk(facts: RiskFacts, now: Date): Risk {
  const reasons: RiskReason[] = []
  let score = 0
  if (highRejectionRate(facts.staffDecided, facts.staffRejected)) {
    reasons.push({ kind: 'STAFF_REJECTIONS', rejected: facts.staffRejected, decided: facts.staffDecided })
    score += 3 + facts.staffRejected / facts.staffDecided
  }
  const days = Math.floor((now.getTime() - Date.parse(facts.approvedAt)) / DAY_MS)
  if (!facts.inspectedBefore && days >= OLD_DEPLOYMENT_DAYS) {
    reasons.push({ kind: 'OLD_DEPLOYMENT', days })
    score += 2 + Math.floor((days - OLD_DEPLOYMENT_DAYS) / OLD_DEPLOYMENT_DAYS)
  }
  if (facts.weakEvidence) {
    reasons.push({ kind: 'WEAK_EVIDENCE' })
    score += 2
  }
  if (facts.paymentsByReviewerOnly) {
    reasons.push({ kind: 'PAYMENT_BY_REVIEWER' })
    score += 1
  }
  if (!facts.inspectedBefore) {
    reasons.push({ kind: 'NEVER_INSPECTED' })
    score += 1
  }
  return { score: Math.round(score * 100) / 100, reasons }
}

/** A reason as the console says it. */
export function riskReasonText(reason: RiskReason): string {
  switch (reason.kind) {
    case 'STAFF_REJECTIONS':
      return `The staff member had ${reason.rejected} of ${reason.decided} promotions rejected in the last ${REJECTION_WINDOW_DAYS} days`
    case 'OLD_DEPLOYMENT':
      return `Approved ${reason.days} days ago and never inspected`
    case 'NEVER_INSPECTED':
      return 'Never inspected'
    case 'PAYMENT_BY_REVIEWER':
      return 'Payments checked by a reviewer only, not looked up at Alipay+'
    case 'WEAK_EVIDENCE':
      return 'Weak evidence when it was reviewed (see its evidence summary)'
  }
}
