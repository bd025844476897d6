/**
 * End-to-end harness: the real workspace server (a child process, development mode unless a test asks
 * for production mode, a fresh SQLite file, the H5 build as its static site) on a loopback port, and Debian's Chromium driven by
 * playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const REPO = path.resolve(__dirname, '..', '..')
/** The development console accounts' password (each role's account: see consolePage). */
export const CONSOLE = { username: 'console', password: 'console' }

export interface RunningServer {
  base: string
  port: number
  dir: string
  /** Stops the server; its data stays when `keepData` (to start it again on the same port). */
  stop(options?: { keepData?: boolean }): Promise<void>
  /** Kills the server at once (SIGKILL: no shutdown, as in a crash), keeping its data to start it again. */
  kill(): Promise<void>
}

/** The processes under `pid` (the tsx wrapper runs the server in a child process of its own). */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = []
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c)
      walk(c)
    }
  }
  walk(pid)
  return found
}

/** Whether something accepts connections on the loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * How a server starts: development mode (the default), or production mode (no WORKSPACE_DEV) with the
 * environment an operator would set (`env`: DingTalk's settings, the keys).
 */
export interface ServerOptions {
  production?: boolean
  env?: Record<string, string>
}

/** Starts the server; pass the `dir` and `port` of a stopped one to bring it back with its data. */
export async function startServer(again?: { dir: string; port: number }, options: ServerOptions = {}): Promise<RunningServer> {
  const h5 = path.join(REPO, 'dist', 'h5', 'index.html')
  if (!fs.existsSync(h5)) throw new Error('dist/h5 is missing: run `npm run build:h5` first')
  const dir = again?.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'posm-e2e-'))
  const dbPath = path.join(dir, 'workspace.sqlite')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WORKSPACE_DEV: '1',
    PORT: String(again?.port ?? 0),
    HOST: '127.0.0.1',
    DB_PATH: dbPath,
    UPLOAD_DIR: path.join(dir, 'uploads'),
    STATIC_DIR: path.join(REPO, 'dist', 'h5'),
    ...options.env,
  }
  if (options.production) delete env.WORKSPACE_DEV
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(REPO, 'server', 'src', 'main.ts')],
    {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30000)
    const onData = (buf: Buffer) => {
      output += buf.toString()
      const match = /API:\s+(http:\/\/127\.0\.0\.1:\d+)\/api/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)))
  })
  return {
    base,
    port: Number(new URL(base).port),
    dir,
    async stop(options = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve())
          child.kill('SIGTERM')
        })
      }
      if (!options.keepData) fs.rmSync(dir, { recursive: true, force: true })
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      const sigkill = (pid: number) => {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // gone already
        }
      }
      // the server's own process (under the tsx wrapper, which then ends by itself), deepest first
      descendantsOf(child.pid).reverse().forEach(sigkill)
      const wrapper = child.pid
      const timer = setTimeout(() => sigkill(wrapper), 3000)
      await exited
      clearTimeout(timer)
      const port = Number(new URL(base).port)
      for (let i = 0; i < 100 && (await listening(port)); i++) await new Promise((r) => setTimeout(r, 50))
    },
  }
}

export function chromiumPath(): string {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && fs.existsSync(candidate)) return candidate
  }
  throw new Error('Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)')
}

/**
 * What went wrong in a page that no assertion looks at: an uncaught exception or unhandled rejection
 * (`pageerror`), or MobX complaining on the console. Collected from every page of every context of a
 * launched browser; the test during which it happened fails (startServerAndBrowserForFile).
 */
const pageErrors: string[] = []
const watched = new WeakSet<BrowserContext>()

/** Whether a console message is MobX's, or about it (`[MobX] …`, `[mobx.array] …`, a minified `[MobX] minified error nr: …`). */
function isMobxMessage(text: string): boolean {
  return /mobx/i.test(text)
}

function watch(context: BrowserContext): BrowserContext {
  if (watched.has(context)) return context
  watched.add(context)
  context.on('page', (page) => {
    page.on('pageerror', (error) => pageErrors.push(`page error at ${page.url()}: ${error.stack ?? error.message}`))
    page.on('console', (message) => {
      if ((message.type() === 'error' || message.type() === 'warning') && isMobxMessage(message.text())) {
        pageErrors.push(`MobX ${message.type()} at ${page.url()}: ${message.text()}`)
      }
    })
  })
  return context
}

/** The page errors collected since the last call (and forgets them). */
export function takePageErrors(): string[] {
  return pageErrors.splice(0, pageErrors.length)
}

/**
 * Playwright gives every launch a fresh, empty user-data-dir of its own. Every context opened with
 * `newContext` (phone(), consolePage()) is watched for page errors.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await launch()
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => watch(await newContext(...args))
  return browser
}

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A phone-sized browser context: each one is a separate device with its own storage, in a store in Singapore. */
export async function phone(browser: Browser, options: { bypassCSP?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    ...options,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
    geolocation: { latitude: 1.30028, longitude: 103.85512, accuracy: 12 },
    permissions: ['geolocation'],
  })
}

/**
 * Takes a photo with the camera of the browser preview (a file chooser) and waits until the photo shows in
 * its field (`<button id>-field`), as a person does before going on: the app keeps the photo on the device
 * first, and a Next tapped before that would find no photo yet.
 */
export async function takePhoto(page: Page, buttonSelector: string, file: string) {
  const chooser = page.waitForEvent('filechooser')
  await page.locator(buttonSelector).click()
  await (await chooser).setFiles(file)
  await page.locator(`${buttonSelector}-field .photo__img`).waitFor()
}

/** Answers the scanner of the browser preview (a text entry) with the code's content. */
export async function scan(page: Page, buttonSelector: string, text: string) {
  await page.locator(buttonSelector).click()
  const dialog = page.getByRole('dialog')
  await dialog.locator('input').fill(text)
  await dialog.getByRole('button', { name: 'Confirm' }).click()
}

/** Opens the app and signs in with development sign-in as a seeded staff member. */
export async function openAppAs(page: Page, base: string, staffId: string) {
  await page.goto(`${base}/`)
  await page.locator(`#signin-${staffId}`).click()
  await page.locator('#association-card').waitFor()
}

/** Types into a Taro input (a web component wrapping a real <input>). */
export async function fill(page: Page, id: string, value: string) {
  const input = page.locator(`#${id} input`)
  await input.fill(value)
  await input.blur()
}

/**
 * A browser tab signed in to the console through its sign-in form, as the development account the step
 * needs: `lioncity`/`nusantara` (ISO reviewers), `coordinator`, `alipay` (Alipay+ reviewer), `console`
 * (administrator). It lands on that account's first page.
 */
export async function consolePage(browser: Browser, base: string, account: string, password = CONSOLE.password): Promise<Page> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${base}/console`)
  await page.locator('#username').fill(account)
  await page.locator('#password').fill(password)
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/console/sign-in')), page.getByRole('button', { name: 'Sign in' }).click()])
  return page
}

/** Starts a server (`options()`, read when it starts) and a browser for the test file, and stops both after it. */
export function startServerAndBrowserForFile(options: () => ServerOptions = () => ({})): { server: RunningServer; browser: Browser } {
  // (a test may replace env.server after restarting it)
  const env = {} as { server: RunningServer; browser: Browser }
  beforeAll(async () => {
    env.server = await startServer(undefined, options())
    env.browser = await launchBrowser()
  })
  // a page error fails the test during which it happened
  afterEach(() => {
    const errors = takePageErrors()
    if (errors.length > 0) throw new Error(`The browser reported ${errors.length} page error(s):\n${errors.join('\n')}`)
  })
  afterAll(async () => {
    await env.browser?.close()
    await env.server?.stop()
  })
  return env
}
