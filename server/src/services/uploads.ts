import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Clock } from '../clock'
import type { Db } from '../db'
import { ApiError } from '../errors'
import type { Repos } from '../repo'
import type { ImageMime, NewUpload, UploadRow } from '../repo/uploads'
import type { PhotoStore } from '../storage/port'
import { photoFingerprint, type PhotoFingerprint } from '../evidence/dhash'
import type { PhotoAnalysis } from '../photo-checks/analyze'
import type { PhotoCheckService } from '../photo-checks/service'
import { UPLOAD_PURPOSES, type PhotoCheckView, type UploadPurpose } from '../../../packages/contract/photo-check'

export interface UploadServiceDeps {
  db: Db
  repos: Repos
  clock: Clock
  /** Where the photo files are kept: the upload folder (never inside a web root) or a bucket. */
  photos: PhotoStore
  /** Issue 26: each new photo's quality and QR codes, measured before it is stored. */
  photoChecks: PhotoCheckService
}

/** The text fields sent with a photo (multipart); every one optional and untrusted. */
export type UploadFields = Partial<Record<'takenAt' | 'latitude' | 'longitude' | 'accuracy' | 'mocked' | 'purpose', string>>

/**
 * What the photo is for (the field `purpose`): null when the app does not say (an older app: every check runs);
 * 400 VALIDATION_FAILED for a value that is none of UPLOAD_PURPOSES.
 */
export function uploadPurpose(fields: UploadFields): UploadPurpose | null {
  const text = fields.purpose?.trim()
  if (!text) return null
  const purpose = UPLOAD_PURPOSES.find((p) => p === text)
  if (!purpose) {
    throw new ApiError(400, 'VALIDATION_FAILED', `The field "purpose" must be one of ${UPLOAD_PURPOSES.join(', ')}.`, { purpose: 'VALIDATION_FAILED' })
  }
  return purpose
}

const EXTENSIONS: Record<ImageMime, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }
const STORED_NAME = /^[0-9a-f]{32}\.(jpg|png|webp)$/

/** The image type by its first bytes (the declared type and file name are not trusted), or null. */
export function sniffImage(content: Buffer): ImageMime | null {
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg'
  if (content.length >= 8 && content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (content.length >= 12 && content.toString('latin1', 0, 4) === 'RIFF' && content.toString('latin1', 8, 12) === 'WEBP') return 'image/webp'
  return null
}

function finite(text: string | undefined, min: number, max: number): number | null {
  const trimmed = text?.trim()
  if (!trimmed || trimmed.length > 32) return null
  const value = Number(trimmed)
  return Number.isFinite(value) && value >= min && value <= max ? value : null
}

/**
 * Where and when the photo was taken, read leniently: a value that is missing or not understood is left
 * out (the location as a whole when latitude or longitude is), never a refusal — the photo is what counts.
 */
export function uploadMetadata(fields: UploadFields): Pick<NewUpload, 'taken_at' | 'latitude' | 'longitude' | 'accuracy' | 'mocked'> {
  const takenText = fields.takenAt?.trim() ?? ''
  const takenMs = takenText && takenText.length <= 40 ? Date.parse(takenText) : NaN
  const latitude = finite(fields.latitude, -90, 90)
  const longitude = finite(fields.longitude, -180, 180)
  const located = latitude !== null && longitude !== null
  const mocked = /^(true|1)$/i.test(fields.mocked?.trim() ?? '') ? 1 : 0
  return {
    taken_at: Number.isNaN(takenMs) ? null : new Date(takenMs).toISOString(),
    latitude: located ? latitude : null,
    longitude: located ? longitude : null,
    accuracy: located ? finite(fields.accuracy, 0, 1e7) : null,
    mocked: located ? mocked : null,
  }
}

/** The bytes of a stored photo, or null when its file is gone (or its stored name is not one the server gives). */
export function readStoredPhoto(photos: PhotoStore, upload: Pick<UploadRow, 'stored_name'>): Promise<Buffer | null> {
  return STORED_NAME.test(upload.stored_name) ? photos.get(upload.stored_name) : Promise.resolve(null)
}

/** Photos: content-addressed checks (sha256), stored under random names in the photo store. */
export function createUploadService({ db, repos, clock, photos, photoChecks }: UploadServiceDeps) {
  const refuseRepeated = () => {
    throw new ApiError(409, 'PHOTO_REPEATED', 'This photo is part of a submission already; take a new one.')
  }

  /**
   * Within one write transaction: an earlier unused upload of the same content, or the new row with its checks and
   * its fingerprint (stored before the answer, so before any submission can name it; one missing: npm run
   * photos:fingerprint).
   */
  const record = (row: NewUpload, analysis: PhotoAnalysis | null, fingerprint: PhotoFingerprint | null): Promise<{ created: boolean; upload: UploadRow }> =>
    db.transaction(
      async () => {
        const content = await repos.uploads.contentState(row.staff_id, row.sha256)
        if (content.used) refuseRepeated()
        if (content.unusedOfStaff) return { created: false, upload: content.unusedOfStaff }
        await repos.uploads.insert(row)
        if (analysis) await photoChecks.save(row.id, analysis)
        if (fingerprint) await repos.evidence.insertHash(row.id, fingerprint)
        return { created: true, upload: { ...row, promotion_id: null, inspection_id: null } }
      },
      { locks: [`photo:${row.sha256}`] },
    )

  return {
    /**
     * Stores a photo for the staff member: 415 NOT_AN_IMAGE unless JPEG, PNG or WebP by content; 409
     * PHOTO_REPEATED when the same content is part of a submission already; the earlier upload (created:
     * false) when this staff member sent the same content before and it is unused (a retry). With the photo's check
     * (null: the image could not be measured).
     */
    async save(staffId: string, content: Buffer, fields: UploadFields): Promise<{ created: boolean; upload: UploadRow; check: PhotoCheckView | null }> {
      if (content.length === 0) throw new ApiError(400, 'PHOTO_REQUIRED', 'The file is empty; send the photo in the field "file".')
      const mime = sniffImage(content)
      if (!mime) throw new ApiError(415, 'NOT_AN_IMAGE', 'The file is not a JPEG, PNG or WebP image.')
      const purpose = uploadPurpose(fields)
      const sha256 = createHash('sha256').update(content).digest('hex')

      // Cheap checks first, so that a retry or a repeated photo writes nothing.
      const before = await repos.uploads.contentState(staffId, sha256)
      if (before.used) refuseRepeated()
      if (before.unusedOfStaff) return { created: false, upload: before.unusedOfStaff, check: await photoChecks.view(before.unusedOfStaff.id) }

      // issue 26, measured outside the transaction (CPU work, decoded once each by sharp's threads): the perceptual
      // fingerprint the near-duplicate check compares (null: none usable), and the quality and (for a spot photo,
      // or when the app does not say what the photo is for) the QR codes
      const [fingerprint, analysis] = await Promise.all([photoFingerprint(content), photoChecks.analyze(content, purpose)])
      const storedName = `${randomBytes(16).toString('hex')}.${EXTENSIONS[mime]}`
      await photos.put(storedName, content, mime)
      let result: { created: boolean; upload: UploadRow }
      try {
        result = await record(
          {
            id: `upl-${randomUUID()}`,
            staff_id: staffId,
            sha256,
            mime,
            size: content.length,
            stored_name: storedName,
            created_at: clock.now().toISOString(),
            ...uploadMetadata(fields),
          },
          analysis,
          fingerprint,
        )
      } catch (error) {
        await photos.delete(storedName)
        throw error
      }
      if (result.created) return { ...result, check: analysis ? photoChecks.viewOf(analysis) : null }
      // the same content arrived twice at once: keep the first
      await photos.delete(storedName)
      return { ...result, check: await photoChecks.view(result.upload.id) }
    },

    /** The photo's bytes, or null when the file is gone. */
    read: (upload: UploadRow): Promise<Buffer | null> => readStoredPhoto(photos, upload),
  }
}

export type UploadService = ReturnType<typeof createUploadService>
