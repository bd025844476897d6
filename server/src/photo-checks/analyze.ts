import { decodeQr } from './qr-decoder'
import sharp from 'sharp'
import type { PhotoQualityIssue } from '../../../packages/contract/photo-check'

/** The thresholds of the photo quality check (server settings: config.ts photoQuality). */
export interface PhotoQualityThresholds {
  /** Mean luminance (0-255) below which a photo is too dark. */
  darkBelow: number
  /** Share of near-white pixels (luminance ≥ 250) above which a photo is overexposed. */
  overexposedAbove: number
  /** Sharpness (variance of the Laplacian on a 512 px greyscale copy) below which a photo is blurred. */
  blurredBelow: number
}

/** Tuned on generated photos (README, "Photo quality and the code in the photo"). */
export const DEFAULT_PHOTO_QUALITY: PhotoQualityThresholds = { darkBelow: 45, overexposedAbove: 0.25, blurredBelow: 150 }

/** What the analysis measured, and its verdict. */
export interface PhotoAnalysis {
  brightness: number
  overexposed: number
  sharpness: number
  issue: PhotoQualityIssue | null
  /** The texts of the QR codes found in the photo (empty: none readable); null: not searched (the QR pass skipped). */
  codes: string[] | null
}

/** Larger images are not decoded (a small file may claim a huge raster); no check, never a refusal. 50 MP: any phone camera. */
const MAX_INPUT_PIXELS = 50_000_000

/** The side of the greyscale copy the quality is measured on (a phone photo is about 1000-1600 px). */
const MEASURE_SIDE = 512

/**
 * Focus is judged only on a photo at least this long (px): the sharpness threshold is tuned on the 512 px copy of
 * a phone photo, and a thumbnail-sized image (never a phone camera's photo) says nothing about focus. Brightness
 * and burnt-out highlights do not depend on the size and are judged on any photo.
 */
export const MIN_SIDE_FOR_FOCUS = 400

/** Mean luminance, share of clipped highlights and the Laplacian's variance of a greyscale raster. */
export function measure(grey: Uint8Array, width: number, height: number): Pick<PhotoAnalysis, 'brightness' | 'overexposed' | 'sharpness'> {
  let sum = 0
  let bright = 0
  for (let i = 0; i < grey.length; i++) {
    sum += grey[i]
    if (grey[i] >= 250) bright++
  }
  let lapSum = 0
  let lapSq = 0
  let n = 0
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x
      const lap = grey[i - 1] + grey[i + 1] + grey[i - width] + grey[i + width] - 4 * grey[i]
      lapSum += lap
      lapSq += lap * lap
      n++
    }
  }
  const mean = n > 0 ? lapSum / n : 0
  return {
    brightness: grey.length > 0 ? sum / grey.length : 0,
    overexposed: grey.length > 0 ? bright / grey.length : 0,
    sharpness: n > 0 ? lapSq / n - mean * mean : 0,
  }
}

/** The verdict: dark first (a dark photo also looks blurred), then overexposed, then blurred (when focus can be judged). */
export function qualityIssue(
  m: Pick<PhotoAnalysis, 'brightness' | 'overexposed' | 'sharpness'>,
  t: PhotoQualityThresholds,
  judgeFocus = true,
): PhotoQualityIssue | null {
  if (m.brightness < t.darkBelow) return 'DARK'
  if (m.overexposed > t.overexposedAbove) return 'OVEREXPOSED'
  if (judgeFocus && m.sharpness < t.blurredBelow) return 'BLURRED'
  return null
}

async function rgba(content: Buffer, side: number, greyscale: boolean): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const image = sharp(content, { failOn: 'none', limitInputPixels: MAX_INPUT_PIXELS }).rotate().resize(side, side, { fit: 'inside', withoutEnlargement: true })
  if (!greyscale) {
    const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height }
  }
  // one grey channel, contrast stretched, spread into the RGBA jsQR reads
  const { data, info } = await image.greyscale().normalise().raw().toBuffer({ resolveWithObject: true })
  const out = new Uint8ClampedArray(info.width * info.height * 4)
  for (let i = 0, j = 0; i < info.width * info.height; i++, j += 4) {
    const v = data[i * info.channels]
    out[j] = v
    out[j + 1] = v
    out[j + 2] = v
    out[j + 3] = 255
  }
  return { data: out, width: info.width, height: info.height }
}

/**
 * The QR codes in a photo (jsQR): the photo at up to 1000 px, then a 600 px greyscale, contrast-stretched copy
 * (a code far off or in poor light), dark modules on a light ground as printed. jsQR finds one code per pass.
 */
export async function decodeQrCodes(content: Buffer): Promise<string[]> {
  const found = new Set<string>()
  for (const [side, grey] of [
    [1000, false],
    [600, true],
  ] as const) {
    const { data, width, height } = await rgba(content, side, grey)
    // in a worker thread: jsQR takes tens to hundreds of milliseconds on a phone photo
    const text = await decodeQr(data, width, height)
    if (text) found.add(text)
    if (found.size > 0) break
  }
  return [...found]
}

/** The quality measures of a photo and their verdict (sharp, one 512 px greyscale copy). */
export async function photoQuality(content: Buffer, thresholds: PhotoQualityThresholds): Promise<Omit<PhotoAnalysis, 'codes'>> {
  const { data, info } = await sharp(content, { failOn: 'none', limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .resize(MEASURE_SIDE, MEASURE_SIDE, { fit: 'inside', withoutEnlargement: true })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const m = measure(new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), info.width, info.height)
  const judgeFocus = Math.max(info.width, info.height) >= MIN_SIDE_FOR_FOCUS
  return { ...m, issue: qualityIssue(m, thresholds, judgeFocus) }
}

/**
 * Measures a photo's quality and, unless `decodeCodes` is false (a photo no code can matter in), reads its QR
 * codes; null when the image cannot be decoded (never a refusal).
 */
export async function analyzePhoto(content: Buffer, thresholds: PhotoQualityThresholds, decodeCodes = true): Promise<PhotoAnalysis | null> {
  try {
    const quality = await photoQuality(content, thresholds)
    return { ...quality, codes: decodeCodes ? await decodeQrCodes(content) : null }
  } catch {
    return null
  }
}
