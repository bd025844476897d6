/**
 * The pictures of the two builds compared pixel by pixel (pixelmatch), and the page that shows them side by
 * side (dist/shots/index.html).
 */
import fs from 'node:fs'
import path from 'node:path'
import pixelmatch from 'pixelmatch'
import { PNG } from 'pngjs'
import { freshDir } from './drivers'
import { OUT, thresholdOf, type Saved } from './run'
import { STATES } from './scenario'

export interface PixelDiff {
  /** Share of the pixels that differ, 0–1, over the larger of the two pictures. */
  ratio: number
  width: number
  height: number
  /** The differing pixels in red over a faded copy of the H5 picture. */
  png: Buffer
}

/** A picture on a canvas of `width` × `height`, the rest transparent. */
function padded(png: PNG, width: number, height: number): Buffer {
  if (png.width === width && png.height === height) return png.data
  const out = Buffer.alloc(width * height * 4)
  for (let y = 0; y < png.height; y++) png.data.copy(out, y * width * 4, y * png.width * 4, y * png.width * 4 + png.width * 4)
  return out
}

/**
 * Compares two pictures; the shorter is extended with transparent pixels, which differ from any drawn pixel.
 * The colour threshold is 0.03 (pixelmatch's default, 0.1, takes #f5f6f7 for white: a page background that
 * differs would pass unseen); anti-aliased edges are not counted (pixelmatch's detection).
 */
export function comparePictures(dd: Buffer, h5: Buffer): PixelDiff {
  const a = PNG.sync.read(dd)
  const b = PNG.sync.read(h5)
  const width = Math.max(a.width, b.width)
  const height = Math.max(a.height, b.height)
  const diff = new PNG({ width, height })
  const count = pixelmatch(padded(a, width, height), padded(b, width, height), diff.data, width, height, { threshold: 0.03 })
  return { ratio: count / (width * height), width, height, png: PNG.sync.write(diff) }
}

export interface StateReport {
  name: string
  title: string
  /** Problems of the DingTalk build's rendering and layout (failures). */
  dd?: { problems: string[]; text: string }
  h5?: { problems: string[]; text: string }
  /** Share of differing pixels, when both pictures exist. */
  pixels?: number
  /** The first difference between the two texts, when they differ. */
  textDiff?: string
}

/** Where the two texts first differ, with some context. */
export function firstDifference(dd: string, h5: string): string | undefined {
  if (dd === h5) return undefined
  const a = dd.split(' ')
  const b = h5.split(' ')
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  let j = 0
  while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++
  const context = a.slice(Math.max(0, i - 4), i).join(' ')
  return `after "…${context}": dd shows "${a.slice(i, a.length - j).join(' ')}", H5 shows "${b.slice(i, b.length - j).join(' ')}"`
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The side-by-side page: every state, DingTalk build | H5 preview | differing pixels, with the figures. */
export function writeIndex(outDir: string, reports: StateReport[]) {
  const rows = STATES.map((state) => {
    const r = reports.find((x) => x.name === state.name) ?? { name: state.name, title: state.title }
    const img = (dir: string) => (fs.existsSync(path.join(outDir, dir, `${state.name}.png`)) ? `<img src="${dir}/${state.name}.png" alt="${dir}: ${esc(state.title)}">` : '<p class="none">not taken</p>')
    const problems = [...(r.dd?.problems ?? []).map((p) => `dd: ${p}`), ...(r.h5?.problems ?? []).map((p) => `H5: ${p}`)]
    const figures = [
      r.pixels === undefined ? '' : `<b class="${r.pixels <= thresholdOf(state.name) ? 'ok' : 'bad'}">${(r.pixels * 100).toFixed(2)} % of pixels differ</b> (threshold ${(thresholdOf(state.name) * 100).toFixed(1)} %)`,
      r.dd && r.h5 ? (r.textDiff ? `<b class="bad">text differs</b>: ${esc(r.textDiff)}` : '<b class="ok">same text</b>') : '',
      ...problems.map((p) => `<span class="bad">${esc(p)}</span>`),
    ].filter(Boolean)
    return `<section id="${state.name}"><h2>${esc(state.name)} · ${esc(state.title)}</h2><p>${figures.join('<br>')}</p>
<div class="row"><figure>${img('dd')}<figcaption>DingTalk build (dist/dd, rendered)</figcaption></figure><figure>${img('h5')}<figcaption>H5 preview (dist/h5)</figcaption></figure><figure>${img('diff')}<figcaption>differing pixels</figcaption></figure></div></section>`
  })
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>POSM Workspace: DingTalk build and H5 preview side by side</title>
<style>body{font-family:system-ui,sans-serif;margin:16px;background:#fafafa;color:#222}h1{font-size:20px}h2{font-size:16px;margin:24px 0 4px}
.row{display:flex;gap:16px;align-items:flex-start}figure{margin:0;width:375px}img{width:375px;border:1px solid #ccc;background:#fff}
figcaption{font-size:12px;color:#555}.ok{color:#1a7f37}.bad{color:#b3261e}.none{width:375px;color:#888}nav a{margin-right:8px}</style></head>
<body><h1>DingTalk build (AXML and ACSS rendered in Chromium) and H5 preview, state by state</h1>
<p>Generated by <code>npm run shots:dd</code> / <code>npm run shots:h5</code> (and the <code>npm test</code> step "DingTalk build drawn"). Phone: 375 × 812 CSS px, 2× pixels; whole pages.</p>
<nav>${STATES.map((s) => `<a href="#${s.name}">${s.name.slice(0, 2)}</a>`).join('')}</nav>
${rows.join('\n')}</body></html>`
  fs.writeFileSync(path.join(outDir, 'index.html'), html)
}

/** Compares what both builds' runs saved (this run's or an earlier one's), and writes the side-by-side page. */
export function compareRuns(): StateReport[] {
  const load = (platform: string): Saved[] => {
    const file = path.join(OUT, platform, 'captures.json')
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { captures: Saved[] }).captures : []
  }
  const dd = load('dd')
  const h5 = load('h5')
  freshDir(path.join(OUT, 'diff'))
  const reports = STATES.map((state): StateReport => {
    const a = dd.find((c) => c.name === state.name)
    const b = h5.find((c) => c.name === state.name)
    const report: StateReport = { name: state.name, title: state.title, dd: a && { problems: a.problems, text: a.text }, h5: b && { problems: b.problems, text: b.text } }
    const pa = path.join(OUT, 'dd', `${state.name}.png`)
    const pb = path.join(OUT, 'h5', `${state.name}.png`)
    if (a && b && fs.existsSync(pa) && fs.existsSync(pb)) {
      const diff = comparePictures(fs.readFileSync(pa), fs.readFileSync(pb))
      fs.writeFileSync(path.join(OUT, 'diff', `${state.name}.png`), diff.png)
      report.pixels = diff.ratio
      report.textDiff = firstDifference(a.text, b.text)
    }
    return report
  })
  writeIndex(OUT, reports)
  fs.writeFileSync(path.join(OUT, 'report.json'), JSON.stringify(reports, null, 1))
  return reports
}
