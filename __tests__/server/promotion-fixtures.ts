import { randomBytes } from 'node:crypto'
import zlib from 'node:zlib'
import type { LightMyRequestResponse } from 'fastify'
import type { PaymentVerificationView, PromotionView, UploadView } from '../../packages/contract/promotion'
import type { TestServer } from './helpers'

// ---- images ---------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(data: Buffer): number {
  let c = 0xffffffff
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** A real 2×2 RGB PNG whose pixels depend on `seed` (so that each seed has its own hash). */
export function png(seed: number, size = 2): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // RGB
  const rows: Buffer[] = []
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3)
    for (let x = 0; x < size; x++) {
      row[1 + x * 3] = (seed * 7 + x) & 0xff
      row[2 + x * 3] = (seed >> 8) & 0xff
      row[3 + x * 3] = (y * 31 + seed) & 0xff
    }
    rows.push(row)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A PNG of about `bytes` bytes (random pixels do not compress). */
export function largePng(bytes: number): Buffer {
  const base = png(1)
  const filler = chunk('tEXt', Buffer.concat([Buffer.from('Comment\0', 'latin1'), randomBytes(bytes)]))
  return Buffer.concat([base.subarray(0, base.length - 12), filler, base.subarray(base.length - 12)])
}

/** A minimal baseline 1×1 JPEG with a comment that depends on `seed`. */
export function jpeg(seed: number): Buffer {
  const tiny = Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
    'base64',
  )
  const text = Buffer.from(`seed ${seed}`, 'latin1')
  const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, text.length + 2]), text])
  return Buffer.concat([tiny.subarray(0, 2), comment, tiny.subarray(2), Buffer.from([0xff, 0xd9])])
}

export function webp(seed: number): Buffer {
  const body = Buffer.concat([Buffer.from('WEBPVP8 ', 'latin1'), Buffer.from([seed & 0xff, 0, 0, 0, 1, 2, 3, 4])])
  const size = Buffer.alloc(4)
  size.writeUInt32LE(body.length)
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, body])
}

// ---- multipart --------------------------------------------------------------------------------------

export type Part = { name: string; value: string } | { name: string; filename: string; contentType?: string; content: Buffer }

/** A multipart/form-data body built by hand. */
export function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----posm-test-${randomBytes(8).toString('hex')}`
  const chunks: Buffer[] = []
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`))
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType ?? 'image/png'}\r\n\r\n`,
        ),
        part.content,
        Buffer.from('\r\n'),
      )
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

export const PHOTO_FIELDS = { takenAt: '2025-03-03T01:58:00.000Z', latitude: '1.3000', longitude: '103.8000', accuracy: '8', mocked: 'false' }

/** POST /api/uploads with `content` in the field `file` and the photo fields. */
export function uploadRaw(
  server: TestServer,
  token: string,
  content: Buffer,
  opts: { filename?: string; contentType?: string; fields?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const fields = Object.entries(opts.fields ?? PHOTO_FIELDS).map(([name, value]) => ({ name, value }))
  const { payload, contentType } = multipart([...fields, { name: 'file', filename: opts.filename ?? 'photo.png', contentType: opts.contentType, content }])
  return server.app.inject({ method: 'POST', url: '/api/uploads', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload })
}

let nextSeed = 1000

/** Uploads a fresh PNG and answers its id. */
export async function uploadPhoto(server: TestServer, token: string, content: Buffer = png(nextSeed++)): Promise<string> {
  const res = await uploadRaw(server, token, content)
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`upload failed: ${res.statusCode} ${res.body}`)
  return (res.json() as UploadView).id
}

// ---- promotions -------------------------------------------------------------------------------------

let nextCode = 1

/** A free Marketing Code (as the QR's URL). */
export function freshCode(): string {
  return `https://marketing.alipayplus.example/mc/APMC${String(100000 + nextCode++).padStart(10, '0')}`
}

export function storeInput(storefrontPhotoId: string, overrides: Record<string, unknown> = {}) {
  return {
    name: 'Kedai Kopi Sentosa',
    address: '12 Jalan Demo, Jakarta 10110',
    category: 'FOOD_BEVERAGE',
    wallets: ['ALIPAY', 'DANA'],
    managerConsent: true,
    openingTime: '08:00',
    closingTime: '22:00',
    location: { latitude: -6.2, longitude: 106.8166, accuracy: 10, mocked: false },
    storefrontPhotoId,
    ...overrides,
  }
}

export const MERCHANT = {
  contactName: 'Siti Aminah',
  contactPhone: '+6281234567891',
  legalName: 'PT Kopi Sentosa',
  acquirerMerchantId: 'ID-ACQ-12345',
  notes: '',
}

/** A spot as the tests send it (loose, so that tests can break it). */
export interface SpotBody {
  position: string
  photoId: string
  positionNote?: string
  marketingCode?: string
  materialType?: string
}

let nextClient = 1

export function clientId(): string {
  return `client-${Date.now().toString(36)}-${nextClient++}`
}

/** A complete submission with fresh uploads: Marketing Code spots (default) or Primary POSM spots. */
export async function promotionBody(
  server: TestServer,
  token: string,
  opts: { product?: 'MARKETING_CODE' | 'PRIMARY_POSM'; spots?: number; paymentVerificationIds?: string[]; store?: Record<string, unknown> } = {},
) {
  const product = opts.product ?? 'MARKETING_CODE'
  const storefront = await uploadPhoto(server, token)
  const spots: SpotBody[] = []
  for (let i = 0; i < (opts.spots ?? 2); i++) {
    const photoId = await uploadPhoto(server, token)
    spots.push(
      product === 'MARKETING_CODE'
        ? { position: 'CASHIER_COUNTER', photoId, marketingCode: freshCode() }
        : { position: 'WALL', photoId, materialType: 'STICKER' },
    )
  }
  return {
    clientId: clientId(),
    product,
    store: storeInput(storefront, opts.store),
    spots,
    merchant: MERCHANT,
    paymentVerificationIds: opts.paymentVerificationIds ?? [],
  }
}

/** Payment evidence with a fresh photo; a reference that passes unless given. */
let nextReference = 1

/** A payment reference no other evidence of the run has (a payment counts once: issue 25). Never ends in 0000 (the simulator's "not found"). */
export function freshReference(): string {
  const n = nextReference++
  return `AP${String(202503030000 + n * 3).padStart(14, '0')}${String(1000 + (n % 8999)).padStart(4, '0')}`
}

export async function evidence(server: TestServer, token: string, mode: 'MPM' | 'UPM', overrides: Record<string, unknown> = {}) {
  return {
    mode,
    tool: 'ALIPAY_PLUS_LINKER',
    reference: freshReference(),
    photoId: await uploadPhoto(server, token),
    wallets: ['ALIPAY', 'DANA'],
    ...overrides,
  }
}

/** Verify-Then-Deploy: two passed verifications (MPM, UPM); answers their ids. */
export async function passedVerifications(server: TestServer, token: string): Promise<string[]> {
  const ids: string[] = []
  for (const mode of ['MPM', 'UPM'] as const) {
    const res = await server.api('POST', '/api/payment-verifications', { token, body: await evidence(server, token, mode) })
    const view = res.json() as PaymentVerificationView
    if (res.statusCode !== 200 || view.status !== 'PASSED') throw new Error(`verification failed: ${res.statusCode} ${res.body}`)
    ids.push(view.id)
  }
  return ids
}

/** Submits a promotion and checks that it was created. */
export async function createPromotion(server: TestServer, token: string, body: unknown): Promise<PromotionView> {
  const res = await server.api('POST', '/api/promotions', { token, body })
  if (res.statusCode !== 201) throw new Error(`promotion not created: ${res.statusCode} ${res.body}`)
  return res.json() as PromotionView
}
