import type { PhotoQualityIssue } from '../../../packages/contract/photo-check'
import {
  MANY_CONCERNS_THRESHOLD,
  REASON_SEVERITY,
  type EvidenceLevel,
  type EvidenceReason,
  type EvidenceReasonKind,
  type EvidenceSummary,
} from '../evidence/summary'
import type { EvidenceFlagKind, EvidenceFlagRow } from '../repo/evidence'
import { REJECTION_WINDOW_DAYS } from '../services/inspection-risk'
import { html, type SafeHtml } from './html'

/** Short names of the evidence flags (the review queue). */
export const EVIDENCE_FLAG_LABELS: Record<EvidenceFlagKind, string> = {
  PHOTO_LOOKS_LIKE_SAME_STORE: 'Photo like an earlier one',
  LOCATION_FAR: 'Taken far from the store',
  LOCATION_POOR_ACCURACY: 'Poor location accuracy',
  LOCATION_MOCKED: 'Mock location',
  LOCATION_UNKNOWN: 'No photo location',
}

const metres = (m: number | null) =>
  m === null ? 'an unknown distance' : m >= 10_000 ? `${(m / 1000).toFixed(0)} km` : m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`

/** One flag as a sentence for the reviewer. */
function sentence(f: EvidenceFlagRow): SafeHtml {
  const accuracy = f.accuracy_meters === null ? '' : ` (accuracy ±${Math.round(f.accuracy_meters)} m)`
  const entered = f.field === 'store.location'
  switch (f.kind) {
    case 'PHOTO_LOOKS_LIKE_SAME_STORE':
      return html`Looks like a photo of an earlier promotion of the same store (${f.hash_distance ?? '?'} of 64 hash bits differ): <a href="/console/promotions/${encodeURIComponent(f.other_promotion_id ?? '')}">open that promotion</a>, <a href="/console/uploads/${encodeURIComponent(f.other_upload_id ?? '')}">that photo</a>. Not refused: check that it shows this visit.`
    case 'LOCATION_FAR':
      return html`Taken ${metres(f.meters)} from the store's entered location${accuracy}.`
    case 'LOCATION_POOR_ACCURACY':
      return entered
        ? html`The store's entered location was uncertain${accuracy}.`
        : html`The photo's location was uncertain${accuracy}; taken ${metres(f.meters)} from the store's entered location.`
    case 'LOCATION_MOCKED':
      return entered
        ? html`DingTalk reported a mock location when the store's location was entered.`
        : html`DingTalk reported a mock location when the photo was taken (${metres(f.meters)} from the store's entered location).`
    case 'LOCATION_UNKNOWN':
      return html`The photo has no location: where it was taken cannot be compared with the store.`
  }
}

/** The flags at one photo (its submission field, e.g. store.storefrontPhotoId), beside it on the promotion page. */
export function evidenceNotes(flags: readonly EvidenceFlagRow[] | undefined, ...fields: string[]): SafeHtml | '' {
  const at = (flags ?? []).filter((f) => f.field !== null && fields.includes(f.field))
  if (at.length === 0) return ''
  return html`<ul class="evidence-flags" aria-label="Evidence checks">
${at.map((f) => html`<li class="evidence-flag" data-evidence-flag="${f.kind}"${f.meters === null ? '' : html` data-meters="${Math.round(f.meters)}"`}>${sentence(f)}</li>`)}
</ul>`
}

/** The flags of a promotion in the review queue (its Store cell). */
export function evidenceBadges(kinds: readonly EvidenceFlagKind[] | undefined): SafeHtml | '' {
  if (!kinds || kinds.length === 0) return ''
  return html`<br><span class="evidence-badges">Evidence: ${kinds.map(
    (k, i) => html`${i > 0 ? ' · ' : ''}<span class="badge" data-evidence-flag="${k}">${EVIDENCE_FLAG_LABELS[k]}</span>`,
  )}</span>`
}

// ---- The evidence summary (issue 26 item 5): its level and reasons, in the queue and atop the promotion page ----

export const EVIDENCE_LEVEL_LABELS: Record<EvidenceLevel, string> = { WEAK: 'Weak', LOOK_CLOSELY: 'Look closely', GOOD: 'Good' }

const QUALITY_WORDS: Record<PhotoQualityIssue, string> = { DARK: 'too dark', OVEREXPOSED: 'overexposed', BLURRED: 'blurred' }

/** The flag a reason comes from (its badge keeps the flag's data attribute and label). */
const FLAG_OF: Partial<Record<EvidenceReasonKind, EvidenceFlagKind>> = {
  PHOTO_LIKE_SAME_STORE: 'PHOTO_LOOKS_LIKE_SAME_STORE',
  LOCATION_FAR: 'LOCATION_FAR',
  LOCATION_POOR_ACCURACY: 'LOCATION_POOR_ACCURACY',
  LOCATION_MOCKED: 'LOCATION_MOCKED',
  LOCATION_UNKNOWN: 'LOCATION_UNKNOWN',
}

/** What a field is called on the page: "storefront photo", "spot 2 photo", "MPM payment", "store location". */
export function fieldName(field: string): string {
  if (field === 'store.storefrontPhotoId') return 'storefront photo'
  if (field === 'store.location') return 'store location'
  const spot = /^spots\.(\d+)\.photoId$/.exec(field)
  if (spot) return `spot ${Number(spot[1]) + 1} photo`
  const payment = /^payment\.(MPM|UPM)$/.exec(field)
  if (payment) return `${payment[1]} payment`
  return field
}

/** The anchor on the promotion page where a field's evidence is shown (beside its photo, or the payments). */
export function evidenceAnchor(field: string): string {
  if (field.startsWith('store.')) return 'evidence-store'
  const spot = /^spots\.(\d+)\./.exec(field)
  if (spot) return `evidence-spot-${spot[1]}`
  return 'payment-heading'
}

/** A reason in a few words (the queue, and beside the photo it concerns). */
export function reasonLabel(r: EvidenceReason): string {
  switch (r.kind) {
    case 'CODE_DIFFERENT':
      return 'Photo shows another code'
    case 'CODE_NOT_READABLE':
      return 'No readable code in photo'
    case 'PHOTO_QUALITY_KEPT':
      return `Photo ${QUALITY_WORDS[r.issue]}, kept`
    case 'PHOTO_LIKE_SAME_STORE':
    case 'LOCATION_FAR':
    case 'LOCATION_POOR_ACCURACY':
    case 'LOCATION_MOCKED':
    case 'LOCATION_UNKNOWN':
      return EVIDENCE_FLAG_LABELS[FLAG_OF[r.kind] as EvidenceFlagKind]
    case 'PAYMENT_FAILED':
      return `${r.mode} payment failed`
    case 'PAYMENT_REJECTED':
      return `${r.mode} payment rejected by a reviewer`
    case 'PAYMENT_BY_REVIEWER':
      return `${r.mode} payment checked by a reviewer only`
    case 'PAYMENT_MISSING':
      return `No ${r.mode} payment evidence`
    case 'STAFF_REJECTIONS':
      return `Staff: ${r.rejected} of ${r.decided} rejected`
    case 'MANY_CONCERNS':
      return `${r.count} kinds of concern`
  }
}

/** A reason as a sentence (atop the promotion page). */
export function reasonSentence(r: EvidenceReason): string {
  const at = 'field' in r ? ` (${fieldName(r.field)})` : ''
  switch (r.kind) {
    case 'CODE_DIFFERENT':
      return `The photo shows a different Marketing Code than the one scanned${at}.`
    case 'CODE_NOT_READABLE':
      return `No readable code in the photo: check by eye that it shows the scanned code${at}.`
    case 'PHOTO_QUALITY_KEPT':
      return `The photo is ${QUALITY_WORDS[r.issue]}; ${r.confirmed ? 'the staff member was warned and kept it' : 'sent without confirming the warning'}${at}.`
    case 'PHOTO_LIKE_SAME_STORE':
      return `The photo looks like a photo of an earlier promotion of the same store${r.bits === null ? '' : ` (${r.bits} of 64 hash bits differ)`}${at}.`
    case 'LOCATION_FAR':
      return `Taken ${metres(r.meters)} from the store's entered location${at}.`
    case 'LOCATION_POOR_ACCURACY':
      return `The location was uncertain${r.accuracy === null ? '' : ` (±${Math.round(r.accuracy)} m)`}${at}.`
    case 'LOCATION_MOCKED':
      return `DingTalk reported a mock location${at}.`
    case 'LOCATION_UNKNOWN':
      return `The photo has no location${at}.`
    case 'PAYMENT_FAILED':
      return `The latest ${r.mode} payment verification failed.`
    case 'PAYMENT_REJECTED':
      return `A reviewer rejected the latest ${r.mode} payment evidence.`
    case 'PAYMENT_BY_REVIEWER':
      return `The ${r.mode} payment was checked by a reviewer only, not looked up at Alipay+.`
    case 'PAYMENT_MISSING':
      return `No ${r.mode} payment evidence yet.`
    case 'STAFF_REJECTIONS':
      return `The staff member had ${r.rejected} of ${r.decided} promotions rejected in the last ${REJECTION_WINDOW_DAYS} days.`
    case 'MANY_CONCERNS':
      return `${r.count} different reasons to look closely, together, make the evidence weak.`
  }
}

function reasonBadge(r: EvidenceReason): SafeHtml {
  const flag = FLAG_OF[r.kind]
  return html`<span class="badge severity-${REASON_SEVERITY[r.kind]}" data-evidence-reason="${r.kind}"${flag ? html` data-evidence-flag="${flag}"` : ''}${
    'field' in r ? html` data-evidence-field="${r.field}"` : ''
  }>${reasonLabel(r)}${'field' in r && !r.field.startsWith('payment.') ? ` (${fieldName(r.field)})` : ''}</span>`
}

export function evidenceLevelBadge(level: EvidenceLevel): SafeHtml {
  return html`<strong class="evidence-level evidence-${level}" data-evidence-level="${level}">${EVIDENCE_LEVEL_LABELS[level]}</strong>`
}

/** The queue's Evidence cell: the level and each reason (or, not summarised yet, the flags). */
export function evidenceCell(summary: EvidenceSummary | null, flags: readonly EvidenceFlagKind[] | undefined): SafeHtml {
  if (!summary) return html`<span class="muted" data-evidence-level="NONE">Not summarised yet</span>${evidenceBadges(flags)}`
  return html`${evidenceLevelBadge(summary.level)}${summary.reasons.map((r, i) => html`${i === 0 ? html`<br>` : ' · '}${reasonBadge(r)}`)}`
}

/** Atop the promotion page: the level and every reason, each linking to where its photo or payment is shown. */
export function evidenceSummarySection(summary: EvidenceSummary | null): SafeHtml {
  if (!summary) return html``
  return html`<section aria-labelledby="evidence-summary-heading" class="evidence-summary" data-evidence-level="${summary.level}">
  <h2 id="evidence-summary-heading">Evidence: ${EVIDENCE_LEVEL_LABELS[summary.level]}</h2>
  ${
    summary.reasons.length === 0
      ? html`<p class="muted">No reason to look closely: the photos passed their checks, the payments were looked up at Alipay+, nothing was flagged.</p>`
      : html`<ul>
${summary.reasons.map(
  (r) =>
    html`<li data-evidence-reason="${r.kind}" data-severity="${REASON_SEVERITY[r.kind]}"><strong>${EVIDENCE_LEVEL_LABELS[REASON_SEVERITY[r.kind]]}:</strong> ${reasonSentence(r)}${
      'field' in r ? html` <a href="#${evidenceAnchor(r.field)}">See the ${fieldName(r.field)}</a>` : ''
    }</li>`,
)}
</ul>`
  }
  <p class="muted">Weak: a different code in the photo, a mock location, a photo like an earlier one, a failed or rejected payment, or ${MANY_CONCERNS_THRESHOLD} different reasons to look closely together. README "Evidence summary".</p>
</section>`
}

/**
 * Beside a photo (or the payments): the summary's reasons that concern these fields, as a marker that the
 * detailed notes next to it (the flags, the photo check) count in the summary, and with what weight.
 */
export function evidenceReasonsAt(summary: EvidenceSummary | null | undefined, ...fields: string[]): SafeHtml | '' {
  const at = (summary?.reasons ?? []).filter((r) => 'field' in r && fields.includes(r.field))
  if (at.length === 0) return ''
  return html`<p class="evidence-reasons" data-evidence-at="${fields[0]}">In the evidence summary: ${at.map(
    (r, i) => html`${i > 0 ? ' · ' : ''}<strong>${EVIDENCE_LEVEL_LABELS[REASON_SEVERITY[r.kind]]}</strong> ${reasonBadge(r)}`,
  )}</p>`
}
