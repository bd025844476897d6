import type { Db } from '../db'

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp'

export interface UploadRow {
  id: string
  staff_id: string
  sha256: string
  mime: ImageMime
  size: number
  stored_name: string
  taken_at: string | null
  latitude: number | null
  longitude: number | null
  accuracy: number | null
  mocked: 0 | 1 | null
  created_at: string
  promotion_id: string | null
  /** Set when an inspection's result uses the photo. */
  inspection_id: string | null
}

/** A photo is used once a submission (promotion, appeal, resubmission) or an inspection's result has it. */
export function isUsed(u: Pick<UploadRow, 'promotion_id' | 'inspection_id'>): boolean {
  return u.promotion_id !== null || u.inspection_id !== null
}

export type NewUpload = Omit<UploadRow, 'promotion_id' | 'inspection_id'>

export function createUploadRepo(db: Db) {
  const insert = db.prepare<NewUpload>(
    `INSERT INTO uploads (id, staff_id, sha256, mime, size, stored_name, taken_at, latitude, longitude, accuracy, mocked, created_at)
     VALUES (@id, @staff_id, @sha256, @mime, @size, @stored_name, @taken_at, @latitude, @longitude, @accuracy, @mocked, @created_at)`,
  )
  const byId = db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE id = ?')
  const unusedOfStaff = db.prepare<[string, string], UploadRow>(
    'SELECT * FROM uploads WHERE staff_id = ? AND sha256 = ? AND promotion_id IS NULL AND inspection_id IS NULL ORDER BY created_at, rowid LIMIT 1',
  )
  const usedWithHash = db.prepare<[string], { id: string }>(
    'SELECT id FROM uploads WHERE sha256 = ? AND (promotion_id IS NOT NULL OR inspection_id IS NOT NULL) LIMIT 1',
  )
  const markUsed = db.prepare<[string, string]>('UPDATE uploads SET promotion_id = ? WHERE id = ? AND promotion_id IS NULL AND inspection_id IS NULL')
  const markUsedByInspection = db.prepare<[string, string]>(
    'UPDATE uploads SET inspection_id = ? WHERE id = ? AND promotion_id IS NULL AND inspection_id IS NULL',
  )
  const usedElsewhere = db.prepare<[string, string], { id: string }>(
    `SELECT id FROM uploads WHERE sha256 = ? AND ((promotion_id IS NOT NULL AND promotion_id <> ?) OR inspection_id IS NOT NULL) LIMIT 1`,
  )

  return {
    insert: (row: NewUpload): void => {
      insert.run(row)
    },
    findById: (id: string): UploadRow | undefined => byId.get(id),
    /** This staff member's earlier upload of the same content that no submission uses yet. */
    findUnusedOfStaff: (staffId: string, sha256: string): UploadRow | undefined => unusedOfStaff.get(staffId, sha256),
    /** Whether any upload with this content (anyone's) is part of a submission or an inspection. */
    isHashUsed: (sha256: string): boolean => usedWithHash.get(sha256) !== undefined,
    /** Whether an upload with this content (anyone's) is part of a submission other than `promotionId`, or of an inspection. */
    isHashUsedElsewhere: (sha256: string, promotionId: string): boolean => usedElsewhere.get(sha256, promotionId) !== undefined,
    /** Marks the upload as used by a submission; false when it was used already. */
    markUsed: (id: string, promotionId: string): boolean => markUsed.run(promotionId, id).changes === 1,
    /** Marks the upload as used by an inspection's result; false when it was used already. */
    markUsedByInspection: (id: string, inspectionId: string): boolean => markUsedByInspection.run(inspectionId, id).changes === 1,
  }
}

export type UploadRepo = ReturnType<typeof createUploadRepo>
