import { formatDate, placeholders, translate } from '../../src/i18n'
import { DICTIONARIES } from '../../src/i18n/all'
import { LOCALES } from '../../packages/contract/rules/locale'
import { ERROR_CODES } from '../../packages/contract/errors'
const en = DICTIONARIES.en

const englishKeys = Object.keys(en).sort()
const others = LOCALES.filter((l) => l !== 'en')

/** Words that stay as they are in every language. */
const PROPER_NOUNS = /\b(Alipay\+?|Alipay\+ Linker|DingTalk|POSM Workspace|POSM|ISO|Alipay Global Merchant Portal|Alipay Partners)\b/g
// words a language spells as English does (Malay and Indonesian *poster*): the same text, translated all the same
const SAME_WORD: Record<string, string[]> = { ms: ['material.POSTER'], id: ['material.POSTER'] }

describe('locales', () => {
  it('offers the nine working languages', () => {
    expect(LOCALES).toEqual(['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'th', 'ms', 'id', 'vi'])
  })

  it.each(others)('%s has every key of English and no other', (locale) => {
    expect(Object.keys(DICTIONARIES[locale]).sort()).toEqual(englishKeys)
  })

  it.each(others)('%s has no empty message', (locale) => {
    const empty = Object.entries(DICTIONARIES[locale]).filter(([, v]) => !v || !v.trim())
    expect(empty).toEqual([])
  })

  it.each(others)('%s copies no English text (proper nouns aside)', (locale) => {
    const copied = Object.entries(DICTIONARIES[locale]).filter(([key, value]) => {
      const english = en[key as keyof typeof en]
      if (value !== english || SAME_WORD[locale]?.includes(key)) return false
      // a message made only of proper nouns, numbers and punctuation may stay the same
      const rest = english.replace(PROPER_NOUNS, '').replace(/[\s\d\p{P}\p{S}]/gu, '')
      return rest.length > 0
    })
    expect(copied).toEqual([])
  })

  it.each(others)('%s uses the same placeholders as English in every message', (locale) => {
    const differing = Object.keys(en).filter((key) => {
      const k = key as keyof typeof en
      return placeholders(DICTIONARIES[locale][k]).join() !== placeholders(en[k]).join()
    })
    expect(differing).toEqual([])
  })

  it('has a message for every error code the server or the client can produce', () => {
    const missing = ERROR_CODES.filter((code) => !(`error.${code}` in en))
    expect(missing).toEqual([])
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'home.greeting', { name: 'Chen Wei' })).toBe('Hello, Chen Wei')
    expect(translate('en', 'home.greeting')).toBe('Hello, {name}')
  })

  it('formats dates in the working language through dayjs', () => {
    const d = new Date(2026, 10, 25, 12)
    expect(formatDate('en', d)).toBe('November 25, 2026')
    expect(formatDate('zh-CN', d)).toBe('2026年11月25日')
    expect(formatDate('ja', d)).toBe('2026年11月25日')
    expect(formatDate('vi', d)).toMatch(/25 tháng 11/)
    expect(formatDate('id', d)).toBe('25 November 2026')
  })
})
