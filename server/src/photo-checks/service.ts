import { decodesQrAtUpload, photoCodeCheck, type PhotoCheckView, type UploadPurpose } from '../../../packages/contract/photo-check'
import type { MarketingCodeReader } from '../../../packages/contract/rules/marketing-code'
import type { Clock } from '../clock'
import type { PhotoCheckRepo, PhotoCheckRow } from '../repo/photo-checks'
import { analyzePhoto, decodeQrCodes, type PhotoAnalysis, type PhotoQualityThresholds } from './analyze'

export interface PhotoCheckDeps {
  checks: PhotoCheckRepo
  clock: Clock
  thresholds: PhotoQualityThresholds
  marketingCodes: MarketingCodeReader
  /** The bytes of an uploaded photo (null: gone), for the QR pass of a photo skipped at upload. */
  photoBytes: (uploadId: string) => Promise<Buffer | null>
}

/** A submission's photos as the service reads them (first submission or Modify, codes read already). */
export interface SubmittedPhotos {
  product: string
  store: { storefrontPhotoId: string }
  spots: ReadonlyArray<{ photoId: string; marketingCode?: string }>
}

export function toPhotoCheckView(row: PhotoCheckRow): PhotoCheckView {
  let codes: string[] = []
  try {
    const parsed: unknown = JSON.parse(row.qr_codes)
    if (Array.isArray(parsed)) codes = parsed.filter((c): c is string => typeof c === 'string')
  } catch {
    codes = []
  }
  return {
    issue: row.quality_issue,
    brightness: row.brightness,
    overexposed: row.overexposed,
    sharpness: row.sharpness,
    codes,
    qrChecked: row.qr_checked !== 0,
  }
}

/**
 * `keptPhotoIds` of a submission's body (the photos whose quality warning the staff member saw and kept): read
 * leniently, since it only records a choice; anything not a list of short ids counts as none.
 */
export function keptPhotoIdsOf(body: unknown): string[] {
  const value = (body as { keptPhotoIds?: unknown } | null)?.keptPhotoIds
  if (!Array.isArray(value)) return []
  return value.filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 64).slice(0, 64)
}

/** The row save records for a photo's analysis (its QR codes: none searched is stored as not checked). */
function rowOf(uploadId: string, analysis: PhotoAnalysis, at: Date): Omit<PhotoCheckRow, 'kept' | 'code_check'> {
  return {
    upload_id: uploadId,
    quality_issue: analysis.issue,
    brightness: analysis.brightness,
    overexposed: analysis.overexposed,
    sharpness: analysis.sharpness,
    qr_codes: JSON.stringify(analysis.codes ?? []),
    qr_checked: analysis.codes === null ? 0 : 1,
    checked_at: at.toISOString(),
  }
}

/** A submission's photos, each with the code its photo is compared with (a Marketing Code spot's; else null). */
function submittedPhotos(input: SubmittedPhotos): Array<{ id: string; code: string | null }> {
  return [
    { id: input.store.storefrontPhotoId, code: null },
    ...input.spots.map((s) => ({ id: s.photoId, code: input.product === 'MARKETING_CODE' && s.marketingCode ? s.marketingCode : null })),
  ]
}

/** Issue 26, items 1 and 3: photo quality and the code in the photo, checked at upload and recorded at submission. */
export function createPhotoCheckService({ checks, clock, thresholds, marketingCodes, photoBytes }: PhotoCheckDeps) {
  /**
   * A row's QR codes: read from the photo now when its QR pass was skipped at upload (then recorded); null when
   * they cannot be known (the file is gone), never a wrong "no readable code".
   */
  async function codesOf(row: PhotoCheckRow): Promise<string[] | null> {
    if (row.qr_checked !== 0) return toPhotoCheckView(row).codes
    const content = await photoBytes(row.upload_id).catch(() => null)
    if (!content) return null
    const codes = await decodeQrCodes(content).catch(() => [])
    await checks.setCodes(row.upload_id, JSON.stringify(codes))
    return codes
  }

  return {
    /**
     * Measures a photo (before it is stored); its QR codes only when `purpose` says a code can matter in it
     * (decodesQrAtUpload: a spot photo, or an app that does not say). null when the image cannot be decoded.
     */
    analyze: (content: Buffer, purpose: UploadPurpose | null = null): Promise<PhotoAnalysis | null> =>
      analyzePhoto(content, thresholds, decodesQrAtUpload(purpose)),

    async save(uploadId: string, analysis: PhotoAnalysis): Promise<void> {
      await checks.insert(rowOf(uploadId, analysis, clock.now()))
    },

    /** The view of a photo's analysis as save records it (what view answers after save, without reading it back). */
    viewOf: (analysis: PhotoAnalysis): PhotoCheckView => toPhotoCheckView({ ...rowOf('', analysis, clock.now()), kept: null, code_check: null }),

    async view(uploadId: string): Promise<PhotoCheckView | null> {
      const row = await checks.find(uploadId)
      return row ? toPhotoCheckView(row) : null
    },

    /**
     * At submission (first or Modify): whether each photo the check warned about was kept knowingly, and for each
     * Marketing Code spot whether its photo shows the scanned code (MATCH, DIFFERENT, NONE).
     */
    async recordSubmission(input: SubmittedPhotos, keptPhotoIds: readonly string[]): Promise<Map<string, PhotoCheckRow>> {
      const photos = submittedPhotos(input)
      const rows = new Map((await checks.findMany(photos.map((p) => p.id))).map((r) => [r.upload_id, r]))
      for (const photo of photos) {
        const row = rows.get(photo.id)
        if (!row) continue
        const kept = row.quality_issue === null ? null : keptPhotoIds.includes(photo.id) ? 1 : 0
        // a spot photo whose QR pass was skipped at upload (e.g. sent as a storefront photo) is read now
        const codes = photo.code === null ? null : await codesOf(row)
        const codeCheck = photo.code === null || codes === null ? null : photoCodeCheck(codes, photo.code, marketingCodes.read)
        // unchanged (nothing warned about, no code to compare, as recorded): nothing to write
        if (kept !== row.kept || codeCheck !== row.code_check) await checks.setOutcome(photo.id, kept, codeCheck)
        rows.set(photo.id, { ...row, kept, code_check: codeCheck })
      }
      return rows
    },

    /**
     * Before a submission's transaction: reads the codes of its Marketing Code spot photos whose QR pass was
     * skipped at upload (CPU work kept out of the transaction; recordSubmission then finds them read).
     */
    async prepareSubmission(input: SubmittedPhotos): Promise<void> {
      const spotIds = submittedPhotos(input)
        .filter((p) => p.code !== null)
        .map((p) => p.id)
      if (spotIds.length === 0) return
      for (const row of await checks.findMany(spotIds)) if (row.qr_checked === 0) await codesOf(row)
    },

    /** At an appeal: whether each of its photos the check warned about was kept knowingly (Keep anyway). */
    async recordKept(photoIds: readonly string[], keptPhotoIds: readonly string[]): Promise<void> {
      for (const row of await checks.findMany(photoIds)) {
        if (row.quality_issue !== null) await checks.setOutcome(row.upload_id, keptPhotoIds.includes(row.upload_id) ? 1 : 0, row.code_check)
      }
    },

    /** The checks of a promotion's photos, by upload id (console). */
    async forPhotos(uploadIds: readonly string[]): Promise<Map<string, PhotoCheckRow>> {
      return new Map((await checks.findMany(uploadIds)).map((r) => [r.upload_id, r]))
    },
  }
}

export type PhotoCheckService = ReturnType<typeof createPhotoCheckService>
