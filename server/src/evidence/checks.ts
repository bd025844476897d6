import { randomUUID } from 'node:crypto'
import type { ErrorCode } from '../../../packages/contract/errors'
import type { StoreInput } from '../../../packages/contract/promotion'
import type { Clock } from '../clock'
import { ApiError } from '../errors'
import type { Repos } from '../repo'
import type { HashCandidate, NewEvidenceFlag } from '../repo/evidence'
import type { UploadRow } from '../repo/uploads'
import type { EvidenceSettings } from './config'
import { hammingDistance, looksLikeOnePhoto, probeRadius, type PhotoFingerprint, type PhotoHash } from './dhash'
import { nearDuplicateLockKeys } from './locks'
import { isSameStore, locationFlags } from './rules'

export interface EvidenceCheckDeps {
  repos: Repos
  clock: Clock
  settings: EvidenceSettings
}

/**
 * The photos in promotions that look like `fingerprint` (other than `exceptUploadId`), nearest first: the indexed
 * band probes, the whole distance, then the few near enough looked up (the bench times this function).
 */
export async function photosLike(
  repos: Pick<Repos, 'evidence' | 'uploads'>,
  settings: Pick<EvidenceSettings, 'reuseMaxBits' | 'reuseMaxColour'>,
  fingerprint: PhotoFingerprint,
  exceptUploadId: string | null,
): Promise<Array<{ uploadId: string; promotionId: string; distance: number }>> {
  const matches: Array<{ uploadId: string; promotionId: string; distance: number }> = []
  const near = new Map<string, PhotoHash>()
  for (const c of await repos.evidence.candidates(fingerprint.hash, probeRadius(settings.reuseMaxBits))) {
    const hash: PhotoHash = [c.band0, c.band1, c.band2, c.band3]
    if (hammingDistance(fingerprint.hash, hash) <= settings.reuseMaxBits) near.set(hash.join(','), hash)
  }
  for (const hash of near.values()) {
    for (const stored of await repos.evidence.fingerprintsWithHash(hash)) {
      if (stored.upload_id === exceptUploadId) continue
      const distance = looksLikeOnePhoto(fingerprint, { hash, colours: stored.colours }, settings)
      // only photos that are part of a promotion count
      const promotionId = distance === null ? null : (await repos.uploads.findById(stored.upload_id))?.promotion_id
      if (distance !== null && promotionId) matches.push({ uploadId: stored.upload_id, promotionId, distance })
    }
  }
  return matches.sort((a, b) => a.distance - b.distance || a.uploadId.localeCompare(b.uploadId))
}

/** A submission's photos' fingerprints and uploads read before its checks (they never change once stored). */
export interface KnownPhotos {
  fingerprints: ReadonlyMap<string, HashCandidate & { colours: string }>
  uploads: ReadonlyMap<string, UploadRow>
}

/** The photos in promotions that look like this upload, nearest first (none when it has no fingerprint). */
async function nearest(repos: Repos, settings: EvidenceSettings, uploadId: string, known?: KnownPhotos) {
  const own = known ? known.fingerprints.get(uploadId) : await repos.evidence.findHash(uploadId)
  if (!own) return []
  return photosLike(repos, settings, { hash: [own.band0, own.band1, own.band2, own.band3], colours: own.colours }, uploadId)
}

/** Issue 26 items 2 and 4 at submit: near-duplicate photos (refused or flagged) and location trust (flagged). */
export function createEvidenceChecks({ repos, clock, settings }: EvidenceCheckDeps) {
  const record = async (promotionId: string, flags: readonly NewEvidenceFlag[]): Promise<void> => {
    const at = clock.now().toISOString()
    for (const flag of flags) await repos.evidence.insertFlag(`evf-${randomUUID()}`, promotionId, at, flag)
  }

  return {
    /**
     * Before a submission is stored: 409 PHOTO_REUSED (at each photo concerned) when a photo looks like a photo
     * of another store's promotion; otherwise the flags to record once the promotion exists (a photo that looks
     * like one of the same store's earlier promotion; where the storefront photo was taken).
     *
     * A Modify (resubmission) of `ownPromotionId` is checked the same way: its own photos never count as
     * matches, and only the photos it changes (`changed`: the upload ids not in the promotion before) can be
     * refused; an unchanged photo that was accepted before keeps at most its same-store flag.
     */
    async beforeSubmit(
      store: StoreInput,
      photos: ReadonlyArray<[field: string, uploadId: string]>,
      modify?: { ownPromotionId: string; changed: ReadonlySet<string> },
      known?: KnownPhotos,
    ): Promise<NewEvidenceFlag[]> {
      const reused: Record<string, ErrorCode> = {}
      const flags: NewEvidenceFlag[] = []
      const stores = new Map<string, StoreInput | null>()
      for (const [field, uploadId] of photos) {
        const mayRefuse = !modify || modify.changed.has(uploadId)
        let sameStoreMatch: NewEvidenceFlag | null = null
        for (const m of await nearest(repos, settings, uploadId, known)) {
          if (m.promotionId === modify?.ownPromotionId) continue
          if (!stores.has(m.promotionId)) {
            const other = await repos.promotions.findById(m.promotionId)
            stores.set(m.promotionId, other ? (JSON.parse(other.store_json) as StoreInput) : null)
          }
          const other = stores.get(m.promotionId)
          if (other && isSameStore(store, other, settings)) {
            sameStoreMatch ??= {
              kind: 'PHOTO_LOOKS_LIKE_SAME_STORE',
              field,
              upload_id: uploadId,
              other_upload_id: m.uploadId,
              other_promotion_id: m.promotionId,
              hash_distance: m.distance,
              meters: null,
              accuracy_meters: null,
            }
          } else if (mayRefuse) {
            reused[field] = 'PHOTO_REUSED'
            break
          }
        }
        if (!reused[field] && sameStoreMatch) flags.push(sameStoreMatch)
      }
      if (Object.keys(reused).length > 0) {
        throw new ApiError(409, 'PHOTO_REUSED', "A photo looks like a photo of another store's submission; take a new photo at this store.", reused)
      }
      const storefront = photos.find(([field]) => field === 'store.storefrontPhotoId')
      const upload = storefront ? (known?.uploads.get(storefront[1]) ?? (await repos.uploads.findById(storefront[1]))) : undefined
      if (upload) flags.push(...locationFlags(store.location, upload, settings))
      return flags
    },

    /**
     * A Modify's flags (within its transaction): the promotion's earlier flags are deleted (they describe photos
     * and a store location that may be gone; the new submission's checks replace them all), then these recorded.
     */
    async replace(promotionId: string, flags: readonly NewEvidenceFlag[]): Promise<void> {
      await repos.evidence.deleteFlags(promotionId)
      await record(promotionId, flags)
    },

    /**
     * The keys a submission of these photos locks on PostgreSQL, so that two submissions of photos alike never
     * check each other's absence at the same time (evidence/locks.ts).
     */
    async lockKeys(uploadIds: readonly string[], known?: KnownPhotos): Promise<string[]> {
      const fingerprints = known?.fingerprints ?? (await repos.evidence.findHashes(uploadIds))
      const keys: string[] = []
      for (const id of uploadIds) {
        const own = fingerprints.get(id)
        if (own) keys.push(...nearDuplicateLockKeys([own.band0, own.band1, own.band2, own.band3], settings.reuseMaxBits))
      }
      return keys
    },

    /** What a submission's checks read of its photos, read once before its transaction (see KnownPhotos). */
    async known(uploadIds: readonly string[]): Promise<KnownPhotos> {
      const [fingerprints, uploads] = await Promise.all([repos.evidence.findHashes(uploadIds), repos.uploads.findManyWithUse(uploadIds)])
      return { fingerprints, uploads: new Map(uploads.map((u) => [u.id, u])) }
    },

    /** Records the flags of a promotion just stored (within its transaction). */
    record,
  }
}

export type EvidenceChecks = ReturnType<typeof createEvidenceChecks>
