/**
 * The DingTalk implementations of the platform ports, against a fake `dd` global: each normalises the
 * result shapes that different DingTalk clients answer with.
 */
import { createDdAuth } from '../../src/platform/dd/auth'
import { createDdCamera } from '../../src/platform/dd/camera'
import { createDdHttp } from '../../src/platform/dd/http'
import { createDdLocation } from '../../src/platform/dd/location'
import { createDdScanner } from '../../src/platform/dd/scanner'
import { createDdSystem } from '../../src/platform/dd/system'
import { createDdUpload } from '../../src/platform/dd/upload'
import { TransportError } from '../../src/platform/types'

type Opts = { success?: (r: unknown) => void; fail?: (e: unknown) => void; [k: string]: unknown }
const g = globalThis as unknown as { dd: Record<string, jest.Mock> }

/** A dd API that answers `result` through success (or `error` through fail), recording its options. */
function api(result: unknown, error?: unknown) {
  return jest.fn((o: Opts) => (error ? o.fail?.(error) : o.success?.(result)))
}

afterEach(() => {
  delete (g as { dd?: unknown }).dd
})

describe('dd camera: chooseImage answers under four names', () => {
  it.each([
    [{ filePaths: ['a.jpg'] }],
    [{ apFilePaths: ['a.jpg'] }],
    [{ tempFilePaths: ['a.jpg'] }],
    [{ files: [{ path: 'a.jpg', size: 1 }] }],
    [{ files: ['a.jpg'] }],
    [{ filePaths: [], apFilePaths: ['a.jpg'] }],
  ])('%j → a.jpg', async (result) => {
    g.dd = { chooseImage: api(result) }
    await expect(createDdCamera().takePhoto({ title: 'x' })).resolves.toEqual(['a.jpg'])
    expect(g.dd.chooseImage.mock.calls[0][0]).toMatchObject({ sourceType: ['camera'], count: 1 })
  })

  it('a cancelled camera is null, not an error', async () => {
    g.dd = { chooseImage: api(null, { error: 11, errorMessage: 'user canceled' }) }
    await expect(createDdCamera().takePhoto({ title: 'x' })).resolves.toBeNull()
  })

  it('compresses, keeping the original when compression fails', async () => {
    g.dd = { compressImage: api({ apFilePaths: ['small.jpg'] }) }
    await expect(createDdCamera().compress('big.jpg')).resolves.toBe('small.jpg')
    g.dd = { compressImage: api(null, { error: 3 }) }
    await expect(createDdCamera().compress('big.jpg')).resolves.toBe('big.jpg')
  })
})

describe('dd upload', () => {
  it('passes fileType image (DingTalk refuses the call without it) and parses the JSON answer', async () => {
    g.dd = { uploadFile: api({ data: '{"id":"u1"}', statusCode: 201 }) }
    const res = await createDdUpload().upload({ url: 'http://s/u', filePath: 'a.jpg', name: 'file' })
    expect(res).toEqual({ status: 201, data: { id: 'u1' } })
    expect(g.dd.uploadFile.mock.calls[0][0]).toMatchObject({ fileType: 'image', fileName: 'file', filePath: 'a.jpg' })
  })

  it('a failed upload without a status is a transport error', async () => {
    g.dd = { uploadFile: api(null, { error: 12, errorMessage: 'network' }) }
    await expect(createDdUpload().upload({ url: 'http://s/u', filePath: 'a.jpg', name: 'file' })).rejects.toBeInstanceOf(TransportError)
  })
})

describe('dd auth', () => {
  it('asks for the auth code with the corpId', async () => {
    g.dd = { getAuthCode: api({ authCode: 'abc' }) }
    await expect(createDdAuth('ding123').getAuthCode()).resolves.toBe('abc')
    expect(g.dd.getAuthCode.mock.calls[0][0]).toMatchObject({ corpId: 'ding123' })
  })
})

describe('dd location', () => {
  it('asks for a fresh fix and turns strings into numbers, keeping the mock flag', async () => {
    g.dd = { getLocation: api({ latitude: '1.30', longitude: '103.85', accuracy: '12', isFromMock: true }) }
    await expect(createDdLocation().getLocation()).resolves.toEqual({ latitude: 1.3, longitude: 103.85, accuracy: 12, mocked: true })
    expect(g.dd.getLocation.mock.calls[0][0]).toMatchObject({ useCache: false })
  })

  it('refuses a result without coordinates', async () => {
    g.dd = { getLocation: api({}) }
    await expect(createDdLocation().getLocation()).rejects.toThrow()
  })
})

describe('dd scanner', () => {
  // `code` is the field dd.scan documents: it wins when a client also answers another one
  it.each([[{ code: 'T' }], [{ code: 'T', text: 'other' }], [{ text: 'T' }], [{ qrCode: 'T' }]])('%j → T', async (result) => {
    g.dd = { scan: api(result) }
    await expect(createDdScanner().scan({ title: '', placeholder: '', confirm: '', cancel: '' })).resolves.toBe('T')
  })

  it('cancelled is null', async () => {
    g.dd = { scan: api(null, { error: 11 }) }
    await expect(createDdScanner().scan({ title: '', placeholder: '', confirm: '', cancel: '' })).resolves.toBeNull()
  })
})

describe('dd http', () => {
  const req = { url: 'http://s/api/me', method: 'GET' as const, headers: { Authorization: 'Bearer t' }, timeoutMs: 1000 }

  it('sends headers (plural) and answers the status', async () => {
    g.dd = { httpRequest: api({ status: 200, data: { ok: true } }) }
    await expect(createDdHttp().request(req)).resolves.toEqual({ status: 200, data: { ok: true } })
    expect(g.dd.httpRequest.mock.calls[0][0]).toMatchObject({ headers: { Authorization: 'Bearer t' }, timeout: 1000 })
  })

  it('an HTTP error status arriving through fail is still a response', async () => {
    g.dd = { httpRequest: api(null, { error: 19, status: 409, data: '{"error":{"code":"REQUEST_PENDING"}}' }) }
    await expect(createDdHttp().request(req)).resolves.toEqual({ status: 409, data: { error: { code: 'REQUEST_PENDING' } } })
  })

  it.each([
    [{ error: 13, errorMessage: 'timeout' }, 'timeout'],
    [{ error: 12, errorMessage: 'network' }, 'network'],
  ])('%j is a %s transport error', async (error, kind) => {
    g.dd = { httpRequest: api(null, error) }
    await expect(createDdHttp().request(req)).rejects.toMatchObject({ kind })
  })

  it('sends a POST body as JSON', async () => {
    g.dd = { httpRequest: api({ status: 201, data: {} }) }
    await createDdHttp().request({ ...req, method: 'POST', body: { a: 1 } })
    expect(g.dd.httpRequest.mock.calls[0][0]).toMatchObject({ method: 'POST', data: '{"a":1}' })
  })
})

describe('dd system', () => {
  it('reads the language, or null when the client does not say', () => {
    g.dd = { getSystemInfoSync: jest.fn(() => ({ language: 'zh-Hans' })) }
    expect(createDdSystem().language()).toBe('zh-Hans')
    g.dd = { getSystemInfoSync: jest.fn(() => ({})) }
    expect(createDdSystem().language()).toBeNull()
  })
})
