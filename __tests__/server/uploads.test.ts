import fs from 'node:fs'
import path from 'node:path'
import type { UploadView } from '../../packages/contract/promotion'
import { sniffImage, uploadMetadata } from '../../server/src/services/uploads'
import { errorOf, startTestServer, type TestServer } from './helpers'
import { createPromotion, jpeg, largePng, multipart, png, promotionBody, uploadRaw, webp } from './promotion-fixtures'

describe('uploads', () => {
  let server: TestServer
  let dao: string
  beforeEach(async () => {
    server = await startTestServer({ maxUploadBytes: 64 * 1024 })
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  const storedFiles = () => fs.readdirSync(server.uploadDir)

  it('stores a PNG, JPEG or WebP under a random name and answers its UploadView', async () => {
    for (const [content, mime] of [
      [png(1), 'image/png'],
      [jpeg(1), 'image/jpeg'],
      [webp(1), 'image/webp'],
    ] as const) {
      const res = await uploadRaw(server, dao, content, { contentType: 'application/octet-stream', filename: 'whatever.bin' })
      expect(res.statusCode).toBe(201)
      const view = res.json() as UploadView
      expect(view).toMatchObject({ mime, size: content.length, takenAt: '2025-03-03T01:58:00.000Z', createdAt: '2025-03-03T02:00:00.000Z' })
      expect(view.id).toMatch(/^upl-/)
      expect(view.sha256).toMatch(/^[0-9a-f]{64}$/)
      expect(view.location).toEqual({ latitude: 1.3, longitude: 103.8, accuracy: 8, mocked: false })
    }
    const files = storedFiles()
    expect(files).toHaveLength(3)
    for (const f of files) expect(f).toMatch(/^[0-9a-f]{32}\.(png|jpg|webp)$/)
  })

  it('refuses content that is not an image, whatever its name and declared type (415 NOT_AN_IMAGE)', async () => {
    for (const content of [Buffer.from('GIF89a not ours'), Buffer.from('<html>hello</html>'), Buffer.from([0xff, 0xd8]), Buffer.from('RIFF1234WAVE')]) {
      const res = await uploadRaw(server, dao, content, { filename: 'storefront.jpg', contentType: 'image/jpeg' })
      expect(res.statusCode).toBe(415)
      expect(errorOf(res).code).toBe('NOT_AN_IMAGE')
    }
    expect(storedFiles()).toHaveLength(0)
  })

  it('refuses a file over the limit with 413 FILE_TOO_LARGE and stays usable', async () => {
    const res = await uploadRaw(server, dao, largePng(80 * 1024))
    expect(res.statusCode).toBe(413)
    expect(errorOf(res).code).toBe('FILE_TOO_LARGE')
    // fields after the file are drained too
    const { payload, contentType } = multipart([
      { name: 'file', filename: 'big.png', content: largePng(200 * 1024) },
      { name: 'takenAt', value: '2025-03-03T01:00:00Z' },
    ])
    const after = await server.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: { authorization: `Bearer ${dao}`, 'content-type': contentType },
      payload,
    })
    expect(after.statusCode).toBe(413)
    expect(storedFiles()).toHaveLength(0)
    expect((await uploadRaw(server, dao, png(2))).statusCode).toBe(201)
  })

  it('accepts a file at the limit', async () => {
    const big = largePng(60 * 1024)
    expect(big.length).toBeLessThanOrEqual(64 * 1024)
    expect((await uploadRaw(server, dao, big)).statusCode).toBe(201)
  })

  it('never uses the client file name', async () => {
    for (const [i, filename] of ['../../x.jpg', '<script>.png', '..\\..\\evil.png', 'a"b.png', ''].entries()) {
      const res = await uploadRaw(server, dao, png(10 + i), { filename })
      expect(res.statusCode).toBe(201)
    }
    const files = storedFiles()
    expect(files).toHaveLength(5)
    for (const f of files) expect(f).toMatch(/^[0-9a-f]{32}\.png$/)
    expect(fs.existsSync(path.join(server.uploadDir, '..', '..', 'x.jpg'))).toBe(false)
  })

  it('answers 400 PHOTO_REQUIRED without a file, and 400 for a body that is not multipart', async () => {
    const { payload, contentType } = multipart([{ name: 'takenAt', value: '2025-03-03T01:00:00Z' }])
    const none = await server.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: { authorization: `Bearer ${dao}`, 'content-type': contentType },
      payload,
    })
    expect(none.statusCode).toBe(400)
    expect(errorOf(none).code).toBe('PHOTO_REQUIRED')

    const wrongField = multipart([{ name: 'photo', filename: 'a.png', content: png(3) }])
    const other = await server.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: { authorization: `Bearer ${dao}`, 'content-type': wrongField.contentType },
      payload: wrongField.payload,
    })
    expect(errorOf(other).code).toBe('PHOTO_REQUIRED')

    const empty = await uploadRaw(server, dao, Buffer.alloc(0))
    expect(empty.statusCode).toBe(400)
    expect(errorOf(empty).code).toBe('PHOTO_REQUIRED')

    const json = await server.api('POST', '/api/uploads', { token: dao, body: { file: 'abc' } })
    expect(json.statusCode).toBe(400)
    expect(errorOf(json).code).toBe('VALIDATION_FAILED')
  })

  it('answers malformed multipart bodies with 4xx, never 500', async () => {
    const headers = { authorization: `Bearer ${dao}` }
    const cases = [
      { 'content-type': 'multipart/form-data' }, // no boundary
      { 'content-type': 'multipart/form-data; boundary=xyz' },
    ]
    for (const extra of cases) {
      for (const payload of ['garbage', '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG', '']) {
        const res = await server.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...extra }, payload })
        expect(res.statusCode).toBeGreaterThanOrEqual(400)
        expect(res.statusCode).toBeLessThan(500)
        expect(errorOf(res).code).toMatch(/VALIDATION_FAILED|PHOTO_REQUIRED|NOT_AN_IMAGE/)
      }
    }
    const two = multipart([
      { name: 'file', filename: 'a.png', content: png(4) },
      { name: 'file', filename: 'b.png', content: png(5) },
    ])
    const res = await server.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, 'content-type': two.contentType }, payload: two.payload })
    expect(res.statusCode).toBeLessThan(500)
  })

  it('ignores location fields it cannot read', async () => {
    const res = await uploadRaw(server, dao, png(6), { fields: { takenAt: 'yesterday', latitude: 'north', longitude: '200', accuracy: '-1', mocked: 'maybe' } })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ takenAt: null, location: null })
    const noFields = await uploadRaw(server, dao, png(7), { fields: {} })
    expect(noFields.json()).toMatchObject({ takenAt: null, location: null })
  })

  it('answers a retry of the same content with the same upload (200)', async () => {
    const first = await uploadRaw(server, dao, png(8))
    const again = await uploadRaw(server, dao, png(8), { filename: 'other-name.png' })
    expect(first.statusCode).toBe(201)
    expect(again.statusCode).toBe(200)
    expect(again.json().id).toBe(first.json().id)
    expect(storedFiles()).toHaveLength(1)
    // another staff member's copy is their own upload
    const chen = await server.signIn('staff-chen')
    const theirs = await uploadRaw(server, chen, png(8))
    expect(theirs.statusCode).toBe(201)
    expect(theirs.json().id).not.toBe(first.json().id)
  })

  it('refuses content that is part of a submission already (409 PHOTO_REPEATED), for anyone', async () => {
    const body = await promotionBody(server, dao, { spots: 1 })
    await createPromotion(server, dao, body)
    const storefront = await server.api('GET', `/api/uploads/${body.store.storefrontPhotoId}`, { token: dao })
    const again = await uploadRaw(server, dao, storefront.rawPayload)
    expect(again.statusCode).toBe(409)
    expect(errorOf(again).code).toBe('PHOTO_REPEATED')
    const chen = await server.signIn('staff-chen')
    const other = await uploadRaw(server, chen, storefront.rawPayload)
    expect(errorOf(other).code).toBe('PHOTO_REPEATED')
  })

  it('serves a photo to its owner only', async () => {
    const content = jpeg(9)
    const { id } = (await uploadRaw(server, dao, content)).json() as UploadView
    const own = await server.api('GET', `/api/uploads/${id}`, { token: dao })
    expect(own.statusCode).toBe(200)
    expect(own.headers['content-type']).toBe('image/jpeg')
    expect(own.headers['x-content-type-options']).toBe('nosniff')
    expect(own.rawPayload.equals(content)).toBe(true)

    const chen = await server.signIn('staff-chen')
    const foreign = await server.api('GET', `/api/uploads/${id}`, { token: chen })
    expect(foreign.statusCode).toBe(403)
    expect(errorOf(foreign).code).toBe('FORBIDDEN')
    const missing = await server.api('GET', '/api/uploads/upl-nope', { token: dao })
    expect(missing.statusCode).toBe(404)
    expect((await server.api('GET', `/api/uploads/${id}`)).statusCode).toBe(401)
    // the upload folder is not served anywhere
    const [file] = storedFiles()
    for (const url of [`/${file}`, `/uploads/${file}`, `/api/uploads/${file}`]) expect((await server.api('GET', url, { token: dao })).statusCode).toBe(404)
  })

  it('is for associated staff only (403 NOT_ASSOCIATED), checked before the body is read', async () => {
    const budi = await server.signIn('staff-budi')
    const res = await uploadRaw(server, budi, png(11))
    expect(res.statusCode).toBe(403)
    expect(errorOf(res).code).toBe('NOT_ASSOCIATED')
    expect(storedFiles()).toHaveLength(0)
  })
})

describe('upload helpers', () => {
  it('recognises images by their first bytes', () => {
    expect(sniffImage(png(1))).toBe('image/png')
    expect(sniffImage(jpeg(1))).toBe('image/jpeg')
    expect(sniffImage(webp(1))).toBe('image/webp')
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0AVI '))).toBeNull()
    expect(sniffImage(Buffer.alloc(0))).toBeNull()
  })

  it('reads the photo fields leniently', () => {
    expect(uploadMetadata({ latitude: '1.5', longitude: '-2', accuracy: 'x', mocked: 'TRUE', takenAt: '2025-01-01T00:00:00+08:00' })).toEqual({
      taken_at: '2024-12-31T16:00:00.000Z',
      latitude: 1.5,
      longitude: -2,
      accuracy: null,
      mocked: 1,
    })
    expect(uploadMetadata({ latitude: '91', longitude: '0' })).toMatchObject({ latitude: null, longitude: null, mocked: null })
    expect(uploadMetadata({ latitude: 'Infinity', longitude: '0' }).latitude).toBeNull()
  })
})
