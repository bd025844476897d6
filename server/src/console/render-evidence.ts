import type { EvidenceFlagKind, EvidenceFlagRow } from '../repo/evidence'
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
