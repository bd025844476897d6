/**
 * The same staff member's actions on the two builds: the compiled DingTalk build run by the MiniVm (its
 * host faked: camera, scanner, location, network to a local server), and the H5 preview in Chromium
 * against its own local server. Both servers start from the same seed, so the same actions reach the same
 * states; the scenario (scenario.ts) is written once against this interface.
 */
import fs from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DIST, startLocalServer } from '../dd/local-server'
import { MiniVm } from '../dd/mini-vm'
import type { PageSnapshot } from '../dd/render/page'
import { consoleHttp } from '../helpers/console-http'
import { CONSOLE, openAppAs, scan, startServer, takePhoto, type RunningServer } from '../e2e/harness'
import { picture } from '../e2e/pictures'

/** Where the staff member is: the store in Singapore of the end-to-end tests. */
export const LOCATION = { latitude: 1.30028, longitude: 103.85512, accuracy: 12 }
/** The phone: 375 × 812 CSS px (the VM's system info), 2 device pixels per CSS px. */
export const PHONE = { width: 375, height: 812, scale: 2 }

/** A browser context the size of the phone (see H5Driver.signIn on mobile emulation). */
export function phoneContext(browser: Browser, extra: Parameters<Browser['newContext']>[0] = {}) {
  return browser.newContext({
    viewport: { width: PHONE.width, height: PHONE.height },
    deviceScaleFactor: PHONE.scale,
    isMobile: false,
    hasTouch: true,
    ...extra,
  })
}

export interface Driver {
  readonly platform: 'dd' | 'h5'
  /** Opens the app signed in as a seeded staff member, on the product list. */
  signIn(staffId: string): Promise<void>
  tap(id: string): Promise<void>
  /** Taps the first element whose id starts with `prefix` and whose text contains `text`. */
  tapWhere(prefix: string, text: string): Promise<void>
  type(id: string, value: string): Promise<void>
  /** Takes picture `seed` with the camera button `id`, and waits until it shows in its field. */
  photo(id: string, seed: number): Promise<void>
  /** Scans `text` with the scanner button `id`. */
  scan(id: string, text: string): Promise<void>
  waitFor(id: string, timeoutMs?: number): Promise<void>
  waitText(text: string, timeoutMs?: number): Promise<void>
  /** The console's decision on a promotion, as the reviewer takes it: `/console/promotions/<id>/<path>`. */
  review(promotionPath: string, form?: Record<string, string>): Promise<void>
  /** The current user's promotions, from the server. */
  promotions(): Promise<Array<{ id: string; status: string; store: { name: string } }>>
  close(): Promise<void>
}

/** The DingTalk build in the MiniVm; `snapshot()` is what the renderer draws. */
export class DdDriver implements Driver {
  readonly platform = 'dd'
  vm: MiniVm | null = null
  private server: Awaited<ReturnType<typeof startLocalServer>> | null = null
  private readonly scans: string[] = []
  private readonly pictures: string[] = []

  async start() {
    this.server = await startLocalServer()
  }

  private get app(): MiniVm {
    if (!this.vm) throw new Error('signIn first')
    return this.vm
  }

  async signIn(staffId: string) {
    const server = this.server!
    this.vm = new MiniVm({
      dist: DIST,
      language: 'en',
      httpRequest: server.httpRequest,
      uploadFile: server.uploadFile,
      downloadFile: server.downloadFile,
      location: LOCATION,
      chooseImage: () => (this.pictures.length ? [this.pictures.shift()!] : []),
      scan: () => this.scans.shift() ?? null,
    })
    // a development auth code signs in that staff member on the local server
    this.vm.authCode = `dev:${staffId}#${Math.random().toString(36).slice(2)}`
    this.vm.launch()
    await this.app.until(() => this.app.byId('association-card') !== null, 'the product list')
  }

  private node(id: string) {
    const node = this.app.byId(id)
    if (!node) throw new Error(`dd: no #${id} on ${this.app.currentPage.route}: ${this.app.text().slice(0, 300)}`)
    return node
  }

  async tap(id: string) {
    this.app.tap(this.node(id))
    await this.app.settle(20)
  }

  async tapWhere(prefix: string, text: string) {
    await this.app.until(() => this.app.withIdPrefix(prefix).some((t) => t.text.includes(text)), `#${prefix}… with "${text}"`)
    this.app.tap(this.app.withIdPrefix(prefix).find((t) => t.text.includes(text))!.node)
    await this.app.settle(20)
  }

  async type(id: string, value: string) {
    this.app.input(this.node(id), value)
    await this.app.settle(20)
  }

  async photo(id: string, seed: number) {
    this.pictures.push(picture(seed))
    this.app.tap(this.node(id))
    await this.app.until(() => this.app.byId(`${id}-field`)?.cn?.some((n) => n.cl === 'photo') ?? false, `the photo in #${id}-field`)
  }

  async scan(id: string, text: string) {
    this.scans.push(text)
    await this.tap(id)
  }

  async waitFor(id: string, timeoutMs = 10000) {
    await this.app.until(() => this.app.byId(id) !== null, `#${id}`, timeoutMs)
  }

  async waitText(text: string, timeoutMs = 10000) {
    await this.app.until(() => this.app.text().includes(text), `"${text}"`, timeoutMs)
  }

  async review(promotionPath: string, form: Record<string, string> = {}) {
    await consolePost(this.server!.base, promotionPath, form)
  }

  async promotions() {
    const token = this.app.storage.get('posm.session') as { token?: string; data?: { token: string } } | undefined
    const bearer = token?.data?.token ?? token?.token
    const res = await fetch(`${this.server!.base}/api/promotions`, { headers: { Authorization: `Bearer ${bearer}` } })
    return ((await res.json()) as { promotions: Array<{ id: string; status: string; store: { name: string } }> }).promotions
  }

  snapshot(): PageSnapshot {
    return this.app.snapshot()
  }

  errors(): unknown[] {
    return this.app.errors
  }

  async close() {
    await this.server?.close()
  }
}

/** The H5 preview in Chromium, a phone-sized context in the same place. */
export class H5Driver implements Driver {
  readonly platform = 'h5'
  page: Page | null = null
  private context: BrowserContext | null = null
  private server: RunningServer | null = null

  constructor(private readonly browser: Browser) {}

  async start() {
    this.server = await startServer()
  }

  private get app(): Page {
    if (!this.page) throw new Error('signIn first')
    return this.page
  }

  async signIn(staffId: string) {
    await this.context?.close()
    // not `isMobile`: Chromium's mobile emulation zooms the page out when something passes the right edge
    // for a moment (the router slides the next page in from there), and keeps that zoom
    this.context = await phoneContext(this.browser, {
      locale: 'en-US',
      geolocation: LOCATION,
      permissions: ['geolocation'],
    })
    this.page = await this.context.newPage()
    await openAppAs(this.page, this.server!.base, staffId)
  }

  /** The element of the page shown (the router keeps the pages below it, hidden). */
  private shown(selector: string, options?: { hasText?: string }) {
    return this.app.locator(selector, options).filter({ visible: true }).first()
  }

  async tap(id: string) {
    await this.shown(`#${id}`).click()
  }

  async tapWhere(prefix: string, text: string) {
    await this.shown(`[id^="${prefix}"]`, { hasText: text }).click()
  }

  async type(id: string, value: string) {
    const field = this.shown(`#${id}`)
    const input = (await field.locator('textarea').count()) > 0 ? field.locator('textarea') : field.locator('input')
    await input.fill(value)
    await input.blur()
  }

  async photo(id: string, seed: number) {
    await takePhoto(this.app, `#${id}`, picture(seed))
  }

  async scan(id: string, text: string) {
    await scan(this.app, `#${id}`, text)
  }

  async waitFor(id: string, timeoutMs = 10000) {
    await this.shown(`#${id}`).waitFor({ timeout: timeoutMs })
  }

  async waitText(text: string, timeoutMs = 10000) {
    await this.app.getByText(text).filter({ visible: true }).first().waitFor({ timeout: timeoutMs })
  }

  async review(promotionPath: string, form: Record<string, string> = {}) {
    await consolePost(this.server!.base, promotionPath, form)
  }

  async promotions() {
    return this.app.evaluate(async () => {
      const saved = JSON.parse(localStorage.getItem('posm.session') ?? '{}') as { data?: { token: string }; token?: string }
      const token = saved.data?.token ?? saved.token
      const res = await fetch('/api/promotions', { headers: { Authorization: `Bearer ${token}` } })
      return ((await res.json()) as { promotions: Array<{ id: string; status: string; store: { name: string } }> }).promotions
    })
  }

  async close() {
    await this.context?.close()
    await this.server?.stop()
  }
}

/** An Alipay+ reviewer's decision in /console (the form its page posts), signed in through the sign-in form. */
async function consolePost(base: string, promotionPath: string, form: Record<string, string>) {
  const reviewer = await consoleHttp(base, 'alipay', CONSOLE.password)
  const status = await reviewer.post(`/console/promotions/${promotionPath}`, form)
  if (status >= 400) throw new Error(`console ${promotionPath}: ${status}`)
}

/** Removes and recreates a directory of pictures. */
export function freshDir(dir: string) {
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
}
