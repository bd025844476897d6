import type { Db } from '../db'
import { bandNeighbours, hashHex, type PhotoFingerprint, type PhotoHash } from '../evidence/dhash'

/** A stored hash sharing a band with the one looked for (a candidate near-duplicate). */
export interface HashCandidate {
  band0: number
  band1: number
  band2: number
  band3: number
}

/** A stored fingerprint: its photo and colour layout. */
export interface StoredFingerprint {
  upload_id: string
  colours: string
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
    findHash: (uploadId: string): Promise<(HashCandidate & { colours: string }) | undefined> =>
      db.get('SELECT band0, band1, band2, band3, colours FROM photo_hashes WHERE upload_id = ?', [uploadId]),
    /** The fingerprints of several uploads in one read, by upload id (those that have one). */
    findHashes: async (uploadIds: readonly string[]): Promise<Map<string, HashCandidate & { colours: string }>> => {
      if (uploadIds.length === 0) return new Map()
      const rows = await db.all<HashCandidate & { colours: string; upload_id: string }>(
        `SELECT upload_id, band0, band1, band2, band3, colours FROM photo_hashes WHERE upload_id IN (${uploadIds.map(() => '?').join(', ')})`,
        [...uploadIds],
      )
      return new Map(rows.map(({ upload_id: id, ...hash }) => [id, hash]))
    },
    /**
     * The stored hashes that share a band with `hash` within `radius` bits: each band probed at its neighbours in its
     * own index (4 × 17 values for radius 1), read from the indexes alone (each holds all four bands), never the
     * table; one UNION ALL, so that each part keeps its index. The caller measures the whole distance and looks up
     * the few hashes near enough (fingerprintsWithHash).
     */
    candidates: (hash: PhotoHash, radius: number): Promise<HashCandidate[]> => {
      const probes = hash.map((band) => bandNeighbours(band, radius))
      const parts = probes.map((values, i) => `SELECT band0, band1, band2, band3 FROM photo_hashes WHERE band${i} IN (${values.map(() => '?').join(', ')})`)
      return db.all<HashCandidate>(parts.join(' UNION ALL '), probes.flat())
    },
    /** The stored fingerprints with exactly this hash. */
    fingerprintsWithHash: (hash: PhotoHash): Promise<StoredFingerprint[]> =>
      db.all<StoredFingerprint>('SELECT upload_id, colours FROM photo_hashes WHERE band0 = ? AND band1 = ? AND band2 = ? AND band3 = ? ORDER BY upload_id', [
        ...hash,
      ]),
    insertFlag: async (id: string, promotionId: string, at: string, f: NewEvidenceFlag): Promise<void> => {
      await db.run(
        `INSERT INTO evidence_flags (id, promotion_id, kind, field, upload_id, other_upload_id, other_promotion_id, hash_distance, meters, accuracy_meters, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, promotionId, f.kind, f.field, f.upload_id, f.other_upload_id, f.other_promotion_id, f.hash_distance, f.meters, f.accuracy_meters, at],
      )
    },
    /** Deletes a promotion's flags (a Modify records its own set). */
    deleteFlags: async (promotionId: string): Promise<void> => {
      await db.run('DELETE FROM evidence_flags WHERE promotion_id = ?', [promotionId])
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
