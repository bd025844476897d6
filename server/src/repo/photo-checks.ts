import type { PhotoCodeCheck, PhotoQualityIssue } from '../../../packages/contract/photo-check'
import type { Db } from '../db'

/**
 * Issue 26: what the server found in each uploaded photo (table photo_checks, one row per upload that could be
 * read), and what became of it at submission: whether the staff member kept a photo the check warned about,
 * and how a Marketing Code spot's photo compares with the code scanned for that spot.
 */
export interface PhotoCheckRow {
  upload_id: string
  quality_issue: PhotoQualityIssue | null
  brightness: number
  overexposed: number
  sharpness: number
  /** JSON array of the QR codes' texts ("[]" when not searched). */
  qr_codes: string
  /** 1: the photo was searched for QR codes; 0: the QR pass was skipped at upload (not a spot photo). */
  qr_checked: 0 | 1
  /** 1: kept after the warning (Keep anyway); 0: submitted without that choice; null: no warning, or not submitted. */
  kept: 0 | 1 | null
  code_check: PhotoCodeCheck | null
  checked_at: string
}

const SELECT = 'SELECT upload_id, quality_issue, brightness, overexposed, sharpness, qr_codes, qr_checked, kept, code_check, checked_at FROM photo_checks'

export function createPhotoCheckRepo(db: Db) {
  return {
    insert: async (row: Omit<PhotoCheckRow, 'kept' | 'code_check'>): Promise<void> => {
      await db.run(
        `INSERT INTO photo_checks (upload_id, quality_issue, brightness, overexposed, sharpness, qr_codes, qr_checked, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [row.upload_id, row.quality_issue, row.brightness, row.overexposed, row.sharpness, row.qr_codes, row.qr_checked, row.checked_at],
      )
    },
    find: (uploadId: string): Promise<PhotoCheckRow | undefined> => db.get<PhotoCheckRow>(`${SELECT} WHERE upload_id = ?`, [uploadId]),
    /** The checks of several photos (those that have one). */
    findMany: async (uploadIds: readonly string[]): Promise<PhotoCheckRow[]> =>
      uploadIds.length === 0 ? [] : db.all<PhotoCheckRow>(`${SELECT} WHERE upload_id IN (${uploadIds.map(() => '?').join(', ')})`, [...uploadIds]),
    /** The QR codes of a photo whose QR pass was skipped at upload, read once a submission needs them. */
    setCodes: async (uploadId: string, qrCodes: string): Promise<void> => {
      await db.run('UPDATE photo_checks SET qr_codes = ?, qr_checked = 1 WHERE upload_id = ?', [qrCodes, uploadId])
    },
    /** What the submission says of a photo: kept after a warning, and its code compared with the scanned one. */
    setOutcome: async (uploadId: string, kept: 0 | 1 | null, codeCheck: PhotoCodeCheck | null): Promise<void> => {
      await db.run('UPDATE photo_checks SET kept = ?, code_check = ? WHERE upload_id = ?', [kept, codeCheck, uploadId])
    },
  }
}

export type PhotoCheckRepo = ReturnType<typeof createPhotoCheckRepo>
