import type { CoreMessagesResponse } from '../../packages/contract/api'
import { CORE_MESSAGES_VERSION } from '../../src/i18n/core-version'
import { startTestServer, type TestServer } from './helpers'

/** GET /api/i18n/core: the other languages' core messages for the DingTalk build, before any sign-in. */
describe('GET /api/i18n/core', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ dev: false })
  })
  afterAll(() => server.close())

  it('answers every working language but English, keyed by message, without a session; only the version to a phone that has them', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/i18n/core' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('public, max-age=86400')
    const body = res.json() as CoreMessagesResponse
    expect(body.version).toBe(CORE_MESSAGES_VERSION)
    expect(Object.keys(body.messages!).sort()).toEqual(['id', 'ja', 'ko', 'ms', 'th', 'vi', 'zh-CN', 'zh-TW'])
    expect(body.messages!['zh-CN']['nav.home']).toBe('首页')
    const current = await server.app.inject({ method: 'GET', url: `/api/i18n/core?since=${CORE_MESSAGES_VERSION}` })
    expect(current.json()).toEqual({ version: CORE_MESSAGES_VERSION, messages: null })
    expect((await server.app.inject({ method: 'GET', url: '/api/i18n/core?since=older' })).json().messages.ja['nav.home']).toBe('ホーム')
  })
})
