import type { GeoPointInput } from '../../packages/contract/promotion'
import { photoCodeCheck, type PhotoCodeCheck, type PhotoQualityIssue, type UploadPurpose } from '../../packages/contract/photo-check'

/** A photo of a draft: a file kept on the device, or one already on the server (`server:<upload id>`). */
export interface PhotoRef {
  /** A kept file on the device (FilesPort.persist), or `server:<upload id>`. */
  localPath: string
  takenAt: string
  location: GeoPointInput | null
  /** Issue 26: the server's check of the photo, once uploaded (right after capture when online, else by the outbox). */
  check?: PhotoCheckRef | null
  /** The staff member saw the check's warning and kept the photo (Keep anyway); sent with the submission. */
  keptAnyway?: boolean
}

/** What the server found in an uploaded photo (UploadView.check), with the upload's id for the outbox to reuse. */
export interface PhotoCheckRef {
  uploadId: string
  issue: PhotoQualityIssue | null
  /** The texts of the QR codes read in the photo. */
  codes: string[]
  /** false: the server did not search the photo for QR codes (not sent as a spot photo); `codes` say nothing then. */
  qrChecked?: boolean
}

/** The quality problem the staff member has not answered yet (Retake or Keep anyway); null when none. */
export function pendingQualityIssue(photo: PhotoRef | null | undefined): PhotoQualityIssue | null {
  const issue = photo?.check?.issue ?? null
  return issue !== null && !photo?.keptAnyway ? issue : null
}

/**
 * Whether a spot photo shows `code` (MATCH, DIFFERENT, NONE) by the server's check; null while unknown: no code,
 * no check yet (e.g. offline), or a photo the server did not search for codes. `read` turns a QR's text into a code.
 */
export function codeInPhoto(photo: PhotoRef | null | undefined, code: string | null | undefined, read: (text: string) => string | null): PhotoCodeCheck | null {
  const check = photo?.check
  if (!code || !check || check.qrChecked === false) return null
  return photoCodeCheck(check.codes, code, read)
}

/**
 * What a photo of a submission is for, by the kind of submission and the field it fills: the server decodes QR
 * codes only in spot photos (a tenth to half a second per photo).
 */
export function photoPurpose(kind: 'promotion' | 'resubmission' | 'inspection' | 'appeal', field: string): UploadPurpose {
  if (kind === 'appeal') return 'appeal'
  const storefront = field === 'store.storefrontPhotoId'
  if (kind === 'inspection') return storefront ? 'inspection-storefront' : 'inspection-spot'
  return storefront ? 'storefront' : 'spot'
}

/** The text fields sent with a photo's upload: when and where it was taken, and what it is for. */
export function uploadFields(photo: PhotoRef, purpose: UploadPurpose): Record<string, string> {
  const fields: Record<string, string> = { takenAt: photo.takenAt, purpose }
  if (photo.location) {
    fields.latitude = String(photo.location.latitude)
    fields.longitude = String(photo.location.longitude)
    if (photo.location.accuracy !== null) fields.accuracy = String(photo.location.accuracy)
    fields.mocked = String(photo.location.mocked)
  }
  return fields
}

const SERVER = 'server:'

/** The path that names a photo already on the server. */
export const serverPhotoPath = (uploadId: string): string => `${SERVER}${uploadId}`

/** The upload id of a photo on the server; null for a file on the device. */
export function uploadIdOf(path: string): string | null {
  return path.startsWith(SERVER) ? path.slice(SERVER.length) : null
}

/** The device files (not server photos) a draft or any other plain value refers to, by their `localPath`. */
export function devicePhotoPaths(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const item of value) devicePhotoPaths(item, found)
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'localPath' && typeof item === 'string' && uploadIdOf(item) === null) found.add(item)
      else devicePhotoPaths(item, found)
    }
  }
  return found
}
