import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { translate } from '../../src/i18n'
import { DICTIONARIES } from '../../src/i18n/all'
import { argumentsOf, formatMessage, pluralForms } from '../../src/i18n/message-format'
import { PLURAL_CATEGORIES, PLURAL_RULES } from '../../src/i18n/plural'
import { LOCALES } from '../../packages/contract/rules/locale'

const en = PLURAL_RULES.en

describe('formatMessage (the ICU MessageFormat of the catalogs)', () => {
  it('fills {name} arguments and leaves those without a value visible', () => {
    expect(formatMessage('Hello, {name}', { name: 'Chen Wei' }, en)).toBe('Hello, Chen Wei')
    expect(formatMessage('Step {current} of {total}', { current: 2 }, en)).toBe('Step 2 of {total}')
    expect(formatMessage('No arguments', undefined, en)).toBe('No arguments')
  })

  it('a name that ends with a full stop where the sentence ends gives one full stop, not two', () => {
    const iso = 'Lion City Payments Pte. Ltd.'
    expect(translate('en', 'assoc.qr.mismatch', { iso })).toBe(
      'The QR code you scanned is for Lion City Payments Pte. Ltd. Enter the ISO Email of Lion City Payments Pte. Ltd., or scan your own ISO’s QR code.',
    )
    expect(formatMessage('Sent to {name}.', { name: 'Acme Inc.' }, en)).toBe('Sent to Acme Inc.')
    expect(formatMessage('Sent to {name}.', { name: 'Acme' }, en)).toBe('Sent to Acme.')
    expect(formatMessage('{a}.{b}', { a: 'x.', b: 'y' }, en)).toBe('x.y')
  })

  it('chooses the plural form by the language’s rule, # being the number', () => {
    const m = '{count, plural, one {# spot} other {# spots}}'
    expect(formatMessage(m, { count: 1 }, en)).toBe('1 spot')
    expect(formatMessage(m, { count: 0 }, en)).toBe('0 spots')
    expect(formatMessage(m, { count: 3 }, en)).toBe('3 spots')
    // a language with one form for every count
    expect(formatMessage(m, { count: 1 }, PLURAL_RULES.ja)).toBe('1 spots')
  })

  it('prefers an exact form (=0), falls back to other, and fills arguments inside a form', () => {
    const m = 'At {store}: {count, plural, =0 {no spot left} one {# spot left in {store}} other {# spots left}}.'
    expect(formatMessage(m, { store: 'Kedai', count: 0 }, en)).toBe('At Kedai: no spot left.')
    expect(formatMessage(m, { store: 'Kedai', count: 1 }, en)).toBe('At Kedai: 1 spot left in Kedai.')
    expect(formatMessage(m, { store: 'Kedai', count: 7 }, en)).toBe('At Kedai: 7 spots left.')
    expect(formatMessage('{n, plural, other {# items}}', { n: 1 }, en)).toBe('1 items')
  })

  it('a plural argument without a number stays visible', () => {
    expect(formatMessage('{count, plural, one {# spot} other {# spots}}', {}, en)).toBe('{count, plural, one {# spot} other {# spots}}')
  })

  it('lists the arguments of a message, plural ones included, and the forms of each plural', () => {
    expect(argumentsOf('{a} and {count, plural, one {# {b}} other {# x}}')).toEqual(['a', 'b', 'count'])
    expect(pluralForms('{count, plural, =0 {none} one {#} other {#}} {max, plural, other {#}}')).toEqual(
      new Map([
        ['count', ['=0', 'one', 'other']],
        ['max', ['other']],
      ]),
    )
  })
})

describe('plurals in the catalogs', () => {
  it.each(LOCALES)('%s: every plural message has a form for each category of the language’s rule', (locale) => {
    const lacking: string[] = []
    for (const [key, message] of Object.entries(DICTIONARIES[locale])) {
      for (const [arg, forms] of pluralForms(message)) {
        for (const category of [...PLURAL_CATEGORIES[locale], 'other']) if (!forms.includes(category)) lacking.push(`${key}: ${arg} ${category}`)
      }
    }
    expect(lacking).toEqual([])
  })

  it.each(LOCALES)('%s: the rule answers only the categories the language has', (locale) => {
    const answered = new Set([0, 1, 2, 3, 5, 11, 21, 100, 1.5].map((n) => PLURAL_RULES[locale](n)))
    expect([...answered].every((c) => PLURAL_CATEGORIES[locale].includes(c))).toBe(true)
    expect(answered.has('other')).toBe(true)
  })

  it('a count of 1 reads in the singular in English, the working language with a singular', () => {
    expect(translate('en', 'summary.spots', { count: 1 })).toBe('1 spot')
    expect(translate('en', 'summary.spots', { count: 2 })).toBe('2 spots')
    expect(translate('en', 'spot.limit', { max: 1 })).toBe('At most 1 spot per store.')
    expect(translate('en', 'spot.limit', { max: 3 })).toBe('At most 3 spots per store.')
  })

  it.each(LOCALES.filter((l) => PLURAL_CATEGORIES[l].includes('one')))('%s: no message says "1 …s" when its arguments are 1', (locale) => {
    const plural1 = Object.entries(DICTIONARIES[locale]).flatMap(([key, message]) => {
      const ones = Object.fromEntries(argumentsOf(message).map((a) => [a, 1]))
      const text = formatMessage(message, ones, PLURAL_RULES[locale])
      return /\b1 (spot|store|photo|day|item|promotion|task|mode)s\b/.test(text) ? [`${key}: ${text}`] : []
    })
    expect(plural1).toEqual([])
  })

  it('the generated key type and bundles (src/i18n/keys.ts, src/i18n/bundles) are those of the catalogs', () => {
    expect(() => execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/i18n-catalogs.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow()
  })
})
