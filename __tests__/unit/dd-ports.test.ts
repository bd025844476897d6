/**
 * The DingTalk implementations of the platform ports, against a fake `dd` global answering as DingTalk's
 * JSAPI documents say (the pages are cited in src/platform/dd and its README): each normalises the result
 * shapes that different DingTalk clients answer with and reads each documented error by its kind.
 */
import { createDdAuth } from '../../src/platform/dd/auth'
import { createDdCamera } from '../../src/platform/dd/camera'
import { createDdHttp } from '../../src/platform/dd/http'
import { createDdLocation } from '../../src/platform/dd/location'
import { createDdScanner } from '../../src/platform/dd/scanner'
import { createDdSystem } from '../../src/platform/dd/system'
import { createDdFiles } from '../../src/platform/dd/files'
import { createDdNetwork, NETWORK_POLL_MS } from '../../src/platform/dd/network'
import { createDdUpload } from '../../src/platform/dd/upload'
import { DeviceError, TransportError } from '../../src/platform/types'
import { toApiError } from '../../src/services/api-client'

type Opts = { success?: (r: unknown) => void; fail?: (e: unknown) => void; [k: string]: unknown }
const g = globalThis as unknown as { dd: Record<string, jest.Mock> }

/** A dd API that answers `result` through success (or `error` through fail), recording its options. */
function api(result: unknown, error?: unknown) {
  return jest.fn((o: Opts) => (error ? o.fail?.(error) : o.success?.(result)))
}

afterEach(() => {
  delete (g as { dd?: unknown }).dd
  jest.restoreAllMocks()
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

  it('a cancelled camera (error 11, 0531-dd-chooseimage.md) is null, not an error; another failure is CAMERA_FAILED', async () => {
    g.dd = { chooseImage: api(null, { error: 11, errorMessage: '用户取消操作' }) }
    await expect(createDdCamera().takePhoto({ title: 'x' })).resolves.toBeNull()
    g.dd = { chooseImage: api(null, { error: 3, errorMessage: 'camera busy' }) }
    await expect(createDdCamera().takePhoto({ title: 'x' })).rejects.toMatchObject({ code: 'CAMERA_FAILED' })
  })

  it('compresses, keeping the original when compression fails', async () => {
    g.dd = { compressImage: api({ apFilePaths: ['small.jpg'] }) }
    await expect(createDdCamera().compress('big.jpg')).resolves.toBe('small.jpg')
    g.dd = { compressImage: api(null, { error: 3 }) }
    await expect(createDdCamera().compress('big.jpg')).resolves.toBe('big.jpg')
  })
})

describe('dd upload', () => {
  it('passes fileType image (DingTalk refuses the call without it) and reads the String statusCode and the JSON answer', async () => {
    g.dd = { uploadFile: api({ data: '{"id":"u1"}', statusCode: '201', header: {} }) }
    const res = await createDdUpload().upload({ url: 'http://s/u', filePath: 'a.jpg', name: 'file' })
    expect(res).toEqual({ status: 201, data: { id: 'u1' } })
    expect(g.dd.uploadFile.mock.calls[0][0]).toMatchObject({ fileType: 'image', fileName: 'file', filePath: 'a.jpg' })
  })

  it('an HTTP error arrives as a String status (0518-dd-upload-objects.md): "401" is 401, "429" is 429', async () => {
    g.dd = { uploadFile: api({ data: 'Unauthorized', statusCode: '401' }) }
    await expect(createDdUpload().upload({ url: 'http://s/u', filePath: 'a.jpg', name: 'file' })).resolves.toEqual({ status: 401, data: 'Unauthorized' })
    g.dd = { uploadFile: api({ data: '', statusCode: '429' }) }
    await expect(createDdUpload().upload({ url: 'http://s/u', filePath: 'a.jpg', name: 'file' })).resolves.toMatchObject({ status: 429 })
  })

  it.each([
    [12, 'network', 'NETWORK'],
    [11, 'file-missing', 'PHOTO_LOST'],
    [13, 'file-permission', 'PHOTO_LOST'],
    [4, 'configuration', 'CONFIGURATION'],
  ])('error %d is a %s transport error (%s)', async (error, kind, code) => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined)
    g.dd = { uploadFile: api(null, { error, errorMessage: 'x' }) }
    const failure = await createDdUpload()
      .upload({ url: 'http://s/u', filePath: 'a.jpg', name: 'file' })
      .catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(TransportError)
    expect(failure).toMatchObject({ kind })
    expect(toApiError(failure).code).toBe(code)
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
  it('asks for a fresh WGS-84 fix (coordinate 0, a Number) and turns strings into numbers, keeping a reported mock flag', async () => {
    g.dd = { getLocation: api({ latitude: '1.30', longitude: '103.85', accuracy: '12', isFromMock: true }) }
    await expect(createDdLocation().getLocation()).resolves.toEqual({ latitude: 1.3, longitude: 103.85, accuracy: 12, mocked: true })
    expect(g.dd.getLocation.mock.calls[0][0]).toMatchObject({ useCache: false, coordinate: 0, type: 0 })
  })

  it.each([
    [11, 'LOCATION_PERMISSION'],
    [12, 'LOCATION_UNAVAILABLE'],
    [13, 'LOCATION_UNAVAILABLE'],
    [14, 'LOCATION_UNAVAILABLE'],
  ])('error %d (0623-dd-getlocation.md) is %s', async (error, code) => {
    g.dd = { getLocation: api(null, { error, errorMessage: 'x' }) }
    const failure = await createDdLocation()
      .getLocation()
      .catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(DeviceError)
    expect(failure).toMatchObject({ code })
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

  it('error 10 is the person cancelling (null); error 11 is a failed scan (0726-mini-program-jsapi-sweep-code.md)', async () => {
    g.dd = { scan: api(null, { error: 10, errorMessage: '用户取消' }) }
    await expect(createDdScanner().scan({ title: '', placeholder: '', confirm: '', cancel: '' })).resolves.toBeNull()
    g.dd = { scan: api(null, { error: 11, errorMessage: '操作失败' }) }
    await expect(createDdScanner().scan({ title: '', placeholder: '', confirm: '', cancel: '' })).rejects.toMatchObject({ code: 'SCAN_FAILED' })
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
    [{ error: 13, errorMessage: '超时' }, 'timeout'],
    [{ error: 12, errorMessage: '网络出错' }, 'network'],
    // an HTTP error status without the status (the documents promise none)
    [{ error: 19, errorMessage: 'HTTP错误' }, 'http'],
    // the app's settings: not a safe domain, no cross-domain permission, an answer not decodable as JSON
    [{ error: 4, errorMessage: '设置错误' }, 'configuration'],
    [{ error: 11, errorMessage: '无权跨域' }, 'configuration'],
    [{ error: 14, errorMessage: '解码失败' }, 'configuration'],
  ])('%j is a %s transport error (0517-send-network-requests.md)', async (error, kind) => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined)
    g.dd = { httpRequest: api(null, error) }
    await expect(createDdHttp().request(req)).rejects.toMatchObject({ kind })
    // a configuration error is logged for the developer (never the request's headers)
    expect(logged.mock.calls.length > 0).toBe(kind === 'configuration')
    expect(JSON.stringify(logged.mock.calls)).not.toContain('Bearer')
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

describe('dd files: the file manager (0351-jsapi-file-system-manager-save-file.md, 0349-…-remove-saved-file.md)', () => {
  const manager = (saveFile: jest.Mock, removeSavedFile = api({ success: true })) => ({ saveFile, removeSavedFile, getSavedFileList: api({ fileList: [] }) })

  it('moves a temporary photo to a saved file and answers the saved path; removes it with removeSavedFile', async () => {
    const fsm = manager(api({ savedFilePath: 'https://resource/saved-1.image' }))
    g.dd = { canIUse: jest.fn(() => true), getFileSystemManager: jest.fn(() => fsm) as unknown as jest.Mock }
    await expect(createDdFiles().persist('https://resource/tmp-1.image')).resolves.toBe('https://resource/saved-1.image')
    expect(fsm.saveFile.mock.calls[0][0]).toMatchObject({ tempFilePath: 'https://resource/tmp-1.image' })
    expect(fsm.saveFile.mock.calls[0][0]).not.toHaveProperty('filePath')
    expect(g.dd.canIUse).toHaveBeenCalledWith('getFileSystemManager')
    await createDdFiles().remove('https://resource/saved-1.image')
    expect(fsm.removeSavedFile.mock.calls[0][0]).toMatchObject({ filePath: 'https://resource/saved-1.image' })
  })

  it.each([[{ error: 10022, errorMessage: '指定的路径找不到文件' }], [{ error: 3, errorMessage: '保存文件失败' }]])(
    'a photo that cannot be saved (%j) is refused with PHOTO_NOT_SAVED, never kept under its temporary path',
    async (failure) => {
      g.dd = { canIUse: jest.fn(() => true), getFileSystemManager: jest.fn(() => manager(api(null, failure))) as unknown as jest.Mock }
      await expect(createDdFiles().persist('https://resource/tmp-1.image')).rejects.toMatchObject({ code: 'PHOTO_NOT_SAVED' })
    },
  )

  it('a DingTalk without the file manager (dd.canIUse false) is asked to update', async () => {
    g.dd = { canIUse: jest.fn(() => false), getFileSystemManager: jest.fn(() => manager(api({ savedFilePath: 'x' }))) as unknown as jest.Mock }
    await expect(createDdFiles().persist('https://resource/tmp-1.image')).rejects.toMatchObject({ code: 'DINGTALK_OUTDATED' })
    expect(g.dd.getFileSystemManager).not.toHaveBeenCalled()
  })
})

describe('dd network (0638-dd-getnetworktype.md)', () => {
  afterEach(() => jest.useRealTimers())

  it('without a documented change event, asks getNetworkType until the network comes back', async () => {
    jest.useFakeTimers()
    let online = false
    g.dd = {
      canIUse: jest.fn((schema: string) => schema !== 'onNetworkStatusChange'),
      getNetworkType: jest.fn((o: Opts) => o.success?.({ networkAvailable: online, networkType: online ? 'WIFI' : 'NOTREACHABLE' })),
    }
    const changes: boolean[] = []
    const stop = createDdNetwork().onChange((value) => changes.push(value))
    await jest.advanceTimersByTimeAsync(NETWORK_POLL_MS)
    expect(changes).toEqual([])
    online = true
    await jest.advanceTimersByTimeAsync(NETWORK_POLL_MS)
    expect(changes).toEqual([true])
    stop()
    online = false
    await jest.advanceTimersByTimeAsync(NETWORK_POLL_MS * 3)
    expect(changes).toEqual([true])
  })
})
