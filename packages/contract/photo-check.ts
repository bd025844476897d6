/**
 * Issue 26, items 1 and 3: what the server found in a photo when it was uploaded (its quality, the QR codes in
 * it) and how a spot photo's code compares with the code scanned for that spot. Pure: shared by the server,
 * the app and their tests.
 */

/** What is wrong with a photo's exposure or focus (null: nothing found). */
export type PhotoQualityIssue = 'DARK' | 'OVEREXPOSED' | 'BLURRED'

export const PHOTO_QUALITY_ISSUES: readonly PhotoQualityIssue[] = ['DARK', 'OVEREXPOSED', 'BLURRED']

/** The server's check of an uploaded photo (UploadView.check); null in the answer when the image could not be read. */
export interface PhotoCheckView {
  issue: PhotoQualityIssue | null
  /** Mean luminance, 0-255. */
  brightness: number
  /** Share of near-white pixels, 0-1. */
  overexposed: number
  /** Variance of the Laplacian on a 512 px greyscale copy (higher: sharper). */
  sharpness: number
  /** The texts of the QR codes read in the photo (empty: none readable, or not searched: qrChecked false). */
  codes: string[]
  /** false: the photo was not searched for QR codes at upload (not a spot photo); its `codes` say nothing. */
  qrChecked: boolean
}

/**
 * What a photo is for, said by the app with its upload (multipart field `purpose`): the server decodes QR codes
 * only where a code can matter (a spot photo), since the QR pass costs a tenth to half a second per phone photo.
 */
export const UPLOAD_PURPOSES = ['storefront', 'spot', 'payment', 'inspection-storefront', 'inspection-spot', 'appeal'] as const

export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number]

/** Whether an upload's photo is searched for QR codes at once: spot photos, and any photo of an app that does not say (null). */
export function decodesQrAtUpload(purpose: UploadPurpose | null): boolean {
  return purpose === null || purpose === 'spot' || purpose === 'inspection-spot'
}

/**
 * A Marketing Code spot's photo against the code scanned for the spot: MATCH (the photo shows it), DIFFERENT
 * (it shows another code) or NONE (no readable code in it).
 */
export type PhotoCodeCheck = 'MATCH' | 'DIFFERENT' | 'NONE'

/** Compares the codes read in a photo with the scanned code; `read` turns a QR's text into a bare code (the format's reader). */
export function photoCodeCheck(codesInPhoto: readonly string[], scannedCode: string, read: (text: string) => string | null): PhotoCodeCheck {
  if (codesInPhoto.length === 0) return 'NONE'
  const scanned = read(scannedCode) ?? scannedCode.trim()
  return codesInPhoto.some((text) => (read(text) ?? text.trim()) === scanned) ? 'MATCH' : 'DIFFERENT'
}
