/**
 * The preview build in dist/dd (`npm run build:dd`) holds no syntax later than ES2017 in any script, the
 * dependencies' code included (config/index.js has Taro's Babel step compile node_modules too). The release
 * build is read the same way in __tests__/release/release-build.test.ts. Nor does it call a built-in later than
 * ES2017 (Object.fromEntries, Array.prototype.flatMap, …), which such an engine may lack although it parses the
 * script: the app's own code avoids them (ESLint's no-restricted-syntax in .eslintrc.js), and this reads the build.
 */
import fs from 'node:fs'
import path from 'node:path'
import { es2017Problem, es2017Scan, laterBuiltins, laterBuiltinsScan } from '../helpers/es2017'
import { DIST } from './local-server'

describe('the syntax of the compiled DingTalk build', () => {
  it('refuses what an ES2017 engine cannot parse (the check itself)', () => {
    for (const later of [
      'a?.b',
      'a ?? b',
      'const o = { ...p }',
      'const { a, ...rest } = o',
      '/a.b/s.test(x)',
      'async function* g() {}',
      'try { f() } catch { g() }',
      'a ||= b',
      '1_000',
      'class A { x = 1 }',
    ]) {
      expect([later, es2017Problem(later)]).toEqual([later, expect.objectContaining({ message: expect.any(String) })])
    }
    for (const fine of ['var a = b && b.c', 'async function f() { await g() }', 'const [x, ...y] = z', 'class A { m() {} }', '`t${x}`', 'a ** 2']) {
      expect([fine, es2017Problem(fine)]).toEqual([fine, null])
    }
  })

  it('parses every script of dist/dd as ES2017', () => {
    const { scripts, problems } = es2017Scan(DIST)
    const appJson = JSON.parse(fs.readFileSync(path.join(DIST, 'app.json'), 'utf8')) as {
      pages: string[]
      subPackages?: Array<{ root: string; pages: string[] }>
    }
    const pages = [...appJson.pages, ...(appJson.subPackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))]
    // the app, the runtime, the dependencies and every page are among what was read
    expect(scripts).toEqual(expect.arrayContaining(['app.js', 'taro.js', 'vendors.js', 'common.js', ...pages.map((p) => `${p}.js`)]))
    expect(problems).toEqual([])
  })

  it('finds the later built-ins a script calls (the check itself)', () => {
    const builtins = (code: string) => laterBuiltins(code).map((u) => u.builtin)
    expect(builtins('var o = Object.fromEntries(xs.flatMap(function (x) { return [[x, 1]] }))')).toEqual(['Object.fromEntries()', '.flatMap()'])
    expect(builtins('p.finally(f); s.trimStart(); a.at(-1); Promise.allSettled(ps); structuredClone(v)')).toEqual([
      '.finally()',
      '.trimStart()',
      '.at()',
      'Promise.allSettled()',
      'structuredClone()',
    ])
    // names in strings (MobX lists array methods by name), ES2017 built-ins, and a guarded global are fine
    expect(builtins('L("flatMap", f); Object.entries(o); xs.includes(1); "x".padStart(2); typeof WeakRef !== "undefined" && WeakRef(o)')).toEqual([])
  })

  it('calls no built-in later than ES2017 in any script of dist/dd', () => {
    expect(laterBuiltinsScan(DIST)).toEqual([])
  })
})
