/**
 * Issue 26: the photo checks' time per photo on generated phone-like photos (1600×1200 JPEG, quality 85): each part
 * alone (the quality analysis, the QR pass, the perceptual fingerprint) and a whole upload (POST /api/uploads on a
 * server with SQLite, in the process) of a storefront photo with and without `purpose` (without: the QR pass runs,
 * as it did for every photo before the app said what a photo is for). Medians of `runs`.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { qrInScene, samplePhoto } from '../__tests__/helpers/sample-photos'
import { buildServer } from '../server/src/app'
import { photoFingerprint } from '../server/src/evidence/dhash'
import { decodeQrCodes, DEFAULT_PHOTO_QUALITY, photoQuality } from '../server/src/photo-checks/analyze'

export const PHOTO_WIDTH = 1600
export const PHOTO_HEIGHT = 1200

export interface PhotoCheckFigure {
  name: string
  /** Median, milliseconds. */
  median: number
}

/** A generated scene as a phone would send it: 1600×1200, JPEG quality 85. */
async function phonePhoto(scene: Buffer): Promise<Buffer> {
  return sharp(scene).resize(PHOTO_WIDTH, PHOTO_HEIGHT, { fit: 'fill' }).jpeg({ quality: 85 }).toBuffer()
}

async function median(runs: number, once: (i: number) => Promise<unknown>): Promise<number> {
  await once(-1) // warm-up (sharp's first call loads libvips; the QR worker thread starts)
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint()
    await once(i)
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

/** A multipart body with the photo in `file` and the text fields. */
function multipart(content: Buffer, fields: Record<string, string>): { payload: Buffer; contentType: string } {
  const boundary = `----posm-bench-${randomBytes(8).toString('hex')}`
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  )
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`))
  parts.push(content, Buffer.from(`\r\n--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}

export async function photoCheckTimes(runs = 15): Promise<{ figures: PhotoCheckFigure[]; bytes: number }> {
  // the QR worker thread never keeps a process alive (qr-decoder.ts): a server's listening socket does; here, this
  const keepAlive = setInterval(() => undefined, 1000)
  try {
    return await measureAll(runs)
  } finally {
    clearInterval(keepAlive)
  }
}

async function measureAll(runs: number): Promise<{ figures: PhotoCheckFigure[]; bytes: number }> {
  const storefront = await phonePhoto(
    await sharp(await samplePhoto('normal', 1))
      .png()
      .toBuffer(),
  )
  const spot = await phonePhoto(await qrInScene('https://marketing.alipayplus.example/mc/APMC0000123456', { angle: 20, scale: 0.25 }))
  const figures: PhotoCheckFigure[] = [
    { name: 'quality analysis (sharp, 512 px greyscale)', median: await median(runs, () => photoQuality(storefront, DEFAULT_PHOTO_QUALITY)) },
    { name: 'QR pass, storefront without a code (both passes)', median: await median(runs, () => decodeQrCodes(storefront)) },
    { name: 'QR pass, spot photo with a code (found at the first pass)', median: await median(runs, () => decodeQrCodes(spot)) },
    { name: 'fingerprint (dHash + colours)', median: await median(runs, () => photoFingerprint(storefront)) },
  ]

  // whole uploads: each a distinct photo (the same content again is answered as a retry)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-bench-photos-'))
  const server = await buildServer({
    dbPath: path.join(dir, 'db.sqlite'),
    dev: true,
    staticDir: null,
    uploadDir: path.join(dir, 'up'),
    rateLimits: { signInPerMinute: 100_000, uploadsPerMinute: 100_000, submissionsPerMinute: 100_000 },
  })
  try {
    const signIn = await server.inject({ method: 'POST', url: '/api/auth/dev', payload: { staffId: 'staff-dao' } })
    const token = (signIn.json() as { token: string }).token
    const photos: Buffer[] = []
    for (let i = 0; i < 2 * (runs + 1); i++) {
      // the same scene with a different stamp in one corner: distinct bytes, the same work
      const stamp = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: i & 0xff, g: (i * 37) & 0xff, b: 90 } } })
        .png()
        .toBuffer()
      photos.push(
        await sharp(storefront)
          .composite([{ input: stamp, left: 0, top: 0 }])
          .jpeg({ quality: 85 })
          .toBuffer(),
      )
    }
    let next = 0
    const upload = async (purpose: string | null) => {
      const fields: Record<string, string> = { takenAt: new Date().toISOString(), ...(purpose ? { purpose } : {}) }
      const { payload, contentType } = multipart(photos[next++], fields)
      const res = await server.inject({
        method: 'POST',
        url: '/api/uploads',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        payload,
      })
      if (res.statusCode !== 201) throw new Error(`upload: ${res.statusCode} ${res.body}`)
    }
    figures.push({ name: 'whole upload of a storefront photo, purpose not sent (QR pass runs: before)', median: await median(runs, () => upload(null)) })
    figures.push({
      name: 'whole upload of a storefront photo, purpose=storefront (QR pass skipped: after)',
      median: await median(runs, () => upload('storefront')),
    })
  } finally {
    await server.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return { figures, bytes: storefront.length }
}
