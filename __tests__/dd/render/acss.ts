/**
 * ACSS (the style sheets of dist/dd) made into CSS a browser draws as the phone would, following Alipay's
 * ACSS reference (help.aliyun.com/document_detail/117150):
 * - `rpx`: the screen is 750rpx wide, so 1rpx = device width / 750 px;
 * - `@import "x.acss";` (relative, or absolute from the project root) is replaced by that file;
 * - `app.acss` applies to every page, a page's acss after it ("overrides app.acss for the same selector");
 * - the `page` element selector styles the page's container;
 * - attribute selectors are "not supported", and `.a-` / `.am-` classes belong to the system components.
 *
 * Type selectors of the base components (view, text, …) are rewritten to the elements html.ts draws them
 * with. ASSUMED (the reference says only "not supported"): a selector with an attribute selector matches
 * nothing, so it is left out of its rule (and reported).
 */
import fs from 'node:fs'
import path from 'node:path'
import postcss, { type Root } from 'postcss'
import selectorParser from 'postcss-selector-parser'
import { BASE_COMPONENTS } from './html'

export interface AcssNote {
  file: string
  message: string
}

export interface AcssOptions {
  root: string
  /** The device width in CSS px (rpx are converted at it). */
  width: number
  notes: AcssNote[]
}

const RPX = /(-?\d*\.?\d+)rpx\b/g

/** Converts rpx in a declaration value, leaving url(…) alone (a data URI may contain "rpx"). */
export function convertRpx(value: string, width: number): string {
  return value
    .split(/(url\([^)]*\))/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(RPX, (_, n: string) => `${round((Number(n) * width) / 750)}px`)))
    .join('')
}

const round = (n: number) => Math.round(n * 10000) / 10000

/** A stylesheet file with its @imports inlined (each file once, in order), as a PostCSS tree. */
function loadTree(file: string, options: AcssOptions, seen: Set<string>): Root {
  const full = path.join(options.root, file)
  const tree = postcss.parse(fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : '', { from: full })
  tree.walkAtRules('import', (rule) => {
    const target = /^(?:url\()?\s*['"]?([^'")]+)['"]?\s*\)?/.exec(rule.params)?.[1]
    if (!target) {
      options.notes.push({ file, message: `@import ${rule.params}: not understood` })
      rule.remove()
      return
    }
    const rel = path.normalize(target.startsWith('/') ? target.slice(1) : path.join(path.dirname(file), target))
    if (seen.has(rel)) {
      rule.remove()
      return
    }
    seen.add(rel)
    if (!fs.existsSync(path.join(options.root, rel))) {
      options.notes.push({ file, message: `@import "${target}": ${rel} not found` })
      rule.remove()
      return
    }
    rule.replaceWith(loadTree(rel, options, seen).nodes)
  })
  return tree
}

/** A file of dist/dd as CSS for the renderer ('' when the file does not exist). */
export function acssToCss(file: string, options: AcssOptions): string {
  if (!fs.existsSync(path.join(options.root, file))) return ''
  const tree = loadTree(file, options, new Set([file]))
  tree.walkDecls((decl) => {
    if (decl.value.includes('rpx')) decl.value = convertRpx(decl.value, options.width)
  })
  tree.walkRules((rule) => {
    const kept: string[] = []
    for (const selector of rule.selectors) {
      let unsupported = ''
      const rewritten = selectorParser((selectors) => {
        selectors.walkAttributes((node) => {
          unsupported = `attribute selector ${String(node)}`
        })
        selectors.walkClasses((node) => {
          if (/^(a|am)-/.test(node.value)) options.notes.push({ file, message: `${selector}: .${node.value} is a class of the system components` })
        })
        selectors.walkTags((node) => {
          const name = node.value.toLowerCase()
          if (name === 'page' || BASE_COMPONENTS.has(name))
            node.replaceWith(selectorParser.attribute({ attribute: 'data-dd', operator: '=', value: name, quoteMark: '"', raws: {} } as never))
        })
      }).processSync(selector)
      if (unsupported) options.notes.push({ file, message: `${selector}: ${unsupported} (not supported in ACSS: left out)` })
      else kept.push(rewritten)
    }
    if (kept.length === 0) rule.remove()
    else rule.selectors = kept
  })
  return tree.toString()
}
