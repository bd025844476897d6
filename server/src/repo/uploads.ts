import type { Db } from '../db'
import { columns } from './columns'

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

// not `*` (see columns)
const SELECT = `SELECT ${columns('u', [
  'id',
  'staff_id',
  'sha256',
  'mime',
  'size',
  'stored_name',
  'taken_at',
  'latitude',
  'longitude',
  'accuracy',
  'mocked',
  'created_at',
  'promotion_id',
  'inspection_id',
])} FROM uploads u`

export function createUploadRepo(db: Db) {
  return {
    insert: async (row: NewUpload): Promise<void> => {
      await db.run(
        `INSERT INTO uploads (id, staff_id, sha256, mime, size, stored_name, taken_at, latitude, longitude, accuracy, mocked, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          row.id,
          row.staff_id,
          row.sha256,
          row.mime,
          row.size,
          row.stored_name,
          row.taken_at,
          row.latitude,
          row.longitude,
          row.accuracy,
          row.mocked,
          row.created_at,
        ],
      )
    },
    findById: (id: string): Promise<UploadRow | undefined> => db.get<UploadRow>(`${SELECT} WHERE u.id = ?`, [id]),
    /**
     * In one read: whether any upload with this content (anyone's) is part of a submission or an inspection, and this
     * staff member's earlier upload of it that nothing uses yet (a retry), as isHashUsed answers.
     */
    contentState: async (staffId: string, sha256: string): Promise<{ used: boolean; unusedOfStaff: UploadRow | undefined }> => {
      const rows = await db.all<UploadRow>(`${SELECT} WHERE u.sha256 = ? ORDER BY u.created_at, u.rowid`, [sha256])
      return { used: rows.some(isUsed), unusedOfStaff: rows.find((u) => u.staff_id === staffId && !isUsed(u)) }
    },
    /**
     * Several uploads in one read (a submission's photos), each with whether an upload of its content (anyone's,
     * itself included) is part of a submission or an inspection (`hash_used`, 1 or 0), as isHashUsed answers.
     */
    findManyWithUse: async (ids: readonly string[]): Promise<Array<UploadRow & { hash_used: 0 | 1 }>> =>
      ids.length === 0
        ? []
        : db.all<UploadRow & { hash_used: 0 | 1 }>(
            `${SELECT.replace(' FROM uploads u', '')}, CASE WHEN EXISTS (SELECT 1 FROM uploads o WHERE o.sha256 = u.sha256 AND (o.promotion_id IS NOT NULL OR o.inspection_id IS NOT NULL)) THEN 1 ELSE 0 END AS hash_used
             FROM uploads u WHERE u.id IN (${ids.map(() => '?').join(', ')})`,
            [...ids],
          ),
    /** Whether any upload with this content (anyone's) is part of a submission or an inspection. */
    isHashUsed: async (sha256: string): Promise<boolean> =>
      (await db.get<{ id: string }>('SELECT id FROM uploads WHERE sha256 = ? AND (promotion_id IS NOT NULL OR inspection_id IS NOT NULL) LIMIT 1', [
        sha256,
      ])) !== undefined,
    /** Whether an upload with this content (anyone's) is part of a submission other than `promotionId`, or of an inspection. */
    isHashUsedElsewhere: async (sha256: string, promotionId: string): Promise<boolean> =>
      (await db.get<{ id: string }>(
        'SELECT id FROM uploads WHERE sha256 = ? AND ((promotion_id IS NOT NULL AND promotion_id <> ?) OR inspection_id IS NOT NULL) LIMIT 1',
        [sha256, promotionId],
      )) !== undefined,
    /** Marks the upload as used by a submission; false when it was used already. */
    markUsed: async (id: string, promotionId: string): Promise<boolean> =>
      (await db.run('UPDATE uploads SET promotion_id = ? WHERE id = ? AND promotion_id IS NULL AND inspection_id IS NULL', [promotionId, id])).changes === 1,
    /** Marks several uploads as used by a submission in one statement; how many were not used before. */
    markManyUsed: async (ids: readonly string[], promotionId: string): Promise<number> =>
      ids.length === 0
        ? 0
        : (
            await db.run(
              `UPDATE uploads SET promotion_id = ? WHERE id IN (${ids.map(() => '?').join(', ')}) AND promotion_id IS NULL AND inspection_id IS NULL`,
              [promotionId, ...ids],
            )
          ).changes,
    /** Marks the upload as used by an inspection's result; false when it was used already. */
    markUsedByInspection: async (id: string, inspectionId: string): Promise<boolean> =>
      (await db.run('UPDATE uploads SET inspection_id = ? WHERE id = ? AND promotion_id IS NULL AND inspection_id IS NULL', [inspectionId, id])).changes === 1,
  }
}

export type UploadRepo = ReturnType<typeof createUploadRepo>
