import QRCode from 'qrcode'
import sharp from 'sharp'

/**
 * Generated sample photos for the photo checks (issue 26): a storefront-like scene (a façade, a sign with text,
 * windows, shelves, sensor noise), and the same scene dark, overexposed or blurred; a QR code printed on a card
 * placed in the scene, rotated and scaled. Deterministic (a seeded noise), JPEG like a phone's.
 */

const W = 1024
const H = 768

function seeded(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** A storefront-like scene as SVG; `variant` changes colours and layout (two different storefronts). */
function sceneSvg(variant: number): string {
  const r = seeded(variant * 7919 + 1)
  const hue = Math.floor(r() * 360)
  const parts: string[] = [
    `<rect width="${W}" height="${H}" fill="hsl(${hue},25%,62%)"/>`,
    `<rect x="0" y="${H * 0.8}" width="${W}" height="${H * 0.2}" fill="#6b6b6b"/>`,
    `<rect x="80" y="60" width="${W - 160}" height="150" fill="hsl(${(hue + 180) % 360},60%,40%)"/>`,
    `<text x="${W / 2}" y="165" font-size="96" font-family="sans-serif" font-weight="bold" text-anchor="middle" fill="#fff">${variant % 2 ? 'MINI MART' : 'CAFE 88'}</text>`,
  ]
  for (let i = 0; i < 4; i++) {
    const x = 70 + i * 225 + r() * 20
    parts.push(`<rect x="${x}" y="260" width="180" height="420" fill="#223" stroke="#ddd" stroke-width="10"/>`)
    for (let j = 0; j < 6; j++) {
      const y = 290 + j * 65
      parts.push(`<rect x="${x + 15}" y="${y}" width="150" height="8" fill="#aaa"/>`)
      for (let k = 0; k < 5; k++)
        parts.push(`<rect x="${x + 18 + k * 29}" y="${y - 40}" width="22" height="40" fill="hsl(${Math.floor(r() * 360)},70%,${40 + r() * 30}%)"/>`)
    }
  }
  parts.push(`<text x="140" y="760" font-size="34" font-family="sans-serif" fill="#111">OPEN 08:00-22:00 · Alipay+ accepted here</text>`)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`
}

/** Sensor-like noise added to a raster (σ ≈ 6 levels). */
async function withNoise(image: sharp.Sharp, seed: number): Promise<sharp.Sharp> {
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true })
  // one LCG step per sample, the sum of its four bytes: roughly normal noise (σ ≈ 6 levels)
  let s = seed >>> 0
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const noise = (s & 0xff) + ((s >>> 8) & 0xff) + ((s >>> 16) & 0xff) + (s >>> 24) - 510
    data[i] = Math.max(0, Math.min(255, data[i] + noise / 25))
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
}

export type SampleKind = 'normal' | 'dark' | 'overexposed' | 'blurred' | 'slightlySoft' | 'dim'

/** The scene as a phone would send it (JPEG, quality 85). */
export async function samplePhoto(kind: SampleKind = 'normal', variant = 1): Promise<Buffer> {
  let image = sharp(Buffer.from(sceneSvg(variant)))
  if (kind === 'blurred') image = sharp(await image.blur(6).png().toBuffer())
  if (kind === 'slightlySoft') image = sharp(await image.blur(1.2).png().toBuffer())
  if (kind === 'dark') image = sharp(await image.linear(0.18, 0).png().toBuffer())
  if (kind === 'dim') image = sharp(await image.linear(0.55, 0).png().toBuffer())
  if (kind === 'overexposed') image = sharp(await image.linear(2.2, 90).png().toBuffer())
  const noisy = await withNoise(image, variant * 31 + kind.length)
  return noisy.jpeg({ quality: 85 }).toBuffer()
}

/**
 * A QR code of `text` printed on a white card (with a label), the card scaled to `scale` of the photo's height,
 * rotated by `angle` degrees and placed in the storefront scene, with noise; JPEG.
 */
export async function qrInScene(text: string, opts: { angle?: number; scale?: number; variant?: number } = {}): Promise<Buffer> {
  const { angle = 0, scale = 0.35, variant = 1 } = opts
  const side = Math.round(H * scale)
  const qr = await QRCode.toBuffer(text, { errorCorrectionLevel: 'M', margin: 2, width: side })
  const card = await sharp({ create: { width: side + 40, height: side + 90, channels: 3, background: '#fafafa' } })
    .composite([
      { input: qr, left: 20, top: 20 },
      {
        input: Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="50"><text x="${side / 2}" y="35" font-size="28" text-anchor="middle" font-family="sans-serif">Scan to pay</text></svg>`,
        ),
        left: 20,
        top: side + 30,
      },
    ])
    .png()
    .toBuffer()
  const rotated = await sharp(card)
    .rotate(angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer()
  const meta = await sharp(rotated).metadata()
  const scene = sharp(Buffer.from(sceneSvg(variant))).composite([
    { input: rotated, left: Math.round(W * 0.55 - (meta.width ?? 0) / 2), top: Math.max(0, Math.round(H * 0.5 - (meta.height ?? 0) / 2)) },
  ])
  const flat = sharp(await scene.png().toBuffer())
  return (await withNoise(flat, variant * 17 + angle)).jpeg({ quality: 85 }).toBuffer()
}
