import { DEFAULT_PHOTO_QUALITY, type PhotoQualityThresholds } from './analyze'

type Env = Record<string, string | undefined>

/** The photo quality thresholds' settings (README, settings table). */
export const PHOTO_QUALITY_VARIABLES = ['PHOTO_DARK_BELOW', 'PHOTO_OVEREXPOSED_PERCENT', 'PHOTO_BLURRED_BELOW'] as const

function whole(env: Env, name: string, fallback: number, min: number, max: number, meaning: string): number {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new Error(`${name} must be a whole number between ${min} and ${max}: ${meaning} (got "${raw.slice(0, 40)}")`)
  }
  return value
}

/**
 * PHOTO_DARK_BELOW (mean brightness 0-255 under which a photo is too dark; default 45), PHOTO_OVEREXPOSED_PERCENT
 * (share of burnt-out pixels above which it is overexposed; default 25) and PHOTO_BLURRED_BELOW (sharpness under
 * which it is blurred; default 150).
 */
export function photoQualityFromEnv(env: Env): PhotoQualityThresholds {
  return {
    darkBelow: whole(env, 'PHOTO_DARK_BELOW', DEFAULT_PHOTO_QUALITY.darkBelow, 0, 255, 'the mean brightness (0-255) under which a photo is too dark'),
    overexposedAbove:
      whole(
        env,
        'PHOTO_OVEREXPOSED_PERCENT',
        Math.round(DEFAULT_PHOTO_QUALITY.overexposedAbove * 100),
        1,
        100,
        'the percentage of burnt-out (near-white) pixels above which a photo is overexposed',
      ) / 100,
    blurredBelow: whole(env, 'PHOTO_BLURRED_BELOW', DEFAULT_PHOTO_QUALITY.blurredBelow, 0, 100_000, 'the sharpness under which a photo is blurred'),
  }
}
