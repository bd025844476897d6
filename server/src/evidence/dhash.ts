import sharp from 'sharp'

/**
 * The photo's 64-bit difference hash (dHash): the image auto-oriented, its luminance in 9×8 cells; bit i (row-major,
 * row y, column x < 8) is 1 when cell (x, y) is brighter than its right neighbour. A resized, re-compressed, slightly
 * cropped or brightness-shifted copy keeps nearly every bit; another photo differs in about half of them.
 *
 * Kept as four 16-bit bands (band 0 = bits 63..48, the first two rows), so that the database can index each band.
 */
export type PhotoHash = readonly [number, number, number, number]

/** Photos smaller than this on a side are not hashed (a thumbnail is no evidence of a place). */
export const MIN_HASHED_SIDE = 32

/** The 9×8 cells must span at least this many grey levels (of 255) to be hashed. */
export const MIN_HASH_CONTRAST = 12

/**
 * A photo's fingerprint: its dHash and its colour layout (COLOUR_CELLS = 4×3 cells, each as two chromaticity values
 * r/(r+g+b) and g/(r+g+b) scaled to 0–255: unchanged by brightness, different between a red and a green shop front
 * that share a layout). Two photos are near-duplicates only when both are close. None (null) when the photo carries
 * no usable one: sharp cannot decode it, it is smaller than MIN_HASHED_SIDE pixels on a side, or it is nearly flat
 * (a covered lens, a blank wall: every such photo would look alike); such photos are checked only for exact repeats.
 */
export interface PhotoFingerprint {
  hash: PhotoHash
  /** 24 bytes as 48 hex digits. */
  colours: string
}

export const COLOUR_CELLS = 12

export async function photoFingerprint(content: Buffer): Promise<PhotoFingerprint | null> {
  let rgb: Buffer
  try {
    const image = sharp(content, { failOn: 'error', limitInputPixels: 80_000_000 }).rotate()
    const meta = await image.metadata()
    const { width, height } = meta.autoOrient ?? meta
    if (!width || !height || Math.min(width, height) < MIN_HASHED_SIDE) return null
    // one decode (JPEG shrink-on-load), to a grid both reductions divide: 9×8 cells of 16×15, 4×3 of 36×40
    rgb = await image.removeAlpha().toColourspace('srgb').resize(GRID_W, GRID_H, { fit: 'fill' }).raw().toBuffer()
  } catch {
    return null
  }
  if (rgb.length !== GRID_W * GRID_H * 3) return null
  const grey = cells(rgb, 9, 8).map(([r, g, b]) => 0.299 * r + 0.587 * g + 0.114 * b)
  const hash = hashOf(grey)
  if (!hash) return null
  const colours = Buffer.alloc(COLOUR_CELLS * 2)
  cells(rgb, 4, 3).forEach(([r, g, b], i) => {
    const sum = r + g + b + 1
    colours[i * 2] = Math.round((255 * r) / sum)
    colours[i * 2 + 1] = Math.round((255 * g) / sum)
  })
  return { hash, colours: colours.toString('hex') }
}

/** The mean difference (0–255) of two colour layouts; 255 when one is unreadable. */
export function colourDifference(a: string, b: string): number {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  if (x.length !== COLOUR_CELLS * 2 || y.length !== x.length) return 255
  let total = 0
  for (let i = 0; i < x.length; i++) total += Math.abs(x[i] - y[i])
  return total / x.length
}

const GRID_W = 144
const GRID_H = 120

/** The mean red, green and blue of each of columns × rows equal cells of the grid, row by row. */
function cells(rgb: Buffer, columns: number, rows: number): Array<[number, number, number]> {
  const cw = GRID_W / columns
  const ch = GRID_H / rows
  const out: Array<[number, number, number]> = []
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      let r = 0
      let g = 0
      let b = 0
      for (let y = row * ch; y < (row + 1) * ch; y++) {
        for (let x = column * cw; x < (column + 1) * cw; x++) {
          const i = (y * GRID_W + x) * 3
          r += rgb[i]
          g += rgb[i + 1]
          b += rgb[i + 2]
        }
      }
      const n = cw * ch
      out.push([r / n, g / n, b / n])
    }
  }
  return out
}

function hashOf(pixels: readonly number[]): PhotoHash | null {
  let min = 255
  let max = 0
  for (const p of pixels) {
    min = Math.min(min, p)
    max = Math.max(max, p)
  }
  if (max - min < MIN_HASH_CONTRAST) return null
  const bands = [0, 0, 0, 0]
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const bit = pixels[y * 9 + x] > pixels[y * 9 + x + 1] ? 1 : 0
      const band = y >> 1
      bands[band] = (bands[band] << 1) | bit
    }
  }
  return [bands[0], bands[1], bands[2], bands[3]]
}

function popcount16(v: number): number {
  let n = v & 0xffff
  let count = 0
  while (n) {
    n &= n - 1
    count++
  }
  return count
}

/**
 * The near-duplicate rule, written once: two fingerprints are taken for one photo when their hashes differ in at
 * most `reuseMaxBits` bits and their colour layouts by at most `reuseMaxColour` (README: the tuning).
 */
export function looksLikeOnePhoto(a: PhotoFingerprint, b: PhotoFingerprint, limits: { reuseMaxBits: number; reuseMaxColour: number }): number | null {
  const bits = hammingDistance(a.hash, b.hash)
  return bits <= limits.reuseMaxBits && colourDifference(a.colours, b.colours) <= limits.reuseMaxColour ? bits : null
}

/** How many of the 64 bits differ. */
export function hammingDistance(a: PhotoHash, b: PhotoHash): number {
  return popcount16(a[0] ^ b[0]) + popcount16(a[1] ^ b[1]) + popcount16(a[2] ^ b[2]) + popcount16(a[3] ^ b[3])
}

/** The hash as 16 hex digits (for display and the stored column). */
export function hashHex(hash: PhotoHash): string {
  return hash.map((b) => b.toString(16).padStart(4, '0')).join('')
}

/** Every 16-bit value within `radius` bits of `value` (radius 0: the value; 1: 17 values; 2: 137). */
export function bandNeighbours(value: number, radius: number): number[] {
  const out = [value]
  let frontier = [{ v: value, from: 0 }]
  for (let r = 0; r < radius; r++) {
    const next: Array<{ v: number; from: number }> = []
    for (const { v, from } of frontier) {
      for (let bit = from; bit < 16; bit++) {
        const flipped = v ^ (1 << bit)
        out.push(flipped)
        next.push({ v: flipped, from: bit + 1 })
      }
    }
    frontier = next
  }
  return out
}

/**
 * Multi-index lookup: two hashes within `maxDistance` bits agree within floor(maxDistance / 4) bits in at least
 * one of the four bands (pigeonhole: were every band more than that apart, the total would exceed maxDistance).
 * So probing each band at its neighbours within that radius finds every near-duplicate, none missed.
 */
export function probeRadius(maxDistance: number): number {
  return Math.floor(maxDistance / 4)
}
