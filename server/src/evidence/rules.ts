import type { GeoPointInput, StoreInput } from '../../../packages/contract/promotion'
import { distanceMeters } from '../../../packages/contract/rules/inspection'
import type { NewEvidenceFlag } from '../repo/evidence'
import type { UploadRow } from '../repo/uploads'
import type { EvidenceSettings } from './config'

/** A store name as compared: case, accents' width forms, punctuation and spacing ignored. */
export function storeNameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim()
}

/**
 * Two submissions are of the same store when the names match (storeNameKey) and the entered locations are at
 * most SAME_STORE_METERS apart: a near-duplicate photo of it is flagged for the reviewer, not refused.
 */
export function isSameStore(
  a: Pick<StoreInput, 'name' | 'location'>,
  b: Pick<StoreInput, 'name' | 'location'>,
  settings: Pick<EvidenceSettings, 'sameStoreMeters'>,
): boolean {
  return storeNameKey(a.name) === storeNameKey(b.name) && distanceMeters(a.location, b.location) <= settings.sameStoreMeters
}

type PhotoPlace = Pick<UploadRow, 'latitude' | 'longitude' | 'accuracy' | 'mocked'>

/**
 * Location trust of a submission (recorded, never refused): where the storefront photo was taken against the
 * store's entered location. LOCATION_UNKNOWN: the photo has no location; LOCATION_FAR: farther than
 * STOREFRONT_FAR_METERS; LOCATION_POOR_ACCURACY: the photo's (or the entered location's) accuracy is
 * LOCATION_POOR_ACCURACY_METERS or worse; LOCATION_MOCKED: DingTalk reported a mock location for either.
 * Each flag carries the distance when it is known.
 */
export function locationFlags(
  storeLocation: GeoPointInput,
  photo: PhotoPlace & { id: string },
  settings: Pick<EvidenceSettings, 'farMeters' | 'poorAccuracyMeters'>,
): NewEvidenceFlag[] {
  const base = { upload_id: photo.id, other_upload_id: null, other_promotion_id: null, hash_distance: null }
  const field = 'store.storefrontPhotoId'
  const flags: NewEvidenceFlag[] = []
  const located = photo.latitude !== null && photo.longitude !== null
  const meters = located ? distanceMeters(storeLocation, { latitude: photo.latitude as number, longitude: photo.longitude as number }) : null
  const flag = (kind: NewEvidenceFlag['kind'], at: string, accuracy: number | null) =>
    flags.push({ ...base, kind, field: at, meters, accuracy_meters: accuracy })
  if (!located) flag('LOCATION_UNKNOWN', field, null)
  else if ((meters as number) > settings.farMeters) flag('LOCATION_FAR', field, photo.accuracy)
  if (located && photo.accuracy !== null && photo.accuracy >= settings.poorAccuracyMeters) flag('LOCATION_POOR_ACCURACY', field, photo.accuracy)
  else if (storeLocation.accuracy !== null && storeLocation.accuracy >= settings.poorAccuracyMeters)
    flag('LOCATION_POOR_ACCURACY', 'store.location', storeLocation.accuracy)
  if (located && photo.mocked === 1) flag('LOCATION_MOCKED', field, photo.accuracy)
  else if (storeLocation.mocked) flag('LOCATION_MOCKED', 'store.location', storeLocation.accuracy)
  return flags
}
