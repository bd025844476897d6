/**
 * Issue 26 item 5: the evidence summary stored on the promotion (evidence_level, evidence_rank, evidence_reasons,
 * and the store name as searched, store_name_key), so that the review queue sorts, filters and pages by it.
 * Computed again whenever what it reads changes: at submission and Modify (after the photo checks' outcome is
 * recorded), on new payment evidence and on the reviewer's payment decision. Promotions stored before it are
 * summarised lazily by the review queue (summariseMissing, a bounded batch per request).
 */
import { PAYMENT_MODES, latestPerMode } from '../../../packages/contract/rules/payment'
import type { StoreInput } from '../../../packages/contract/promotion'
import type { Repos } from '../repo'
import type { EvidenceFlagRow } from '../repo/evidence'
import type { PaymentVerificationRow } from '../repo/payment-verifications'
import type { PhotoCheckRow } from '../repo/photo-checks'
import type { SpotRow } from '../repo/promotions'
import { rejectionWindowStart } from '../services/inspection-risk'
import { storeNameKey } from './rules'
import { EVIDENCE_RANK, evidenceSummary, type EvidenceReason, type EvidenceSummary } from './summary'

type SummaryRepos = Pick<Repos, 'promotions' | 'photoChecks' | 'evidence' | 'verifications'>

/**
 * What the caller has just written and need not be read back (a submission in its transaction): the promotion's
 * store and spots, its flags, its photos' checks.
 */
export interface KnownEvidence {
  staffId: string
  store: StoreInput
  spots: ReadonlyArray<Pick<SpotRow, 'idx' | 'photo_id'>>
  flags: ReadonlyArray<Omit<EvidenceFlagRow, 'id' | 'promotion_id' | 'created_at'>>
  checks: ReadonlyMap<string, PhotoCheckRow>
  /** The payment verifications the promotion has (those the submission attached). */
  payments: readonly PaymentVerificationRow[]
}

/** The order flagsForPromotion reads flags in (kind, then field). */
const byKindAndField = (a: { kind: string; field: string | null }, b: { kind: string; field: string | null }): number => {
  const [x, y] = [`${a.kind}\u0000${a.field ?? ''}`, `${b.kind}\u0000${b.field ?? ''}`]
  return x < y ? -1 : x > y ? 1 : 0
}

/** Computes the promotion's summary from what is stored and stores it; null when there is no such promotion. */
export async function refreshEvidenceSummary(repos: SummaryRepos, promotionId: string, now: Date, known?: KnownEvidence): Promise<EvidenceSummary | null> {
  let staffId: string
  let store: StoreInput
  let spots: ReadonlyArray<Pick<SpotRow, 'idx' | 'photo_id'>>
  if (known) {
    ;({ staffId, store, spots } = known)
  } else {
    const promotion = await repos.promotions.findById(promotionId)
    if (!promotion) return null
    staffId = promotion.staff_id
    store = JSON.parse(promotion.store_json) as StoreInput
    spots = await repos.promotions.spots(promotionId)
  }
  const photos = [
    { field: 'store.storefrontPhotoId', uploadId: store.storefrontPhotoId },
    ...spots.map((s) => ({ field: `spots.${s.idx}.photoId`, uploadId: s.photo_id })),
  ]
  const checks = known?.checks ?? new Map((await repos.photoChecks.findMany(photos.map((p) => p.uploadId))).map((c) => [c.upload_id, c]))
  const staff = await repos.promotions.staffDecisions(staffId, rejectionWindowStart(now))
  const summary = evidenceSummary({
    photos: photos.map((p) => {
      const c = checks.get(p.uploadId)
      return { ...p, check: c ? { qualityIssue: c.quality_issue, kept: c.kept, codeCheck: c.code_check } : null }
    }),
    flags: (known ? [...known.flags].sort(byKindAndField) : await repos.evidence.flagsForPromotion(promotionId)).map((f) => ({
      kind: f.kind,
      field: f.field,
      uploadId: f.upload_id,
      otherPromotionId: f.other_promotion_id,
      hashDistance: f.hash_distance,
      meters: f.meters,
      accuracy: f.accuracy_meters,
    })),
    payments: latestPerMode(known?.payments ?? (await repos.verifications.listForPromotion(promotionId))).map((v) => ({
      mode: v.mode,
      status: v.status,
      checkedBy: v.checked_by ?? null,
      reviewStatus: v.review_status ?? null,
    })),
    requiredModes: PAYMENT_MODES,
    staffDecided: staff.decided,
    staffRejected: staff.rejected,
  })
  await repos.promotions.setEvidenceSummary(promotionId, {
    level: summary.level,
    rank: EVIDENCE_RANK[summary.level],
    reasons: JSON.stringify(summary.reasons),
    storeNameKey: storeNameKey(store.name),
  })
  return summary
}

/** Summarises up to `limit` promotions stored before the summary existed (oldest first); answers how many. */
export async function summariseMissing(repos: SummaryRepos, now: Date, limit: number): Promise<number> {
  const ids = await repos.promotions.unsummarised(limit)
  for (const id of ids) await refreshEvidenceSummary(repos, id, now)
  return ids.length
}

/** A stored summary read back (null: not summarised yet). */
export function storedSummary(level: string | null, reasons: string | null): EvidenceSummary | null {
  if (level !== 'GOOD' && level !== 'LOOK_CLOSELY' && level !== 'WEAK') return null
  return { level, reasons: reasons ? (JSON.parse(reasons) as EvidenceReason[]) : [] }
}
