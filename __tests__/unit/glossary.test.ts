/**
 * The glossary (src/i18n/glossary/<language>.json): the specification's terms, each with its one translation
 * per language. For every language, every English message that names a term (case-insensitive, as a whole
 * word, in any of the English forms the English glossary lists) must, in that language, contain the term's
 * translation (or one of its declared inflections) and none of the variants the glossary marks to avoid. So
 * a term cannot be translated two ways again, and a translation that drifts (Thai's one word for review,
 * verify and inspect; Malay's "lokasi" for spot and location) fails here.
 *
 * Reference data only: nothing in src/ imports a glossary (checked below), so it never reaches the app.
 */
import fs from 'node:fs'
import path from 'node:path'

interface Term {
  /** the term as the specification writes it (English glossary) or its one translation (other languages) */
  translation: string
  /** English glossary: the term; the other languages' files repeat it for the reader */
  en: string
  /** other forms that count as the term: English plurals and verb forms; a language's inflections (affixes, particles) */
  forms?: string[]
  /** variants this term must not be translated as (checked after the other terms of the message are set aside) */
  avoid?: string[]
  /** strings that contain the translation but mean another term (Thai ตรวจสอบ holds ตรวจ): not counted as the term */
  notInside?: string[]
  /** messages (by key) where the term is deliberately not translated as such, each with the reason */
  exceptions?: Record<string, string>
  note?: string
}
interface Glossary {
  language: string
  terms: Record<string, Term>
}

const ROOT = path.resolve(__dirname, '../..')
const CATALOGS = path.join(ROOT, 'src/i18n/catalogs')
const GLOSSARY = path.join(ROOT, 'src/i18n/glossary')
const LANGUAGES = fs.readdirSync(CATALOGS).filter((l) => l !== 'en')
const SECTIONS = fs.readdirSync(path.join(CATALOGS, 'en')).filter((f) => f.endsWith('.json'))

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T
const catalog = (language: string): Record<string, string> =>
  Object.assign({}, ...SECTIONS.map((s) => readJson<Record<string, string>>(path.join(CATALOGS, language, s))))
const glossary = (language: string): Glossary => readJson<Glossary>(path.join(GLOSSARY, `${language}.json`))

const ENGLISH = catalog('en')
const EN_GLOSSARY = glossary('en')

/** A message without its ICU syntax: `{store}` and `{count, plural, one {` are names, not words. */
const text = (message: string): string => message.replace(/\{\s*\w+\s*,\s*\w+\s*,/g, ' ').replace(/\{\s*\w+\s*\}/g, ' ')
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** English forms of every term, longest first: a longer term ("Spot Inspection") is taken before its words ("spot"). */
const ENGLISH_FORMS = Object.entries(EN_GLOSSARY.terms)
  .flatMap(([id, t]) => [t.en, ...(t.forms ?? [])].map((form) => ({ id, form })))
  .sort((a, b) => b.form.length - a.form.length)
  .map(({ id, form }) => ({ id, re: new RegExp(`(?<![\\p{L}\\p{N}])${escape(form)}(?![\\p{L}\\p{N}])`, 'giu') }))
const FOUND = new Map<string, Set<string>>()

/** The glossary terms an English message names, longest match first, each word counted once. */
function termsIn(message: string): Set<string> {
  const known = FOUND.get(message)
  if (known) return known
  let rest = text(message)
  const found = new Set<string>()
  for (const { id, re } of ENGLISH_FORMS) {
    re.lastIndex = 0
    if (re.test(rest)) {
      found.add(id)
      rest = rest.replace(re, (m) => '\u0000'.repeat(m.length))
    }
  }
  FOUND.set(message, found)
  return found
}

const lower = (s: string): string => s.toLocaleLowerCase()
const stringsOf = (t: Term): string[] => [t.translation, ...(t.forms ?? [])].map(lower)
const without = (s: string, parts: string[]): string =>
  [...parts].sort((a, b) => b.length - a.length).reduce((acc, p) => (p ? acc.split(p).join('\u0000') : acc), s)

/** What is wrong with one message of a language against its glossary ([] when nothing). */
function problems(g: Glossary, key: string, english: string, translated: string, ignoreExceptions = false): string[] {
  const ids = termsIn(english)
  const out: string[] = []
  const target = lower(text(translated))
  for (const id of ids) {
    const term = g.terms[id]
    if (!term) continue
    if (!ignoreExceptions && term.exceptions?.[key]) continue
    // the term's translation, not counting where it is only part of another term's word
    const here = without(target, (term.notInside ?? []).map(lower))
    if (!stringsOf(term).some((s) => here.includes(s))) out.push(`${key}: "${id}" should be "${term.translation}" in «${translated}»`)
    // the variants to avoid, once every term of this message has had its own translation set aside
    const others = [...ids].flatMap((other) => (g.terms[other] ? stringsOf(g.terms[other]) : []))
    const rest = without(target, others)
    for (const bad of term.avoid ?? []) if (rest.includes(lower(bad))) out.push(`${key}: "${id}" must not be "${bad}" in «${translated}»`)
  }
  return out
}

describe('the glossary', () => {
  it('names each term once in English, with the term itself as its English translation', () => {
    const terms = Object.entries(EN_GLOSSARY.terms)
    expect(terms.length).toBeGreaterThanOrEqual(20)
    for (const [id, t] of terms) {
      expect([id, t.translation]).toEqual([id, t.en])
      // every English term is found in the English catalog, so each term is checked against real messages
      expect([id, Object.values(ENGLISH).some((m) => termsIn(m).has(id))]).toEqual([id, true])
    }
  })

  it('finds terms as whole words, plurals and verb forms included, the longer term first', () => {
    expect([...termsIn('Pending review')]).toEqual(['pending review'])
    expect(termsIn('Accepted spot inspections (spot inspection fee): {count}')).toEqual(new Set(['Spot Inspection']))
    expect(termsIn('Verify the deployment of the stores and spots assigned to you.')).toEqual(new Set(['verification', 'deployment', 'store', 'spot']))
    expect(termsIn('Reviewer’s reason: {reason}').has('review')).toBe(false)
    expect(termsIn('Everything entered for {store} is removed').has('store')).toBe(false)
  })

  it.each(LANGUAGES)('%s has every term, each with one translation', (language) => {
    const g = glossary(language)
    expect(g.language).toBe(language)
    expect(Object.keys(g.terms).sort()).toEqual(Object.keys(EN_GLOSSARY.terms).sort())
    for (const [id, t] of Object.entries(g.terms)) {
      expect([id, typeof t.translation, t.translation.length > 0]).toEqual([id, 'string', true])
      expect([id, t.en]).toEqual([id, EN_GLOSSARY.terms[id].en])
      // a variant to avoid is never the translation itself
      for (const bad of t.avoid ?? []) expect([id, stringsOf(t).includes(lower(bad))]).toEqual([id, false])
    }
  })

  it.each(LANGUAGES)('%s translates every term of every message the one way its glossary says', (language) => {
    const g = glossary(language)
    const translated = catalog(language)
    const found = Object.keys(ENGLISH).flatMap((key) => problems(g, key, ENGLISH[key], translated[key]))
    expect(found).toEqual([])
  })

  it.each(LANGUAGES)('%s keeps no exception it does not need, and gives each a reason', (language) => {
    const g = glossary(language)
    const translated = catalog(language)
    for (const [id, t] of Object.entries(g.terms)) {
      for (const [key, reason] of Object.entries(t.exceptions ?? {})) {
        expect([id, key, reason.length > 10]).toEqual([id, key, true])
        expect([id, key, termsIn(ENGLISH[key] ?? '').has(id)]).toEqual([id, key, true])
        const own = problems({ ...g, terms: { ...g.terms, [id]: t } }, key, ENGLISH[key], translated[key], true)
        expect([id, key, own.some((p) => p.includes(`"${id}"`))]).toEqual([id, key, true])
      }
    }
  })

  it('is reference data: nothing in src/ imports it, so it never reaches the app', () => {
    const offenders: string[] = []
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name)
        if (entry.isDirectory()) {
          if (file !== GLOSSARY) walk(file)
        } else if (/\.(ts|tsx|js|mjs)$/.test(entry.name) && /glossary/.test(fs.readFileSync(file, 'utf8'))) offenders.push(path.relative(ROOT, file))
      }
    }
    walk(path.join(ROOT, 'src'))
    expect(offenders).toEqual([])
  })
})
