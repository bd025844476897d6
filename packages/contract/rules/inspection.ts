import type { GeoPointInput } from '../promotion'
import type { SpotCondition } from '../inspection'

/** Farther than this from the store's recorded location is flagged (recorded, not blocked). */
export const FAR_FROM_STORE_METERS = 200

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: Pick<GeoPointInput, 'latitude' | 'longitude'>, b: Pick<GeoPointInput, 'latitude' | 'longitude'>): number {
  const R = 6371000
  const rad = (d: number) => (d * Math.PI) / 180
  const dLat = rad(b.latitude - a.latitude)
  const dLng = rad(b.longitude - a.longitude)
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2
  return Math.round(2 * R * Math.asin(Math.min(1, Math.sqrt(h))))
}

export type CodeComparison = 'MATCH' | 'MISMATCH' | 'NOT_A_CODE' | 'NOT_SCANNED'

/** A scan that the app kept: the code it read (the app keeps only Marketing Codes, read with the session's format). */
const alreadyRead = (scanned: string): string | null => scanned.trim() || null

/**
 * The code scanned at the spot against the code bound to it at promotion. `read`: how a scan is read (the server
 * passes its MarketingCodeReader's; the app's drafts hold codes it read already).
 */
export function compareCodes(
  scanned: string | null | undefined,
  bound: string | null | undefined,
  read: (scanned: string) => string | null = alreadyRead,
): CodeComparison {
  if (!scanned) return 'NOT_SCANNED'
  const code = read(scanned)
  if (!code) return 'NOT_A_CODE'
  return bound && code === bound ? 'MATCH' : 'MISMATCH'
}

/**
 * Whether a spot's result needs written feedback: whenever something is wrong (not present and securely
 * posted, or the code differs from the one bound to the spot).
 */
export function feedbackRequired(condition: SpotCondition | '', comparison: CodeComparison, isMarketingCode: boolean): boolean {
  if (condition === '') return false
  if (condition !== 'PRESENT') return true
  return isMarketingCode && comparison === 'MISMATCH'
}

/** Whether the store's result needs written feedback: the store was closed, or it is not the same store. */
export function storeFeedbackRequired(store: { open: boolean | null; sameStore: boolean | null }): boolean {
  return store.open === false || store.sameStore === false
}

/** Feedback that says nothing (empty or blank) is missing. */
export function feedbackMissing(feedback: string | null | undefined): boolean {
  return !feedback || !feedback.trim()
}
