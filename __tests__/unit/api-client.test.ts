import { ApiClient, ApiError } from '../../src/services/api-client'
import { TransportError } from '../../src/platform/types'
import { fakePlatform, json } from '../helpers/fake-platform'

function client(platform: ReturnType<typeof fakePlatform>, over: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) {
  const sleep = jest.fn(async () => undefined)
  const api = new ApiClient({ http: platform.http, baseUrl: 'http://api', token: () => 'tok', retryDelaysMs: [10, 20, 30], sleep, ...over })
  return { api, sleep }
}

describe('ApiClient', () => {
  it('sends the token and answers the body', async () => {
    const p = fakePlatform({ 'GET /api/association': () => json(200, { status: 'none', iso: null, request: null }) })
    const { api } = client(p)
    await expect(api.call('GET /api/association')).resolves.toEqual({ status: 'none', iso: null, request: null })
    expect(p.http.request.mock.calls[0][0]).toMatchObject({ url: 'http://api/api/association', method: 'GET', headers: { Authorization: 'Bearer tok' } })
  })

  it('tells the server the working language with every call, uploads included', async () => {
    const p = fakePlatform({ 'GET /api/me': () => json(200, {}) })
    let locale = 'ja'
    const { api } = client(p, { locale: () => locale })
    await api.call('GET /api/me')
    locale = 'vi'
    await api.call('GET /api/me')
    expect(p.http.request.mock.calls.map((c) => c[0].headers)).toEqual([
      { Authorization: 'Bearer tok', 'X-Workspace-Locale': 'ja' },
      { Authorization: 'Bearer tok', 'X-Workspace-Locale': 'vi' },
    ])
    expect(api.authorized('/api/uploads/u1').headers).toEqual({ Authorization: 'Bearer tok', 'X-Workspace-Locale': 'vi' })
  })

  it('retries an idempotent call after network errors and 5xx, with backoff', async () => {
    const p = fakePlatform()
    p.http.request
      .mockRejectedValueOnce(new TransportError('network', 'down'))
      .mockResolvedValueOnce(json(503, {}))
      .mockResolvedValueOnce(json(200, { ok: 1 }))
    const { api, sleep } = client(p)
    await expect(api.call('GET /api/me')).resolves.toEqual({ ok: 1 })
    expect(sleep.mock.calls).toEqual([[10], [20]])
  })

  it('gives up after the last delay with a NETWORK error', async () => {
    const p = fakePlatform()
    p.http.request.mockRejectedValue(new TransportError('network', 'down'))
    const { api } = client(p)
    await expect(api.call('GET /api/me')).rejects.toMatchObject({ code: 'NETWORK' })
    expect(p.http.request).toHaveBeenCalledTimes(4)
  })

  it('never repeats a POST by itself', async () => {
    const p = fakePlatform()
    p.http.request.mockResolvedValue(json(502, {}))
    const { api } = client(p)
    await expect(api.call('POST /api/association/join', {})).rejects.toMatchObject({ code: 'SERVER', status: 502 })
    expect(p.http.request).toHaveBeenCalledTimes(1)
  })

  it('maps a timeout to TIMEOUT', async () => {
    const p = fakePlatform()
    p.http.request.mockRejectedValue(new TransportError('timeout', 'slow'))
    const { api } = client(p, { retryDelaysMs: [] })
    await expect(api.call('GET /api/me')).rejects.toMatchObject({ code: 'TIMEOUT' })
  })

  it('keeps the server’s error code and field codes', async () => {
    const p = fakePlatform({
      'POST /api/association/requests': () => json(422, { error: { code: 'ISO_UNKNOWN', message: 'x', fields: { isoEmail: 'ISO_UNKNOWN', other: 'weird' } } }),
    })
    const { api } = client(p)
    const err = (await api.call('POST /api/association/requests', { isoEmail: 'a@b.co', name: 'Ab', phone: '+6581234567' }).catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('ISO_UNKNOWN')
    expect(err.fields).toEqual({ isoEmail: 'ISO_UNKNOWN', other: 'VALIDATION_FAILED' })
  })

  it('signs in again once when the session expired, then repeats the call', async () => {
    let token = 'old'
    const p = fakePlatform()
    p.http.request.mockImplementation(async (req) =>
      req.headers?.Authorization === 'Bearer new' ? json(200, { fine: true }) : json(401, { error: { code: 'SESSION_EXPIRED', message: '' } }),
    )
    const reauthenticate = jest.fn(async () => {
      token = 'new'
      return true
    })
    const { api } = client(p, { token: () => token, reauthenticate })
    await expect(api.call('POST /api/association/join', {})).resolves.toEqual({ fine: true })
    expect(reauthenticate).toHaveBeenCalledTimes(1)
  })

  it('an HTTP error whose status DingTalk did not pass on (error 19) signs in again once, then is a server error retried with backoff', async () => {
    let token = 'old'
    const p = fakePlatform()
    p.http.request.mockImplementation(async (req) => {
      if (req.headers?.Authorization === 'Bearer new') return json(200, { fine: true })
      throw new TransportError('http', 'dd.httpRequest error 19')
    })
    const reauthenticate = jest.fn(async () => {
      token = 'new'
      return true
    })
    const { api } = client(p, { token: () => token, reauthenticate })
    await expect(api.call('POST /api/association/join', {})).resolves.toEqual({ fine: true })
    expect(reauthenticate).toHaveBeenCalledTimes(1)

    // a real server error: one fresh sign-in that does not help, then the retries of a GET, then SERVER
    p.http.request.mockRejectedValue(new TransportError('http', 'dd.httpRequest error 19'))
    const again = client(p, { reauthenticate: jest.fn(async () => true) })
    await expect(again.api.call('GET /api/me')).rejects.toMatchObject({ code: 'SERVER' })
    expect(again.sleep.mock.calls).toEqual([[10], [20], [30]])
  })

  it('a configuration error (a domain DingTalk does not allow) is CONFIGURATION and never retried', async () => {
    const p = fakePlatform()
    p.http.request.mockRejectedValue(new TransportError('configuration', 'dd.httpRequest error 11'))
    const { api, sleep } = client(p)
    await expect(api.call('GET /api/me')).rejects.toMatchObject({ code: 'CONFIGURATION' })
    expect(p.http.request).toHaveBeenCalledTimes(1)
    expect(sleep).not.toHaveBeenCalled()
  })

  it('calls that meet the same expiry together sign in again once, and a call refused after another renewed the session just repeats', async () => {
    let token = 'old'
    const p = fakePlatform()
    const refusals: Array<() => void> = []
    p.http.request.mockImplementation(async (req) => {
      if (req.headers?.Authorization === 'Bearer new') return json(200, { fine: true })
      // the old session's calls are answered together, once all three were sent
      await new Promise<void>((resolve) => refusals.push(resolve))
      return json(401, { error: { code: 'SESSION_EXPIRED', message: '' } })
    })
    let signIns = 0
    let renewing: Promise<boolean> | null = null
    const reauthenticate = jest.fn(() => {
      renewing ??= (async () => {
        await Promise.resolve()
        signIns++
        token = 'new'
        renewing = null
        return true
      })()
      return renewing
    })
    const { api } = client(p, { token: () => token, reauthenticate })
    const calls = [api.call('GET /api/me'), api.call('GET /api/association'), api.call('GET /api/workspace')]
    while (refusals.length < 3) await new Promise((r) => setTimeout(r, 1))
    // one refusal first: it signs in again; the other two are refused after the new session exists
    refusals[0]()
    await new Promise((r) => setTimeout(r, 5))
    refusals[1]()
    refusals[2]()
    await expect(Promise.all(calls)).resolves.toEqual([{ fine: true }, { fine: true }, { fine: true }])
    expect(signIns).toBe(1)
    expect(reauthenticate).toHaveBeenCalledTimes(1)
  })

  it('does not loop when signing in again does not help', async () => {
    const p = fakePlatform()
    p.http.request.mockResolvedValue(json(401, { error: { code: 'SESSION_EXPIRED', message: '' } }))
    const reauthenticate = jest.fn(async () => true)
    const { api } = client(p, { reauthenticate })
    await expect(api.call('GET /api/me')).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
    expect(reauthenticate).toHaveBeenCalledTimes(1)
  })

  it('fills path parameters, encoded', async () => {
    const p = fakePlatform()
    p.http.request.mockResolvedValue(json(200, {}))
    const { api } = client(p)
    await api.call('GET /api/association/requests/:id', undefined, { id: 'a/b' })
    expect(p.http.request.mock.calls[0][0].url).toBe('http://api/api/association/requests/a%2Fb')
  })
})
