/**
 * A state as drawn in Chromium, on either build: its picture (the whole page, the phone's width), the text it
 * shows, and the checks that can fail: no visible text clipped by a box that hides its overflow, overlapped
 * by other text or covered by another element, or outside the viewport (left, right, above; the page
 * scrolls down); no sideways scrolling; the bottom navigation (where the page has one) with its five items,
 * the Language item in the centre of the screen.
 */
import type { Page } from 'playwright-core'
import { PHONE } from './drivers'
import fonts from './fonts.json'
import type { State } from './scenario'

/**
 * The pictures name their fonts (fonts.json; npm test installs the families the machine lacks), on both builds' pages
 * alike, so that no picture depends on the fonts fontconfig would pick for a script the app's own list leaves to the
 * machine (Thai, CJK: Debian's fonts-thai-tlwg, say, preferred to Noto Sans Thai). Latin comes first, as in app.css.
 */
export const PICTURE_FONT_FAMILIES: string[] = fonts.families.map((f) => f.family)
const PICTURE_FONTS_CSS = `html, body, page, .taro_page, [data-dd="page"] { font-family: ${PICTURE_FONT_FAMILIES.map((f) => `'${f}'`).join(', ')}, sans-serif !important; }`

export interface Capture {
  state: State
  /** The visible text, in document order (shadow trees included), whitespace collapsed. */
  text: string
  problems: string[]
  png: Buffer
}

interface InPage {
  root: string
  nav: boolean
}

/**
 * Runs in the page: the visible text and the layout problems under `root` (a selector), crossing into
 * shadow trees (the DingTalk build's native components). Self-contained: it is sent to the browser.
 */
function inspect({ root: rootSelector, nav }: InPage): { text: string[]; problems: string[] } {
  const problems: string[] = []
  const texts: Array<{ text: string; element: Element; rects: DOMRect[] }> = []
  const candidates = Array.from(document.querySelectorAll(rootSelector)).filter((el) => getComputedStyle(el).display !== 'none')
  const root = candidates[candidates.length - 1]
  if (!root) return { text: [], problems: [`no page under ${rootSelector}`] }
  const W = window.innerWidth
  const H = window.innerHeight

  const parentOf = (el: Element): Element | null => el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null)
  const label = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('class') ? `.${(el.getAttribute('class') ?? '').trim().split(/\s+/).join('.')}` : ''}`
  const visible = (el: Element) => {
    const cs = getComputedStyle(el)
    return cs.display !== 'none' && cs.visibility !== 'hidden' && Number(cs.opacity) > 0
  }

  /** A run of adjacent text nodes (one text, split or not by the framework), with where it is drawn. */
  const addText = (nodes: Node[]) => {
    const text = nodes
      .map((n) => n.textContent ?? '')
      .join('')
      .replace(/\s+/g, ' ')
      .trim()
    const parent = nodes[0].parentElement
    if (!text || !parent || !visible(parent) || parent.closest('textarea')) return
    const range = document.createRange()
    range.setStartBefore(nodes[0])
    range.setEndAfter(nodes[nodes.length - 1])
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0.5 && r.height > 0.5)
    if (rects.length) texts.push({ text, element: parent, rects })
  }
  const walk = (node: Node) => {
    if (!(node instanceof Element)) return
    if (getComputedStyle(node).display === 'none') return
    if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement) {
      // what a field shows: its value (a placeholder is not compared)
      if (node.value && visible(node)) texts.push({ text: node.value.replace(/\s+/g, ' ').trim(), element: node, rects: [] })
      return
    }
    const children = Array.from(node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes)
    let run: Node[] = []
    for (const child of children) {
      if (child.nodeType === Node.TEXT_NODE) {
        run.push(child)
        continue
      }
      if (run.length) addText(run)
      run = []
      walk(child)
    }
    if (run.length) addText(run)
  }
  walk(root)

  /** The element drawn at a point, looking into shadow trees. */
  const hit = (x: number, y: number): Element | null => {
    let el: Element | null = document.elementFromPoint(x, y)
    while (el?.shadowRoot) {
      const inner: Element | null = el.shadowRoot.elementFromPoint(x, y)
      if (!inner || inner === el) break
      el = inner
    }
    return el
  }
  const related = (a: Element, b: Element) => {
    for (let e: Element | null = a; e; e = parentOf(e)) if (e === b) return true
    for (let e: Element | null = b; e; e = parentOf(e)) if (e === a) return true
    return false
  }

  for (const { text, element, rects } of texts) {
    const short = text.length > 40 ? `${text.slice(0, 40)}…` : text
    for (const r of rects) {
      if (r.left < -0.5 || r.right > W + 0.5 || r.top < -0.5) {
        problems.push(
          `"${short}" is outside the viewport (${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}; the screen is ${W} wide)`,
        )
        break
      }
    }
    // clipped: an ancestor that hides its overflow and does not contain the text
    for (let a: Element | null = element; a && a !== document.documentElement; a = parentOf(a)) {
      const cs = getComputedStyle(a)
      const clipX = cs.overflowX !== 'visible'
      const clipY = cs.overflowY !== 'visible'
      if (!clipX && !clipY) continue
      const box = a.getBoundingClientRect()
      const left = box.left + a.clientLeft
      const top = box.top + a.clientTop
      const out = rects.some(
        (r) =>
          (clipX && (r.left < left - 0.5 || r.right > left + a.clientWidth + 0.5)) || (clipY && (r.top < top - 0.5 || r.bottom > top + a.clientHeight + 0.5)),
      )
      if (out) {
        problems.push(`"${short}" is clipped by ${label(a)} (overflow ${cs.overflowX}/${cs.overflowY})`)
        break
      }
    }
    // covered: the element drawn in the middle of each line of the text must be the text's own (or related)
    for (const r of rects) {
      const x = (r.left + r.right) / 2
      const y = (r.top + r.bottom) / 2
      if (x < 0 || x >= W || y < 0 || y >= H) continue
      const top = hit(x, y)
      if (top && !related(top, element)) {
        problems.push(`"${short}" is covered by ${label(top)}`)
        break
      }
    }
  }
  // overlapped: two texts drawn over each other
  const boxes = texts.flatMap((t, i) => t.rects.map((r) => ({ i, r })))
  for (let a = 0; a < boxes.length; a++) {
    for (let b = a + 1; b < boxes.length; b++) {
      if (boxes[a].i === boxes[b].i) continue
      const ra = boxes[a].r
      const rb = boxes[b].r
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left)
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top)
      if (w > 2 && h > 2)
        problems.push(`"${texts[boxes[a].i].text.slice(0, 30)}" and "${texts[boxes[b].i].text.slice(0, 30)}" overlap (${Math.round(w)}×${Math.round(h)} px)`)
    }
  }
  if (document.documentElement.scrollWidth > W + 1)
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide on a ${W} px screen`)

  // the bottom navigation
  const navs: Element[] = []
  const findNavs = (node: Element | ShadowRoot) => {
    node.querySelectorAll('.bottom-nav').forEach((n) => visible(n) && navs.push(n))
    node.querySelectorAll('*').forEach((n) => n.shadowRoot && findNavs(n.shadowRoot))
  }
  findNavs(root)
  if (!nav && navs.length) problems.push('a bottom navigation where the page should have none')
  if (nav) {
    if (navs.length !== 1) problems.push(`${navs.length} bottom navigations (expected one)`)
    const bar = navs[0]
    if (bar) {
      const items = Array.from(bar.children).filter((c) => c.classList.contains('bottom-nav__item') && visible(c))
      const ids = items.map((i) => i.id)
      if (items.length !== 5) problems.push(`the bottom navigation has ${items.length} items (${ids.join(', ')}), not five`)
      if (ids[2] !== 'nav-language') problems.push(`the centre item of the bottom navigation is ${ids[2] ?? 'missing'}, not nav-language`)
      const rects = items.map((i) => i.getBoundingClientRect())
      rects.forEach((r, k) => {
        if (k > 0 && r.left < rects[k - 1].right - 0.5) problems.push(`bottom navigation items ${ids[k - 1]} and ${ids[k]} are not side by side`)
        if (Math.abs(r.top - rects[0].top) > 1) problems.push(`bottom navigation item ${ids[k]} is not on the row of the others`)
      })
      const lang = items[2]?.getBoundingClientRect()
      if (lang && Math.abs((lang.left + lang.right) / 2 - W / 2) > 1)
        problems.push(`the Language item is not in the centre: its middle is at ${Math.round((lang.left + lang.right) / 2)} px on a ${W} px screen`)
      const barRect = bar.getBoundingClientRect()
      if (Math.abs(barRect.bottom - H) > 1 || barRect.left > 0.5 || Math.abs(barRect.right - W) > 0.5)
        problems.push(
          `the bottom navigation is not along the bottom of the screen (${Math.round(barRect.left)},${Math.round(barRect.top)}–${Math.round(barRect.right)},${Math.round(barRect.bottom)})`,
        )
      items.forEach((item) => {
        if (!(item.textContent ?? '').trim() && !Array.from(item.querySelectorAll('*')).some((n) => n.shadowRoot && (n.shadowRoot.textContent ?? '').trim()))
          problems.push(`bottom navigation item ${item.id} has no label`)
      })
    }
  }
  return { text: texts.map((t) => t.text), problems }
}

/**
 * Takes the state's picture and runs the checks. The viewport is made as tall as the page, so the picture is
 * the whole page with fixed parts (the bottom navigation, the wizard's bar) at its bottom, as at the end of
 * the scroll; it is set back to the phone's height after.
 */
export async function capture(page: Page, state: State, root: string): Promise<Capture> {
  // the browser preview slides a new page in: wait until it is in place
  await page.waitForFunction(
    (selector) => {
      const pages = Array.from(document.querySelectorAll(selector)).filter((el) => getComputedStyle(el).display !== 'none')
      const own = pages[pages.length - 1]
      return !!own && Math.abs(own.getBoundingClientRect().left) < 0.5 && document.getAnimations().every((a) => a.playState !== 'running')
    },
    root,
    { timeout: 5000 },
  )
  await page.evaluate((css) => {
    if (document.getElementById('posm-picture-fonts')) return
    const style = document.createElement('style')
    style.id = 'posm-picture-fonts'
    style.textContent = css
    document.head.appendChild(style)
  }, PICTURE_FONTS_CSS)
  await page.evaluate(async () => {
    const focused = document.activeElement as HTMLElement | null
    focused?.blur?.()
    await document.fonts.ready
  })
  let height = PHONE.height
  for (let i = 0; i < 4; i++) {
    // the page's height: that of the page element shown (the browser preview's router keeps the pages
    // below it in the document, and the shown one scrolls by itself), scrolled back to the top
    const needed = await page.evaluate((selector) => {
      window.scrollTo(0, 0)
      const pages = Array.from(document.querySelectorAll(selector)).filter((el) => getComputedStyle(el).display !== 'none')
      const own = pages[pages.length - 1]
      if (own) own.scrollTop = 0
      return Math.ceil(own ? own.scrollHeight : document.documentElement.scrollHeight)
    }, root)
    if (needed <= height) break
    height = needed
    await page.setViewportSize({ width: PHONE.width, height })
  }
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  // tsx (esbuild, keeping function names) compiles `inspect` with calls to its `__name` helper
  await page.evaluate('globalThis.__name = globalThis.__name || ((f) => f)')
  const found = await page.evaluate(inspect, { root, nav: state.nav })
  // photos are drawn as black boxes (their frame, size and fit stay): the DingTalk build shows the camera's
  // file as the VM's fake host kept it, the browser preview a JPEG its canvas compressed, so their pixels
  // differ for reasons of the fakes, not of the app
  const mask = await page.addStyleTag({ content: 'img { filter: brightness(0) !important; }' })
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide' })
  await mask.evaluate((el) => (el as Element).remove())
  await page.setViewportSize({ width: PHONE.width, height: PHONE.height })
  return { state, text: normaliseText(found.text.join(' ')), problems: found.problems, png }
}

/**
 * The text compared between the builds: whitespace collapsed, and times of day as "hh:mm" (the two builds
 * are walked seconds to minutes apart, and photos and requests carry the time they were taken or sent).
 */
export function normaliseText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\b\d{1,2}:\d{2}(:\d{2})?(\s?[AP]M)?/g, 'hh:mm')
    .trim()
}
