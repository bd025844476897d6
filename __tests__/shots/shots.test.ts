/**
 * The DingTalk build as a phone draws it, beside the H5 preview: every state of scenario.ts reached on both
 * (the compiled build in the MiniVm, its pages rendered by __tests__/dd/render and drawn in Chromium; the H5
 * build in Chromium), each against its own local server from the same seed. For every state: the dd page
 * renders without an unknown tag, an unresolved template or an expression error; no visible text is
 * clipped, overlapped or outside the viewport (both builds); the bottom navigation, where the page has one,
 * has its five items with Language in the centre; the two builds show the same text; and their pictures
 * differ in no more pixels than the state's threshold (run.ts). Prints the figures per state; dist/shots/index.html shows
 * the pictures side by side.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../e2e/harness'
import { capture } from './capture'
import { phoneContext } from './drivers'
import { OUT, compareRunsApart, shootDd, shootH5, thresholdOf } from './run'
import type { StateReport } from './compare'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('the layout checks', () => {
  it('find clipped, overlapped, covered and off-screen text, sideways scrolling, and a wrong bottom navigation', async () => {
    const context = await phoneContext(browser)
    const page = await context.newPage()
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'posm-checks-')), 'wrong.html')
    fs.writeFileSync(
      file,
      `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<body style="margin:0"><div class="page" style="font:16px sans-serif">
<div style="width:60px;overflow:hidden;white-space:nowrap">A label too long for its box</div>
<div style="height:20px">Upper line</div><div style="margin-top:-14px">Lower line</div>
<div style="position:relative;height:40px"><span>Under a panel</span><div style="position:absolute;inset:0;background:#fff"></div></div>
<div style="margin-left:300px;white-space:nowrap">Off the right edge of the screen</div>
<div class="bottom-nav" style="position:fixed;left:0;right:0;bottom:0;display:flex">
  <div class="bottom-nav__item" id="nav-home" style="flex:1">Home</div><div class="bottom-nav__item" id="nav-language" style="flex:1">Language</div>
  <div class="bottom-nav__item" id="nav-results" style="flex:1">Results</div><div class="bottom-nav__item" id="nav-me" style="flex:1">Me</div>
</div></div></body>`,
    )
    await page.goto(`file://${file}`)
    const shot = await capture(page, { name: 'wrong', title: 'wrong', nav: true }, '.page')
    const found = shot.problems.join('\n')
    expect(found).toContain('"A label too long for its box" is clipped')
    expect(found).toContain('"Upper line" and "Lower line" overlap')
    expect(found).toContain('"Under a panel" is covered')
    expect(found).toContain('"Off the right edge of the screen" is outside the viewport')
    expect(found).toContain('the page scrolls sideways')
    expect(found).toContain('the bottom navigation has 4 items')
    expect(found).toContain('the centre item of the bottom navigation is nav-results, not nav-language')
    await context.close()
  })
})

describe('the DingTalk build drawn, beside the H5 preview', () => {
  let reports: StateReport[] = []

  beforeAll(async () => {
    const t0 = Date.now()
    await shootDd(browser)
    const t1 = Date.now()
    await shootH5(browser)
    const t2 = Date.now()
    reports = compareRunsApart()
    console.log(
      `walked and drawn: DingTalk build ${((t1 - t0) / 1000).toFixed(1)} s, H5 preview ${((t2 - t1) / 1000).toFixed(1)} s; compared in ${((Date.now() - t2) / 1000).toFixed(1)} s`,
    )
    const rows = reports.map(
      (r) =>
        `  ${r.name.padEnd(28)} ${r.pixels === undefined ? '    —' : `${(r.pixels * 100).toFixed(2).padStart(5)} %`} (≤ ${(thresholdOf(r.name) * 100).toFixed(1)} %)  ${r.textDiff ? 'text differs' : 'same text'}  ${(r.dd?.problems.length ?? 0) + (r.h5?.problems.length ?? 0)} problem(s)`,
    )
    console.log([`DingTalk build vs H5 preview, pixels differing (threshold); pictures in ${OUT}/index.html`, ...rows].join('\n'))
  })

  it('reaches every state on both builds', () => {
    expect(reports.filter((r) => !r.dd || !r.h5).map((r) => r.name)).toEqual([])
  })

  it('renders every dd page without an unknown tag, an unresolved template or an expression error, and lays out its text', () => {
    expect(reports.flatMap((r) => (r.dd?.problems ?? []).map((p) => `${r.name}: ${p}`))).toEqual([])
  })

  it('lays out the H5 preview’s text in the same states', () => {
    expect(reports.flatMap((r) => (r.h5?.problems ?? []).map((p) => `${r.name}: ${p}`))).toEqual([])
  })

  it('shows the same text on both builds', () => {
    expect(reports.filter((r) => r.textDiff).map((r) => `${r.name}: ${r.textDiff}`)).toEqual([])
  })

  it('differs from the H5 picture in no more pixels than its threshold, state by state', () => {
    expect(
      reports
        .filter((r) => (r.pixels ?? 1) > thresholdOf(r.name))
        .map((r) => `${r.name}: ${((r.pixels ?? 1) * 100).toFixed(2)} % (threshold ${(thresholdOf(r.name) * 100).toFixed(1)} %)`),
    ).toEqual([])
  })
})
