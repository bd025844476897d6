import type { Locale } from '../../packages/contract/rules/locale'

/** CLDR's plural categories (cardinal). */
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other'

/**
 * The cardinal plural rules of the working languages, from CLDR (plurals.xml): English has `one` (an
 * integer 1: "1 spot") and `other`; Chinese, Japanese, Korean, Thai, Malay, Indonesian and Vietnamese have
 * `other` only (one form for every count). A table rather than Intl.PluralRules, which DingTalk's engines
 * are not known to have. A language added later brings its CLDR rule here (`npm test` checks that every
 * plural message of a language has a form for each category its rule answers).
 */
const otherOnly = (): PluralCategory => 'other'

export const PLURAL_RULES: Record<Locale, (n: number) => PluralCategory> = {
  en: (n) => (n === 1 ? 'one' : 'other'),
  'zh-CN': otherOnly,
  'zh-TW': otherOnly,
  ja: otherOnly,
  ko: otherOnly,
  th: otherOnly,
  ms: otherOnly,
  id: otherOnly,
  vi: otherOnly,
}

/** The categories a language's rule can answer (for the checks of its catalogs). */
export const PLURAL_CATEGORIES: Record<Locale, readonly PluralCategory[]> = {
  en: ['one', 'other'],
  'zh-CN': ['other'],
  'zh-TW': ['other'],
  ja: ['other'],
  ko: ['other'],
  th: ['other'],
  ms: ['other'],
  id: ['other'],
  vi: ['other'],
}
