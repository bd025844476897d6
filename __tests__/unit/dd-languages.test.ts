/**
 * The DingTalk build's other working languages (issue 27, item 4): its main package carries English's core
 * messages only; the others come from GET /api/i18n/core once and are kept on the phone, so a later start shows
 * them before the first page renders (no network), and an app update fetches them again in the background.
 */
import type { CoreMessagesResponse } from '../../packages/contract/api'
import { coreMessages } from '../../server/src/core-messages'
import { CORE_MESSAGES_VERSION } from '../../src/i18n/core-version'
import type { HttpRequest, HttpResponse } from '../../src/platform/types'
import { memoryStorage } from '../helpers/fake-platform'

type I18nModule = typeof import('../../src/i18n')
type LanguagesModule = typeof import('../../src/platform/dd/languages')

/** A fresh module registry: only English loaded, as the DingTalk build starts. */
function fresh() {
  let i18n!: I18nModule
  let languages!: LanguagesModule
  jest.isolateModules(() => {
    require('../helpers/mobx-config')
    i18n = require('../../src/i18n') as I18nModule
    languages = require('../../src/platform/dd/languages') as LanguagesModule
  })
  return { i18n, languages }
}

/** The server's answer (the real route's function), over a fake transport that counts requests. */
function server(answer: (since: string | undefined) => HttpResponse = (since) => ({ status: 200, data: coreMessages(since) })) {
  const requests: HttpRequest[] = []
  const http = {
    request: jest.fn(async (request: HttpRequest) => {
      requests.push(request)
      return answer(new URL(request.url, 'https://x.example').searchParams.get('since') || undefined)
    }),
  }
  return { http, requests }
}

const settle = () => new Promise((r) => setTimeout(r, 5))

describe('the DingTalk build’s working languages', () => {
  it('starts in English only; fetches the others once when asked, keeps them, and a later start has them without the network', async () => {
    const storage = memoryStorage()
    const first = fresh()
    const api = server()
    const port = first.languages.createDdLanguages(storage, api.http, 'https://workspace.example')
    expect(first.i18n.translate('ja', 'nav.home')).toBe('Home')
    expect(api.requests).toEqual([])
    await port.load()
    expect(api.requests.map((r) => [r.method, r.url])).toEqual([['GET', 'https://workspace.example/api/i18n/core?since=']])
    expect(first.i18n.translate('ja', 'nav.home')).toBe('ホーム')
    expect(first.i18n.translate('th', 'nav.home')).not.toBe('Home')
    expect(storage.get(first.languages.CORE_VERSION_KEY)).toBe(CORE_MESSAGES_VERSION)
    // loaded: asked again, nothing is fetched
    await port.load()
    expect(api.requests).toHaveLength(1)

    // the next start: from the phone, before anything renders, and no request
    const second = fresh()
    const offline = server(() => {
      throw new Error('offline')
    })
    const again = second.languages.createDdLanguages(storage, offline.http, 'https://workspace.example')
    expect(second.i18n.translate('ja', 'nav.home')).toBe('ホーム')
    await again.load()
    expect(offline.requests).toEqual([])
  })

  it('offline at first: English stands in and the next load tries again', async () => {
    const { i18n, languages } = fresh()
    let up = false
    const api = server((since) => {
      if (!up) throw new Error('offline')
      return { status: 200, data: coreMessages(since) }
    })
    const port = languages.createDdLanguages(memoryStorage(), api.http, '')
    await expect(port.load()).rejects.toThrow('offline')
    expect(i18n.translate('ko', 'nav.home')).toBe('Home')
    up = true
    await port.load()
    expect(i18n.translate('ko', 'nav.home')).toBe('홈')
    expect(api.requests).toHaveLength(2)
  })

  it('after an app update (another version kept) refreshes in the background, asking with the version it has', async () => {
    const storage = memoryStorage()
    const { languages } = fresh()
    const old: CoreMessagesResponse = { version: 'v-before', messages: { ja: { 'nav.home': '古いホーム' } } }
    for (const [locale, messages] of Object.entries(old.messages!)) storage.set(languages.coreMessagesKey(locale), messages)
    for (const locale of ['zh-CN', 'zh-TW', 'ko', 'th', 'ms', 'id', 'vi']) storage.set(languages.coreMessagesKey(locale), {})
    storage.set(languages.CORE_VERSION_KEY, old.version)
    const api = server()
    const reloaded = fresh()
    const port = reloaded.languages.createDdLanguages(storage, api.http, '')
    // the kept (older) messages at once, then the current ones from the server
    expect(reloaded.i18n.translate('ja', 'nav.home')).toBe('古いホーム')
    await settle()
    expect(api.requests.map((r) => r.url)).toEqual(['/api/i18n/core?since=v-before'])
    expect(reloaded.i18n.translate('ja', 'nav.home')).toBe('ホーム')
    expect(storage.get(languages.CORE_VERSION_KEY)).toBe(CORE_MESSAGES_VERSION)
    await port.load()
    expect(api.requests).toHaveLength(1)
  })

  it('the server answers nothing but the version to a phone that has the current messages', () => {
    expect(coreMessages(CORE_MESSAGES_VERSION)).toEqual({ version: CORE_MESSAGES_VERSION, messages: null })
    const all = coreMessages(undefined).messages!
    expect(Object.keys(all).sort()).toEqual(['id', 'ja', 'ko', 'ms', 'th', 'vi', 'zh-CN', 'zh-TW'])
    expect(all.ja['nav.home']).toBe('ホーム')
  })
})
