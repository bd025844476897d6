// the date formats of the other languages (dayjs has English's), for formatDate: small, kept in the main package
import 'dayjs/locale/zh-cn'
import 'dayjs/locale/zh-tw'
import 'dayjs/locale/ja'
import 'dayjs/locale/ko'
import 'dayjs/locale/th'
import 'dayjs/locale/ms'
import 'dayjs/locale/id'
import 'dayjs/locale/vi'
import type { CoreMessagesResponse } from '../../../packages/contract/api'
import { LOCALES } from '../../../packages/contract/rules/locale'
import { addMessages } from '../../i18n'
import { CORE_MESSAGES_VERSION } from '../../i18n/core-version'
import type { HttpPort, LanguagesPort, StoragePort } from '../types'

/** Where the phone keeps each language's core messages (one key per language: DingTalk allows 200 K characters a key). */
export const coreMessagesKey = (locale: string) => `posm.i18n.core.${locale}`
/** The version of the messages kept (CoreMessagesResponse.version). */
export const CORE_VERSION_KEY = 'posm.i18n.core.version'

const OTHERS = LOCALES.filter((l) => l !== 'en')

/**
 * The DingTalk build's working languages. Its main package carries English's core messages only (the others are
 * about 80 KB of a 2 MB package): the others come from the server (GET /api/i18n/core) once, and are kept on
 * the phone, so that the first screen never waits on the network and every language is selectable at once from
 * then on, offline too. At start the kept messages are added before the first page renders; when the app's version
 * of them differs from the kept one (a first start, an update), they are fetched again in the background. Until
 * a language's messages are there, English stands in (src/i18n/index.ts).
 */
export function createDdLanguages(storage: StoragePort, http: HttpPort, apiBaseUrl: string): LanguagesPort {
  const kept = storage.get<string>(CORE_VERSION_KEY)
  let complete = kept !== null
  for (const locale of OTHERS) {
    const messages = storage.get<Record<string, string>>(coreMessagesKey(locale))
    if (messages && typeof messages === 'object') addMessages({ [locale]: messages })
    else complete = false
  }

  let loading: Promise<void> | null = null
  const fetchMessages = (): Promise<void> => {
    loading ??= http
      .request({ url: `${apiBaseUrl}/api/i18n/core?since=${encodeURIComponent(complete && kept ? kept : '')}`, method: 'GET', timeoutMs: 15_000 })
      .then((res) => {
        const body = res.data as CoreMessagesResponse | null
        if (res.status !== 200 || !body || typeof body.version !== 'string') throw new Error(`GET /api/i18n/core: ${res.status}`)
        const messages = body.messages
        if (messages) {
          // the server sends the languages other than English (server/src/core-messages.ts)
          for (const locale of OTHERS) if (messages[locale]) addMessages({ [locale]: messages[locale] })
          try {
            for (const locale of OTHERS) if (messages[locale]) storage.set(coreMessagesKey(locale), messages[locale])
            storage.set(CORE_VERSION_KEY, body.version)
          } catch {
            // storage full: the messages apply for this run and are fetched again next time
          }
        }
        complete = true
      })
      .catch((error: unknown) => {
        // offline or refused: English stands in; the next load (a change of language, the next start) tries again
        loading = null
        throw error
      })
    return loading
  }

  // the kept messages are of another version than the app's (an update): refreshed soon, in the background
  if (complete && kept !== CORE_MESSAGES_VERSION) void fetchMessages().catch(() => undefined)

  return {
    load: () => (complete ? Promise.resolve() : fetchMessages()),
  }
}
