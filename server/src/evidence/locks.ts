import type { PhotoHash } from './dhash'

/**
 * The keys a submission locks for its near-duplicate check on PostgreSQL (README "Running at scale", Replicas):
 * the 64-bit fingerprint cut into `maxBits + 1` contiguous parts, one key per part and value. Two fingerprints
 * within `maxBits` bits agree on at least one whole part (pigeonhole: `maxBits` differing bits cannot touch
 * `maxBits + 1` parts), so two submissions whose photos look alike always share a key and run one after the other;
 * unrelated photos share one rarely (about (maxBits + 1) / 2^(64 / (maxBits + 1)), 1.4 % at 6 bits).
 */
export function nearDuplicateLockKeys(hash: PhotoHash, maxBits: number): string[] {
  const parts = Math.min(64, Math.max(1, Math.floor(maxBits) + 1))
  const bits = hash.reduce((all, band) => (all << BigInt(16)) | BigInt(band & 0xffff), BigInt(0))
  const keys: string[] = []
  let start = 0
  for (let part = 0; part < parts; part++) {
    const end = Math.round(((part + 1) * 64) / parts)
    const value = (bits >> BigInt(64 - end)) & ((BigInt(1) << BigInt(end - start)) - BigInt(1))
    keys.push(`dhash:${part}/${parts}:${value.toString(16)}`)
    start = end
  }
  return keys
}
