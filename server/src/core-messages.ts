import type { CoreMessagesResponse } from '../../packages/contract/api'
import { sectionOf } from '../../src/i18n'
import bundle from '../../src/i18n/bundles/core.json'
import { coreEn } from '../../src/i18n/core-en'
import { CORE_MESSAGES_VERSION } from '../../src/i18n/core-version'

/**
 * The core messages of every working language but English, keyed by message (GET /api/i18n/core): the DingTalk
 * build's main package carries English only and keeps these on the phone (src/platform/dd/languages.ts). Keyed,
 * not listed in key order as the bundle is, so that an app of another version reads what it knows and falls
 * back to English for the rest.
 */
const messages: Record<string, Record<string, string>> = (() => {
  const { en: _english, ...others } = sectionOf(coreEn, bundle as unknown as Parameters<typeof sectionOf>[1])
  void _english
  return others as Record<string, Record<string, string>>
})()

/** The answer to `since` (the version the phone keeps): the messages, or null when it has them already. */
export function coreMessages(since: string | undefined): CoreMessagesResponse {
  return { version: CORE_MESSAGES_VERSION, messages: since === CORE_MESSAGES_VERSION ? null : messages }
}
