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
