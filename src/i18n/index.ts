import dayjs from 'dayjs'
import localizedFormat from 'dayjs/plugin/localizedFormat'
import type { Locale } from '../../packages/contract/api'
import type { MessageKey } from './locales'
import { LOCALES } from '../../packages/contract/rules/locale'
import { coreEn } from './core-en'
import { formatMessage, type Params } from './message-format'
import { PLURAL_RULES } from './plural'
import type { SectionMessages } from './types'

dayjs.extend(localizedFormat)

/**
 * The messages loaded so far, per working language: the core section's English from the start, its other
 * languages once sections/core.ts has loaded (see LanguagesPort), each subpackage's section once one of
 * its pages has loaded (see sections/*.ts). Until a language's messages are there, English stands in.
 */
const loaded = {} as Record<Locale, Record<string, string>>
for (const locale of LOCALES) loaded[locale] = {}
Object.assign(loaded.en, coreEn)

/** Adds a section's messages to every working language (called by the section's module when it loads). */
export function addMessages(section: Partial<SectionMessages<string>>): void {
  for (const [locale, messages] of Object.entries(section) as Array<[Locale, Record<string, string>]>) Object.assign(loaded[locale], messages)
}

/**
 * A section from its bundle (scripts/i18n-catalogs.mjs): English's catalog, and every other language's
 * messages listed in the order of English's keys.
 */
export function sectionOf<Key extends string>(
  english: Readonly<Record<Key, string>>,
  others: Record<Exclude<Locale, 'en'>, readonly string[]>,
): SectionMessages<Key> {
  const keys = Object.keys(english) as Key[]
  const section = { en: english } as Record<Locale, Readonly<Record<Key, string>>>
  for (const [locale, messages] of Object.entries(others) as Array<[Exclude<Locale, 'en'>, readonly string[]]>) {
    // (a bundle holds English too, as a catalog)
    if (!Array.isArray(messages)) continue
    const catalog = {} as Record<Key, string>
    keys.forEach((key, i) => (catalog[key] = messages[i]))
    section[locale] = catalog
  }
  return section
}

/** Whether a language's messages for the key are loaded (else translate answers the English). */
export function hasMessage(locale: Locale, key: MessageKey): boolean {
  return loaded[locale][key] !== undefined
}

const DAYJS_LOCALES: Record<Locale, string> = {
  en: 'en',
  'zh-CN': 'zh-cn',
  'zh-TW': 'zh-tw',
  ja: 'ja',
  ko: 'ko',
  th: 'th',
  ms: 'ms',
  id: 'id',
  vi: 'vi',
}

export type { Params }

/** The names of a message's arguments (`{name}`, `{count, plural, …}`), sorted. */
export { argumentsOf as placeholders } from './message-format'

/**
 * The message of `key` in the working language (English while that language's section is not loaded), its
 * arguments filled and its plural forms chosen by the language's plural rule.
 */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const own = loaded[locale][key]
  const message = own ?? loaded.en[key] ?? key
  return formatMessage(message, params, PLURAL_RULES[own === undefined ? 'en' : locale])
}

/**
 * A date in the working language's own format ("LL": 25 November 2026 / 2026年11月25日 ...). The date
 * formats of the languages other than English load with their messages (sections/core.ts).
 */
export function formatDate(locale: Locale, date: string | number | Date, format = 'LL'): string {
  return dayjs(date).locale(DAYJS_LOCALES[locale]).format(format)
}

export type { MessageKey, Messages } from './locales'
