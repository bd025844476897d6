/**
 * The evidence checks' thresholds (issue 26 items 2 and 4), server settings read from the environment once;
 * README "Evidence checks" explains how they were tuned.
 */
export interface EvidenceSettings {
  /** PHOTO_REUSE_MAX_BITS: two photos whose dHashes differ in at most this many of 64 bits may be one photo. */
  reuseMaxBits: number
  /** PHOTO_REUSE_MAX_COLOUR: ... and whose colour layouts differ by at most this much on average (0–255). */
  reuseMaxColour: number
  /** SAME_STORE_METERS: two promotions are of the same store when the stores' names match and their locations are at most this far apart. */
  sameStoreMeters: number
  /** STOREFRONT_FAR_METERS: a storefront photo taken farther than this from the store's entered location is flagged. */
  farMeters: number
  /** LOCATION_POOR_ACCURACY_METERS: a storefront photo whose location was this uncertain or worse is flagged. */
  poorAccuracyMeters: number
}

export const DEFAULT_EVIDENCE_SETTINGS: EvidenceSettings = {
  reuseMaxBits: 6,
  reuseMaxColour: 8,
  sameStoreMeters: 150,
  farMeters: 200,
  poorAccuracyMeters: 100,
}

/** The variables, their ranges and what each means (for the refusal messages). */
const VARIABLES: Array<{ name: string; key: keyof EvidenceSettings; min: number; max: number; unit: string }> = [
  { name: 'PHOTO_REUSE_MAX_BITS', key: 'reuseMaxBits', min: 0, max: 16, unit: 'bits of the 64-bit photo hash' },
  { name: 'PHOTO_REUSE_MAX_COLOUR', key: 'reuseMaxColour', min: 0, max: 255, unit: 'colour levels' },
  { name: 'SAME_STORE_METERS', key: 'sameStoreMeters', min: 0, max: 100_000, unit: 'metres' },
  { name: 'STOREFRONT_FAR_METERS', key: 'farMeters', min: 1, max: 1_000_000, unit: 'metres' },
  { name: 'LOCATION_POOR_ACCURACY_METERS', key: 'poorAccuracyMeters', min: 1, max: 1_000_000, unit: 'metres' },
]

/** Reads the settings; throws a message naming the variable and its range on a malformed value. */
export function evidenceSettingsFromEnv(env: Record<string, string | undefined>): EvidenceSettings {
  const settings = { ...DEFAULT_EVIDENCE_SETTINGS }
  for (const { name, key, min, max, unit } of VARIABLES) {
    const raw = env[name]?.trim()
    if (!raw) continue
    const value = Number(raw)
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be a whole number of ${unit} between ${min} and ${max} (got "${raw.slice(0, 40)}")`)
    }
    settings[key] = value
  }
  return settings
}
