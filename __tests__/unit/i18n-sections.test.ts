/**
 * The dictionaries are split by package: the main package carries the core section, each subpackage's
 * pages load their own. A page showing a key of a section it never loaded would show the raw key, so
 * this reads the code: from every page (and from the app itself), it follows the relative imports and
 * checks that every message key that code can use is in a section that code loads.
 */
import fs from 'node:fs'
import path from 'node:path'
import { SECTIONS } from '../../src/i18n/all'

const SRC = path.resolve(__dirname, '../../src')
// app.config.ts calls Taro's global defineAppConfig
;(globalThis as Record<string, unknown>).defineAppConfig = (c: unknown) => c
// eslint-disable-next-line @typescript-eslint/no-require-imports
const appConfig = (require('../../src/app.config') as { default: { pages: string[]; subPackages?: Array<{ root: string; pages: string[] }> } }).default
const ALL_KEYS = Object.keys(Object.assign({}, ...Object.values(SECTIONS).map((s) => s.en)) as Record<string, string>)
const SECTION_OF = new Map<string, string>()
for (const [name, section] of Object.entries(SECTIONS)) for (const key of Object.keys(section.en)) SECTION_OF.set(key, name)

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec)
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate
  }
  return null
}

/** Every source file a module reaches through relative imports (type-only imports carry no code). */
function closure(entry: string): Set<string> {
  const seen = new Set<string>()
  const queue = [entry]
  while (queue.length) {
    const file = queue.pop()!
    if (seen.has(file) || !/\.(ts|tsx)$/.test(file)) continue
    seen.add(file)
    const code = fs.readFileSync(file, 'utf8')
    for (const m of code.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'"]*?from\s+)?['"](\.[^'"]+)['"]|require\(['"](\.[^'"]+)['"]\)/gm)) {
      const target = resolve(file, m[1] ?? m[2])
      if (target) queue.push(target)
    }
  }
  return seen
}

/** Keys a file can show: quoted keys, and every key under a prefix built at run time (`status.${s}`). */
function keysUsedBy(file: string): string[] {
  if (file.includes(`${path.sep}i18n${path.sep}sections${path.sep}`)) return []
  const code = fs.readFileSync(file, 'utf8')
  const prefixes = Array.from(code.matchAll(/[`'"]([a-zA-Z]+(?:\.[a-zA-Z]+)*)\.\$\{/g), (m) => `${m[1]}.`)
  return ALL_KEYS.filter((k) => code.includes(`'${k}'`) || code.includes(`"${k}"`) || code.includes(`\`${k}\``) || prefixes.some((p) => k.startsWith(p)))
}

function sectionsLoadedBy(files: Set<string>): Set<string> {
  const loaded = new Set(['core'])
  for (const f of files) {
    const m = /i18n[\\/]sections[\\/](\w+)\.ts$/.exec(f)
    if (m) loaded.add(m[1])
  }
  return loaded
}

function missing(files: Set<string>, loaded: Set<string>): string[] {
  const out: string[] = []
  for (const f of files)
    for (const k of keysUsedBy(f)) if (!loaded.has(SECTION_OF.get(k)!)) out.push(`${path.relative(SRC, f)}: ${k} (section ${SECTION_OF.get(k)})`)
  return out
}

const mainFiles = new Set([path.join(SRC, 'app.ts'), ...appConfig.pages.map((p) => resolve(path.join(SRC, 'x'), `./${p}`)!)].flatMap((e) => [...closure(e)]))
const subPages = (appConfig.subPackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))

describe('dictionary sections per package', () => {
  it('the main package (the app and its first-screen pages) uses only core keys', () => {
    expect(sectionsLoadedBy(mainFiles)).toEqual(new Set(['core']))
    expect(missing(mainFiles, new Set(['core']))).toEqual([])
  })

  it.each(subPages)('%s loads every section its code uses', (page) => {
    const files = closure(resolve(path.join(SRC, 'x'), `./${page}`)!)
    expect(missing(files, sectionsLoadedBy(files))).toEqual([])
  })

  it('every key is used somewhere (no dead strings to translate)', () => {
    // the app's pages, and the server's texts (the notify section): work notifications, the QR posters
    const serverTexts = path.resolve(SRC, '../server/src/notifications/messages.ts')
    const posterTexts = path.resolve(SRC, '../server/src/console/qr-posters.ts')
    const everything = new Set([...mainFiles, serverTexts, posterTexts, ...subPages.flatMap((p) => [...closure(resolve(path.join(SRC, 'x'), `./${p}`)!)])])
    const used = new Set([...everything].flatMap(keysUsedBy))
    expect(ALL_KEYS.filter((k) => !used.has(k))).toEqual([])
  })

  it('the check itself notices a page using a key of a section it does not load', () => {
    const drafts = closure(resolve(path.join(SRC, 'x'), './pages/promotion/drafts/index')!)
    expect(missing(drafts, new Set(['core'])).length).toBeGreaterThan(0)
  })
})
