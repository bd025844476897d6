/**
 * What an older DingTalk JavaScript engine could not parse: every script of a built dist/dd read with an
 * ES2017 parser (acorn, `ecmaVersion: 2017`). Optional chaining, `??`, object spread, `s` regexp flags and the
 * like are syntax errors there, and one in vendors.js leaves the whole app blank.
 */
import { parse } from 'acorn'
import fs from 'node:fs'
import path from 'node:path'

export interface SyntaxProblem {
  file: string
  /** acorn's message with its line:column, e.g. "Unexpected token (2:194692)" */
  message: string
  /** the code around the first construct the parser refused */
  near: string
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
}

/** The first later-than-ES2017 construct of one script (`.sjs`, DingTalk's template scripts, are ES modules), or null. */
export function es2017Problem(code: string, sourceType: 'script' | 'module' = 'script'): Omit<SyntaxProblem, 'file'> | null {
  try {
    parse(code, { ecmaVersion: 2017, sourceType })
    return null
  } catch (e) {
    const err = e as SyntaxError & { pos?: number }
    const pos = err.pos ?? 0
    return { message: err.message, near: code.slice(Math.max(0, pos - 60), pos + 30) }
  }
}

/** The scripts of a build (`.js` and `.sjs`) and, for each one an ES2017 engine would refuse, why. */
export function es2017Scan(dir: string): { scripts: string[]; problems: SyntaxProblem[] } {
  const scripts = walk(dir).filter((f) => /\.s?js$/.test(f))
  const problems: SyntaxProblem[] = []
  for (const file of scripts) {
    const problem = es2017Problem(fs.readFileSync(file, 'utf8'), file.endsWith('.sjs') ? 'module' : 'script')
    if (problem) problems.push({ file: path.relative(dir, file), ...problem })
  }
  return { scripts: scripts.map((f) => path.relative(dir, f)), problems }
}

/**
 * Built-ins later than ES2017, as code calls them: a method of any value (`xs.flatMap(…)`, `p.finally(…)`), a
 * static of a global (`Object.fromEntries(…)`), or a global function (`structuredClone(…)`). An engine that
 * parses ES2017 may still lack every one of them (`TypeError: … is not a function` at the first use), so dist/dd
 * calls none, unless a feature test guards it (`typeof X` in the same script is taken as one).
 */
export const LATER_METHODS = [
  'flat',
  'flatMap',
  'finally',
  'trimStart',
  'trimEnd',
  'matchAll',
  'replaceAll',
  'at',
  'findLast',
  'findLastIndex',
  'toSorted',
  'toReversed',
  'toSpliced',
  'with',
] as const
export const LATER_STATICS: Record<string, readonly string[]> = {
  Object: ['fromEntries', 'hasOwn', 'groupBy'],
  Promise: ['allSettled', 'any', 'withResolvers'],
  Array: ['fromAsync'],
}
export const LATER_GLOBALS = ['structuredClone', 'AggregateError', 'WeakRef', 'FinalizationRegistry', 'BigInt', 'queueMicrotask'] as const

export interface BuiltinUse {
  file: string
  /** e.g. `.flatMap()`, `Object.fromEntries()`, `structuredClone()` */
  builtin: string
  near: string
}

type Node = { type: string; start: number; end: number; [key: string]: unknown }

/** The later-than-ES2017 built-ins one script calls (each once, with the code around its first call). */
export function laterBuiltins(code: string, sourceType: 'script' | 'module' = 'script'): Omit<BuiltinUse, 'file'>[] {
  const found = new Map<string, Omit<BuiltinUse, 'file'>>()
  const note = (builtin: string, node: Node) => {
    if (!found.has(builtin)) found.set(builtin, { builtin, near: code.slice(Math.max(0, node.start - 40), node.end + 20) })
  }
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return
    if (Array.isArray(node)) {
      for (const child of node) visit(child)
      return
    }
    const n = node as Node
    if (n.type === 'CallExpression') {
      const callee = n.callee as Node
      if (callee.type === 'MemberExpression' && !callee.computed) {
        const property = (callee.property as Node & { name: string }).name
        const object = callee.object as Node & { name?: string }
        if (object.type === 'Identifier' && object.name && LATER_STATICS[object.name]?.includes(property)) note(`${object.name}.${property}()`, n)
        else if ((LATER_METHODS as readonly string[]).includes(property)) note(`.${property}()`, n)
      } else if (callee.type === 'Identifier' && (LATER_GLOBALS as readonly string[]).includes(callee.name as string)) {
        if (!new RegExp(`typeof\\s+${callee.name as string}\\b`).test(code)) note(`${callee.name as string}()`, n)
      }
    }
    for (const key of Object.keys(n)) if (key !== 'type' && key !== 'start' && key !== 'end') visit(n[key])
  }
  visit(parse(code, { ecmaVersion: 2017, sourceType }))
  return [...found.values()]
}

/** Every later-than-ES2017 built-in the scripts of a build call. */
export function laterBuiltinsScan(dir: string): BuiltinUse[] {
  const uses: BuiltinUse[] = []
  for (const file of walk(dir).filter((f) => /\.s?js$/.test(f))) {
    for (const use of laterBuiltins(fs.readFileSync(file, 'utf8'), file.endsWith('.sjs') ? 'module' : 'script'))
      uses.push({ file: path.relative(dir, file), ...use })
  }
  return uses
}
