import type { Db } from '../db'
import { bandNeighbours, hashHex, type PhotoFingerprint, type PhotoHash } from '../evidence/dhash'

/** A stored fingerprint whose photo is part of a promotion (a candidate near-duplicate). */
export interface HashCandidate {
  upload_id: string
  band0: number
  band1: number
  band2: number
  band3: number
  colours: string
  promotion_id: string
}

export type EvidenceFlagKind = 'PHOTO_LOOKS_LIKE_SAME_STORE' | 'LOCATION_FAR' | 'LOCATION_POOR_ACCURACY' | 'LOCATION_MOCKED' | 'LOCATION_UNKNOWN'

export interface EvidenceFlagRow {
  id: string
  promotion_id: string
  kind: EvidenceFlagKind
  field: string | null
  upload_id: string | null
  other_upload_id: string | null
  other_promotion_id: string | null
  /** Bits of 64 the two photos' hashes differ in (PHOTO_LOOKS_LIKE_SAME_STORE). */
  hash_distance: number | null
  /** Metres between the storefront photo and the store's entered location (LOCATION_*; null: not known). */
  meters: number | null
  /** The photo location's accuracy in metres, as the device reported it. */
  accuracy_meters: number | null
  created_at: string
}

export type NewEvidenceFlag = Omit<EvidenceFlagRow, 'id' | 'promotion_id' | 'created_at'>

export function createEvidenceRepo(db: Db) {
  return {
    insertHash: async (uploadId: string, fp: PhotoFingerprint): Promise<void> => {
      await db.run('INSERT INTO photo_hashes (upload_id, dhash, band0, band1, band2, band3, colours) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        uploadId,
        hashHex(fp.hash),
        ...fp.hash,
        fp.colours,
      ])
    },
    findHash: (uploadId: string): Promise<Pick<HashCandidate, 'band0' | 'band1' | 'band2' | 'band3' | 'colours'> | undefined> =>
      db.get('SELECT band0, band1, band2, band3, colours FROM photo_hashes WHERE upload_id = ?', [uploadId]),
    /**
     * Fingerprints of photos in a promotion whose hash shares a band with `hash` within `radius` bits (each band
     * indexed: 4 × (1 + 16·radius…) index probes, never a scan). The caller measures the whole distance.
     */
    candidates: (hash: PhotoHash, radius: number): Promise<HashCandidate[]> => {
      const probes = hash.map((band) => bandNeighbours(band, radius))
      const where = probes.map((values, i) => `h.band${i} IN (${values.map(() => '?').join(', ')})`).join(' OR ')
      return db.all<HashCandidate>(
        `SELECT h.upload_id, h.band0, h.band1, h.band2, h.band3, h.colours, u.promotion_id
         FROM photo_hashes h JOIN uploads u ON u.id = h.upload_id
         WHERE (${where}) AND u.promotion_id IS NOT NULL`,
        probes.flat(),
      )
    },
    insertFlag: async (id: string, promotionId: string, at: string, f: NewEvidenceFlag): Promise<void> => {
      await db.run(
        `INSERT INTO evidence_flags (id, promotion_id, kind, field, upload_id, other_upload_id, other_promotion_id, hash_distance, meters, accuracy_meters, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, promotionId, f.kind, f.field, f.upload_id, f.other_upload_id, f.other_promotion_id, f.hash_distance, f.meters, f.accuracy_meters, at],
      )
    },
    flagsForPromotion: (promotionId: string): Promise<EvidenceFlagRow[]> =>
      db.all<EvidenceFlagRow>(
        `SELECT id, promotion_id, kind, field, upload_id, other_upload_id, other_promotion_id, hash_distance, meters, accuracy_meters, created_at
         FROM evidence_flags WHERE promotion_id = ? ORDER BY kind, field, id`,
        [promotionId],
      ),
    /** The flag kinds of each of these promotions (the review list). */
    flagKindsFor: async (promotionIds: readonly string[]): Promise<Map<string, EvidenceFlagKind[]>> => {
      const out = new Map<string, EvidenceFlagKind[]>()
      if (promotionIds.length === 0) return out
      const rows = await db.all<{ promotion_id: string; kind: EvidenceFlagKind }>(
        `SELECT DISTINCT promotion_id, kind FROM evidence_flags WHERE promotion_id IN (${promotionIds.map(() => '?').join(', ')}) ORDER BY promotion_id, kind`,
        [...promotionIds],
      )
      for (const r of rows) out.set(r.promotion_id, [...(out.get(r.promotion_id) ?? []), r.kind])
      return out
    },
  }
}

export type EvidenceRepo = ReturnType<typeof createEvidenceRepo>
