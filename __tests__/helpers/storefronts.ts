/**
 * Photo-like storefronts generated with sharp (server tests and the near-duplicate tuning): a street scene —
 * sky, a facade, a shop sign with a name, a door, windows with goods, pavement, fine noise — whose layout and
 * colours come from `seed`, so that two seeds are two different shops built from the same parts (they "merely
 * look alike"). Copies of one photo: resized, re-compressed, slightly cropped, brightness-shifted.
 */
import sharp from 'sharp'

function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 0x100000000
  }
}

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]
const colour = (r: () => number, lo = 40, hi = 230) => {
  const c = () => Math.round(lo + r() * (hi - lo))
  return `rgb(${c()},${c()},${c()})`
}

/** The scene as SVG, 640×480. */
function scene(seed: number): string {
  const r = rng(seed)
  const w = 640
  const h = 480
  const facadeTop = 40 + Math.round(r() * 80)
  const signY = facadeTop + 20 + Math.round(r() * 30)
  const signH = 50 + Math.round(r() * 30)
  const signX = 30 + Math.round(r() * 120)
  const signW = 300 + Math.round(r() * 250)
  const doorX = 40 + Math.round(r() * 460)
  const doorW = 80 + Math.round(r() * 40)
  const groundY = 400 + Math.round(r() * 40)
  const name = pick(r, ['KEDAI', 'MINI MART', 'TOKO', 'CAFE', 'PHARMACY', 'BAKERY', 'RESTORAN', 'LAUNDRY'])
  const parts: string[] = [
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${colour(r, 120, 240)}"/><stop offset="1" stop-color="${colour(r, 160, 250)}"/></linearGradient></defs>`,
    `<rect width="${w}" height="${h}" fill="url(#sky)"/>`,
    `<rect x="0" y="${facadeTop}" width="${w}" height="${groundY - facadeTop}" fill="${colour(r)}"/>`,
    `<rect x="${signX}" y="${signY}" width="${signW}" height="${signH}" fill="${colour(r)}" rx="6"/>`,
    `<text x="${signX + 20}" y="${signY + signH * 0.72}" font-family="sans-serif" font-weight="bold" font-size="${Math.round(signH * 0.6)}" fill="${colour(r)}">${name} ${seed % 97}</text>`,
  ]
  const windowCount = 1 + Math.floor(r() * 3)
  for (let i = 0; i < windowCount; i++) {
    const wx = Math.round(r() * (w - 140))
    const wy = signY + signH + 20 + Math.round(r() * 40)
    const ww = 80 + Math.round(r() * 80)
    const wh = 90 + Math.round(r() * 60)
    parts.push(`<rect x="${wx}" y="${wy}" width="${ww}" height="${wh}" fill="${colour(r, 20, 120)}" stroke="${colour(r)}" stroke-width="6"/>`)
    for (let g = 0; g < 5; g++) {
      parts.push(`<rect x="${wx + 8 + Math.round(r() * (ww - 30))}" y="${wy + 10 + Math.round(r() * (wh - 40))}" width="14" height="22" fill="${colour(r)}"/>`)
    }
  }
  parts.push(`<rect x="${doorX}" y="${groundY - 190}" width="${doorW}" height="190" fill="${colour(r, 10, 90)}"/>`)
  parts.push(`<rect x="0" y="${groundY}" width="${w}" height="${h - groundY}" fill="${colour(r, 60, 160)}"/>`)
  // daylight: brighter on one side (each photo its own direction), darker towards the corners
  const angle = Math.round(r() * 360)
  parts.push(
    `<defs><linearGradient id="light" gradientTransform="rotate(${angle} 0.5 0.5)"><stop offset="0" stop-color="#fff" stop-opacity="0.12"/><stop offset="1" stop-color="#000" stop-opacity="0.12"/></linearGradient>` +
      `<radialGradient id="vignette"><stop offset="0.6" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.3"/></radialGradient></defs>`,
    `<rect width="${w}" height="${h}" fill="url(#light)"/>`,
    `<rect width="${w}" height="${h}" fill="url(#vignette)"/>`,
  )
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`
}

/** A storefront photo (JPEG, 640×480) with fine sensor-like noise. */
export async function storefrontPhoto(seed: number): Promise<Buffer> {
  const base = await sharp(Buffer.from(scene(seed)))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const r = rng(seed + 7919)
  const data = base.data
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i] + Math.round((r() - 0.5) * 24)))
  return sharp(data, { raw: base.info }).jpeg({ quality: 88 }).toBuffer()
}

export type Variant = 'resized' | 'recompressed' | 'cropped' | 'brighter' | 'darker'

/** A copy of a photo as someone re-using it would make it. */
export async function variantOf(photo: Buffer, variant: Variant): Promise<Buffer> {
  const image = sharp(photo)
  const { width = 0, height = 0 } = await image.metadata()
  switch (variant) {
    case 'resized':
      return image
        .resize(Math.round(width * 0.45))
        .jpeg({ quality: 85 })
        .toBuffer()
    case 'recompressed':
      return image.jpeg({ quality: 35 }).toBuffer()
    case 'cropped': {
      // 2 % off each side
      const dx = Math.round(width * 0.02)
      const dy = Math.round(height * 0.02)
      return image
        .extract({ left: dx, top: dy, width: width - 2 * dx, height: height - 2 * dy })
        .jpeg({ quality: 85 })
        .toBuffer()
    }
    case 'brighter':
      return image.modulate({ brightness: 1.25 }).jpeg({ quality: 85 }).toBuffer()
    case 'darker':
      return image.linear(0.75, 0).jpeg({ quality: 85 }).toBuffer()
  }
}

export const VARIANTS: readonly Variant[] = ['resized', 'recompressed', 'cropped', 'brighter', 'darker']
