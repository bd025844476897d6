/**
 * Distinct pictures for the camera of the browser preview: small PNG files, each a different colour
 * pattern, so that every photo has its own content (the server refuses a repeated photo).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A 96×64 PNG whose colours depend on `seed`; `dark`: the same picture at a tenth of its light (issue 26). */
export function png(seed: number, dark = false): Buffer {
  const width = 96
  const height = 64
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3
      raw[o] = (seed * 53 + x * 2) & 0xff
      raw[o + 1] = (seed * 97 + y * 3) & 0xff
      raw[o + 2] = (seed * 31 + ((x ^ y) & 0x3f)) & 0xff
    }
  }
  if (dark) for (let i = 0; i < raw.length; i++) if (i % (width * 3 + 1) !== 0) raw[i] = Math.round(raw[i] / 10)
  // the seed itself in the first pixels, so that no two seeds give the same picture
  raw.writeUInt32BE(seed >>> 0, 1)
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-pictures-'))

/** The path of picture number `seed` (written once); `dark`: taken in poor light, too dark for the photo check. */
export function picture(seed: number, dark = false): string {
  const file = path.join(dir, `photo-${seed}${dark ? '-dark' : ''}.png`)
  if (!fs.existsSync(file)) fs.writeFileSync(file, png(seed, dark))
  return file
}
