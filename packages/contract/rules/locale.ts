/** The working languages, the one list (the API's LocaleSchema, the dictionaries and the Language page read it). */
export const LOCALES = ['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'th', 'ms', 'id', 'vi'] as const

export type Locale = (typeof LOCALES)[number]

/** Each language in its own name: shown as is in every working language. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  'zh-CN': '简体中文',
  'zh-TW': '繁體中文',
  ja: '日本語',
  ko: '한국어',
  th: 'ภาษาไทย',
  ms: 'Bahasa Melayu',
  id: 'Bahasa Indonesia',
  vi: 'Tiếng Việt',
}

/**
 * DingTalk reports its language in several shapes ("zh_CN", "zh-Hans", "zh-Hant-TW", "en-US", "in",
 * "ms_MY"...). Answers one of ours, or null when none fits.
 */
export function normaliseLocale(raw: string | null | undefined): Locale | null {
  if (!raw || typeof raw !== 'string') return null
  const tag = raw.trim().replace(/_/g, '-').toLowerCase()
  if (!tag) return null
  const [lang, ...rest] = tag.split('-')
  switch (lang) {
    case 'zh': {
      if (rest.includes('hant') || rest.some((p) => ['tw', 'hk', 'mo'].includes(p))) return 'zh-TW'
      return 'zh-CN'
    }
    case 'en':
      return 'en'
    case 'ja':
      return 'ja'
    case 'ko':
      return 'ko'
    case 'th':
      return 'th'
    case 'ms':
      return 'ms'
    case 'id':
    case 'in': // the legacy code for Indonesian that Android still reports
      return 'id'
    case 'vi':
      return 'vi'
    default:
      return null
  }
}
