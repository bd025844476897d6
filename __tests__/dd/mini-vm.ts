/**
 * Runs the compiled DingTalk build (dist/dd) in a Node VM with a recording fake of the mini-program
 * host: `dd`/`my`, `App`, `Page`, `Component`, `getCurrentPages`. It applies each page's `setData` to
 * that page's data, reads the rendered text out of it, and dispatches events to the page's `eh` handler
 * the way the DingTalk engine does (the element's sid in `currentTarget.dataset`).
 * Native custom components a page declares in `usingComponents` (src/native) run too: each element of
 * theirs in the page's data gets an instance with its props, lifecycle (didMount, didUpdate, didUnmount)
 * and its own `setData` (counted with its page's), and its axml template is rendered for `text()`, `byId()`
 * and taps (see native-template.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { renderAxml } from './native-template'
import { AxmlProgram } from './render/axml'
import type { PageSnapshot } from './render/page'

type Dict = Record<string, unknown>
type Callbacks = { success?: (r: unknown) => void; fail?: (e: unknown) => void; complete?: (r: unknown) => void }

export interface RenderNode {
  nn?: string
  sid?: string
  uid?: string
  v?: string
  cl?: string
  cn?: RenderNode[]
  [prop: string]: unknown
}

export interface PageInstance {
  route: string
  data: { root?: RenderNode; [k: string]: unknown }
  setData(data: Dict, cb?: () => void): void
  [k: string]: unknown
}

export interface HostCall {
  api: string
  options: unknown
}

export interface MiniVmOptions {
  dist: string
  language?: string
  /** Answers dd.httpRequest; defaults to failing with a network error. */
  httpRequest?: (options: { url: string; method: string; headers: Record<string, string>; data?: string }) => Promise<{ status: number; data: unknown }>
  /** Answers dd.getAuthCode for the organisation asked (else `authCode`, else a random code). */
  getAuthCode?: (corpId: string) => string
  /** Answers dd.scan. */
  scan?: () => string | null
  /** Answers dd.chooseImage (the camera) with file paths. */
  chooseImage?: () => string[]
  /** Answers dd.uploadFile. */
  uploadFile?: (options: {
    url: string
    filePath: string
    fileName: string
    fileType: string
    header?: Record<string, string>
    formData?: Record<string, string>
  }) => Promise<{ status: number; data: string }>
  location?: { latitude: number; longitude: number; accuracy: number }
  /** Answers dd.downloadFile with the path of the downloaded file; defaults to failing with a network error. */
  downloadFile?: (options: { url: string; header?: Record<string, string> }) => Promise<{ status: number; filePath: string }>
  /** Sees every page setData, as JSON. */
  onSetData?: (route: string, json: string) => void
}

export class MiniVm {
  readonly calls: HostCall[] = []
  readonly storage = new Map<string, unknown>()
  /** Bytes passed through setData, in JSON, per page route. */
  readonly setDataBytes = new Map<string, number>()
  readonly errors: unknown[] = []
  private readonly pageConfigs = new Map<string, Dict>()
  private readonly stack: PageInstance[] = []
  private appInstance: Dict | null = null
  private readonly context: vm.Context
  private readonly modules = new Map<string, unknown>()
  title = ''
  /** The next DingTalk auth code (random when unset; `dev:<staffId>` picks a staff member on the local server). */
  authCode: string | null = null

  constructor(private readonly options: MiniVmOptions) {
    const host = this.createHost()
    const sandbox: Dict = {
      my: host,
      dd: host,
      App: (config: Dict) => {
        this.appInstance = config
      },
      Page: (config: Dict) => {
        this.pageConfigs.set(this.loadingRoute, config)
      },
      Component: (config: Dict) => {
        this.componentConfigs.set(this.loadingComponent, config)
      },
      getApp: () => this.appInstance,
      getCurrentPages: () => [...this.stack],
      console,
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      Promise,
      navigator: { userAgent: '', swuserAgent: 'DingTalk' },
    }
    this.context = vm.createContext(sandbox)
  }

  private loadingRoute = ''
  private loadingComponent = ''
  /** Native components: their config by file (without extension). */
  private readonly componentConfigs = new Map<string, Dict>()
  /** The native components' templates, read and rendered by the renderer's AXML interpreter. */
  private axml: AxmlProgram | null = null
  /** Per page: tag name → component file, from the page's usingComponents. */
  private readonly pageComponents = new Map<string, Map<string, string>>()
  /** Live native component instances per page, by the sid of their element. */
  private readonly instances = new Map<PageInstance, Map<string, NativeInstance>>()

  /** Loads the native components a page declares (once each), as the engine does before the page renders. */
  private loadComponents(routePath: string) {
    if (this.pageComponents.has(routePath)) return
    const byTag = new Map<string, string>()
    const jsonFile = path.join(this.options.dist, `${routePath}.json`)
    const using = fs.existsSync(jsonFile)
      ? ((JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { usingComponents?: Record<string, string> }).usingComponents ?? {})
      : {}
    for (const [tag, rel] of Object.entries(using)) {
      const file = path.relative(this.options.dist, path.resolve(path.dirname(path.join(this.options.dist, routePath)), rel))
      if (!fs.existsSync(path.join(this.options.dist, `${file}.axml`))) continue // Taro's own (custom-wrapper, comp)
      if (!this.componentConfigs.has(file)) {
        this.loadingComponent = file
        this.requireFile(`${file}.js`)
        if (!this.componentConfigs.has(file)) throw new Error(`${file}.js did not call Component()`)
      }
      byTag.set(tag, file)
    }
    this.pageComponents.set(routePath, byTag)
  }

  /** After a page setData: mounts, updates and unmounts native component instances to match its data. */
  private syncComponents(page: PageInstance) {
    const byTag = this.pageComponents.get(page.route)
    if (!byTag || byTag.size === 0) return
    const live = this.instances.get(page) ?? new Map<string, NativeInstance>()
    this.instances.set(page, live)
    const seen = new Set<string>()
    const walk = (node: RenderNode | undefined) => {
      if (!node) return
      const file = typeof node.nn === 'string' ? byTag.get(node.nn) : undefined
      if (file && node.sid) {
        seen.add(node.sid)
        const props = propsOf(node)
        const existing = live.get(node.sid)
        if (!existing) live.set(node.sid, this.mountComponent(page, file, props))
        else if (JSON.stringify(existing.props) !== JSON.stringify({ ...existing.defaults, ...props })) {
          const prevProps = existing.props
          existing.props = { ...existing.defaults, ...props }
          this.callComponent(existing, 'didUpdate', prevProps, existing.data)
        }
      }
      for (const child of node.cn ?? []) walk(child)
    }
    walk(page.data.root)
    for (const [sid, instance] of live) {
      if (!seen.has(sid)) {
        live.delete(sid)
        this.callComponent(instance, 'didUnmount')
      }
    }
  }

  private mountComponent(page: PageInstance, file: string, props: Dict): NativeInstance {
    const config = this.componentConfigs.get(file)!
    const defaults = (config.props ?? {}) as Dict
    const instance: NativeInstance = Object.assign(Object.create((config.methods ?? {}) as object) as NativeInstance, {
      file,
      defaults,
      props: { ...defaults, ...props },
      data: JSON.parse(JSON.stringify(config.data ?? {})) as Dict,
      setData: (data: Dict) => {
        const json = JSON.stringify(data)
        this.options.onSetData?.(page.route, json)
        this.setDataBytes.set(page.route, (this.setDataBytes.get(page.route) ?? 0) + Buffer.byteLength(json))
        for (const [key, value] of Object.entries(data)) setPath(instance.data, key, value)
      },
    })
    // the engine mounts a component after the page's render that created it
    setTimeout(() => this.callComponent(instance, 'didMount'), 0)
    return instance
  }

  private callComponent(instance: NativeInstance, hook: string, ...args: unknown[]) {
    const config = this.componentConfigs.get(instance.file)!
    const fn = config[hook] as ((...a: unknown[]) => void) | undefined
    try {
      fn?.apply(instance, args)
    } catch (e) {
      this.errors.push(e)
      throw e
    }
  }

  /** A page leaves the stack: its native components unmount, then the page unloads. */
  private unload(page: PageInstance | undefined) {
    if (!page) return
    for (const instance of this.instances.get(page)?.values() ?? []) this.callComponent(instance, 'didUnmount')
    this.instances.delete(page)
    if (page.onUnload) (page.onUnload as () => void).call(page)
  }

  /** A node's children as shown: a native component's rendered template, else the page data's children. */
  private childrenOf(node: RenderNode, page: PageInstance): RenderNode[] {
    const instance = node.sid ? this.instances.get(page)?.get(node.sid) : undefined
    if (instance) {
      this.axml ??= new AxmlProgram(this.options.dist)
      return renderAxml(this.axml, `${instance.file}.axml`, { ...instance.data, ...instance.props }, instance) as RenderNode[]
    }
    return node.cn ?? []
  }

  private createHost(): Dict {
    const ok = (opts: Callbacks, result: unknown) => {
      setTimeout(() => {
        opts?.success?.(result)
        opts?.complete?.(result)
      }, 0)
    }
    const fail = (opts: Callbacks, error: unknown) => {
      setTimeout(() => {
        opts?.fail?.(error)
        opts?.complete?.(error)
      }, 0)
    }
    const record = (api: string, options: unknown) => this.calls.push({ api, options })
    const systemInfo = () => ({
      language: this.options.language ?? 'en',
      platform: 'Android',
      system: '13',
      model: 'VM',
      version: '7.0.0',
      SDKVersion: '2.0.0',
      windowWidth: 375,
      windowHeight: 812,
      screenWidth: 375,
      screenHeight: 812,
      pixelRatio: 2,
      statusBarHeight: 20,
      titleBarHeight: 44,
    })
    const known: Dict = {
      canIUse: () => true,
      getSystemInfoSync: systemInfo,
      getSystemInfo: (o: Callbacks) => ok(o, systemInfo()),
      setStorageSync: ({ key, data }: { key: string; data: unknown }) => {
        record('setStorageSync', { key })
        this.storage.set(key, JSON.parse(JSON.stringify(data)))
      },
      getStorageSync: ({ key }: { key: string }) => ({ data: this.storage.has(key) ? this.storage.get(key) : null }),
      removeStorageSync: ({ key }: { key: string }) => void this.storage.delete(key),
      setNavigationBar: (o: Callbacks & { title?: string }) => {
        record('setNavigationBar', o)
        if (o.title !== undefined) this.title = o.title
        ok(o, {})
      },
      showToast: (o: Callbacks) => {
        record('showToast', o)
        ok(o, {})
      },
      confirm: (o: Callbacks) => {
        record('confirm', o)
        ok(o, { confirm: true })
      },
      getAuthCode: (o: Callbacks & { corpId?: string }) => {
        record('getAuthCode', o)
        if (!o.corpId) return fail(o, { error: 2, errorMessage: 'corpId required' })
        ok(o, { authCode: this.options.getAuthCode?.(o.corpId) ?? this.authCode ?? `vm-${Date.now()}-${Math.random().toString(36).slice(2)}` })
        this.authCode = null
      },
      httpRequest: (o: Callbacks & { url: string; method: string; headers: Record<string, string>; data?: string }) => {
        record('httpRequest', { url: o.url, method: o.method })
        const handler = this.options.httpRequest
        if (!handler) return fail(o, { error: 12, errorMessage: 'network' })
        handler(o).then(
          (res) => (res.status >= 200 && res.status < 300 ? ok(o, res) : fail(o, { error: 19, status: res.status, data: res.data })),
          () => fail(o, { error: 12, errorMessage: 'network' }),
        )
      },
      scan: (o: Callbacks) => {
        record('scan', o)
        const text = this.options.scan?.() ?? null
        if (text === null) return fail(o, { error: 11, errorMessage: 'user cancelled' })
        // the field dd.scan documents
        ok(o, { code: text })
      },
      chooseImage: (o: Callbacks & { sourceType?: string[] }) => {
        record('chooseImage', o)
        const paths = this.options.chooseImage?.() ?? []
        if (paths.length === 0) return fail(o, { error: 11, errorMessage: 'user cancelled' })
        // a newer client answers `files`, as some DingTalk versions do
        ok(o, { files: paths.map((path) => ({ path, size: 1 })) })
      },
      compressImage: (o: Callbacks & { filePaths: string[] }) => {
        record('compressImage', o)
        ok(o, { apFilePaths: o.filePaths })
      },
      saveFile: (o: Callbacks & { apFilePath: string }) => {
        record('saveFile', o)
        ok(o, { apFilePath: o.apFilePath })
      },
      removeSavedFile: (o: Callbacks) => ok(o, {}),
      getNetworkType: (o: Callbacks) => ok(o, { networkAvailable: true, networkType: 'WIFI' }),
      onNetworkStatusChange: () => undefined,
      getLocation: (o: Callbacks & { useCache?: boolean }) => {
        record('getLocation', o)
        const loc = this.options.location
        if (!loc) return fail(o, { error: 12, errorMessage: 'no location' })
        ok(o, { latitude: String(loc.latitude), longitude: String(loc.longitude), accuracy: String(loc.accuracy) })
      },
      uploadFile: (
        o: Callbacks & {
          url: string
          filePath: string
          fileName: string
          fileType: string
          header?: Record<string, string>
          formData?: Record<string, string>
        },
      ) => {
        record('uploadFile', { url: o.url, fileType: o.fileType, fileName: o.fileName })
        const handler = this.options.uploadFile
        if (!handler) return fail(o, { error: 12, errorMessage: 'network' })
        handler(o).then(
          (res) => ok(o, { statusCode: res.status, data: res.data }),
          () => fail(o, { error: 12, errorMessage: 'network' }),
        )
      },
      downloadFile: (o: Callbacks & { url: string; header?: Record<string, string> }) => {
        record('downloadFile', { url: o.url })
        const handler = this.options.downloadFile
        if (!handler) return fail(o, { error: 12, errorMessage: 'network' })
        handler(o).then(
          (res) => (res.status >= 200 && res.status < 300 ? ok(o, { filePath: res.filePath }) : fail(o, { error: 19, status: res.status })),
          () => fail(o, { error: 12, errorMessage: 'network' }),
        )
      },
      navigateTo: (o: Callbacks & { url: string }) => {
        record('navigateTo', o)
        const top = this.stack[this.stack.length - 1]
        if (top?.onHide) (top.onHide as () => void).call(top)
        this.openPage(o.url)
        ok(o, {})
      },
      redirectTo: (o: Callbacks & { url: string }) => {
        record('redirectTo', o)
        this.unload(this.stack.pop())
        this.openPage(o.url)
        ok(o, {})
      },
      reLaunch: (o: Callbacks & { url: string }) => {
        record('reLaunch', o)
        while (this.stack.length) {
          this.unload(this.stack.pop())
        }
        this.openPage(o.url)
        ok(o, {})
      },
      navigateBack: (o: Callbacks) => {
        record('navigateBack', o)
        this.unload(this.stack.pop())
        const next = this.stack[this.stack.length - 1]
        if (next?.onShow) (next.onShow as () => void).call(next)
        ok(o, {})
      },
    }
    // Any other API: recorded, answered with success and an empty result.
    return new Proxy(known, {
      get(target, prop: string) {
        if (prop in target) return target[prop]
        if (prop === 'webpackJsonp' || prop === 'taroEventCenter') return undefined
        if (typeof prop !== 'string') return undefined
        return (o: Callbacks) => {
          record(prop, o)
          if (o && typeof o === 'object') ok(o, {})
          return undefined
        }
      },
      set(target, prop: string, value) {
        target[prop] = value
        return true
      },
      has() {
        return true
      },
    })
  }

  /** Evaluates a file of the build the way the engine does, with `require` relative to it. */
  private requireFile(file: string): unknown {
    const full = path.resolve(this.options.dist, file.endsWith('.js') ? file : `${file}.js`)
    if (this.modules.has(full)) return (this.modules.get(full) as { exports: unknown }).exports
    const module = { exports: {} as unknown }
    this.modules.set(full, module)
    const code = fs.readFileSync(full, 'utf8')
    const wrapper = vm.runInContext(`(function (require, module, exports) {${code}\n})`, this.context, { filename: full }) as (
      r: (p: string) => unknown,
      m: unknown,
      e: unknown,
    ) => void
    const dir = path.dirname(full)
    wrapper((p: string) => this.requireFile(path.relative(this.options.dist, path.resolve(dir, p))), module, module.exports)
    return module.exports
  }

  /** Subpackage pages: loaded when first opened, as the engine does. */
  private subpackagePages = new Set<string>()

  /** Boots the app: app.js, then every main-package page's file, then the app's launch and show. */
  /** Starts the app at its first page, or at `startPage` (as a work notification's link opens it). */
  launch(query: Dict = {}, startPage?: string) {
    this.requireFile('app.js')
    const appJson = JSON.parse(fs.readFileSync(path.join(this.options.dist, 'app.json'), 'utf8')) as {
      pages: string[]
      subPackages?: Array<{ root: string; pages: string[] }>
    }
    for (const sub of appJson.subPackages ?? []) for (const page of sub.pages) this.subpackagePages.add(`${sub.root}/${page}`)
    for (const route of appJson.pages) {
      this.loadingRoute = route
      this.requireFile(`${route}.js`)
    }
    if (!this.appInstance) throw new Error('app.js did not call App()')
    const app = this.appInstance as { onLaunch?: (o: unknown) => void; onShow?: (o: unknown) => void }
    app.onLaunch?.call(app, { query, path: appJson.pages[0] })
    app.onShow?.call(app, { query, path: appJson.pages[0] })
    this.openPage(startPage ?? `/${appJson.pages[0]}`)
    return appJson.pages
  }

  openPage(url: string) {
    const [routePath, search = ''] = url.replace(/^\//, '').split('?')
    if (!this.pageConfigs.has(routePath) && this.subpackagePages.has(routePath)) {
      this.loadingRoute = routePath
      this.requireFile(`${routePath}.js`)
    }
    const config = this.pageConfigs.get(routePath)
    if (!config) throw new Error(`no page registered for ${routePath}`)
    this.loadComponents(routePath)
    const query = Object.fromEntries(new URLSearchParams(search))
    const page = Object.create(config) as PageInstance
    const initial = (config.data ?? {}) as Dict
    page.data = JSON.parse(JSON.stringify(initial))
    page.route = routePath
    page.setData = (data: Dict, cb?: () => void) => {
      const json = JSON.stringify(data)
      const bytes = Buffer.byteLength(json)
      this.options.onSetData?.(routePath, json)
      this.setDataBytes.set(routePath, (this.setDataBytes.get(routePath) ?? 0) + bytes)
      for (const [key, value] of Object.entries(data)) setPath(page.data as Dict, key, value)
      this.syncComponents(page)
      if (cb) setTimeout(cb, 0)
    }
    this.stack.push(page)
    const call = (name: string, arg?: unknown) => {
      const fn = page[name] as ((a?: unknown) => void) | undefined
      if (fn) {
        try {
          fn.call(page, arg)
        } catch (e) {
          this.errors.push(e)
          throw e
        }
      }
    }
    call('onLoad', query)
    call('onShow')
    call('onReady')
    return page
  }

  get currentPage(): PageInstance {
    const page = this.stack[this.stack.length - 1]
    if (!page) throw new Error('no page open')
    return page
  }

  /**
   * What the current page shows, as data: the page's data (its setData calls applied) and each native
   * component instance's data and props, by the sid of its element (for the renderer, render/page.ts).
   */
  snapshot(page = this.currentPage): PageSnapshot {
    const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v ?? null)) as T
    const components: PageSnapshot['components'] = {}
    for (const [sid, instance] of this.instances.get(page) ?? [])
      components[sid] = { file: instance.file, data: copy(instance.data), props: copy(instance.props) }
    return { route: page.route, title: this.title, data: copy(page.data) as Dict, components }
  }

  /** All text the current page shows, in document order. */
  text(page = this.currentPage): string {
    const out: string[] = []
    const walk = (node: RenderNode | undefined) => {
      if (!node) return
      if (typeof node.v === 'string') out.push(node.v)
      for (const child of this.childrenOf(node, page)) walk(child)
    }
    walk(page.data.root)
    return out.join(' ').replace(/\s+/g, ' ').trim()
  }

  /** The node whose `id` (uid) is given. */
  byId(id: string, page = this.currentPage): RenderNode | null {
    let found: RenderNode | null = null
    const walk = (node: RenderNode | undefined) => {
      if (!node || found) return
      if (node.uid === id || node.id === id) found = node
      for (const child of this.childrenOf(node, page)) walk(child)
    }
    walk(page.data.root)
    return found
  }

  /** Every node with a user id (`id` prop) starting with `prefix`, with the text it shows. */
  withIdPrefix(prefix: string, page = this.currentPage): Array<{ node: RenderNode; text: string }> {
    const found: Array<{ node: RenderNode; text: string }> = []
    const textOf = (node: RenderNode): string => (typeof node.v === 'string' ? node.v : this.childrenOf(node, page).map(textOf).join(' '))
    const walk = (node: RenderNode | undefined) => {
      if (!node) return
      const uid = node.uid ?? node.id
      if (typeof uid === 'string' && uid.startsWith(prefix)) found.push({ node, text: textOf(node) })
      for (const child of this.childrenOf(node, page)) walk(child)
    }
    walk(page.data.root)
    return found
  }

  /** The innermost node whose own text (with its children's) contains `text` and that has a sid. */
  byText(text: string, page = this.currentPage): RenderNode | null {
    let found: RenderNode | null = null
    const textOf = (node: RenderNode): string => (typeof node.v === 'string' ? node.v : this.childrenOf(node, page).map(textOf).join(''))
    const walk = (node: RenderNode | undefined) => {
      if (!node) return
      if (node.sid && typeof node.v !== 'string' && textOf(node).includes(text)) found = node
      for (const child of this.childrenOf(node, page)) walk(child)
    }
    walk(page.data.root)
    return found
  }

  private dispatch(node: RenderNode, type: string, detail: Dict = {}) {
    const page = this.currentPage
    const native = node as RenderNode & { handlers?: Record<string, string>; instance?: NativeInstance; dataset?: Dict }
    if (native.instance) {
      // an element of a native component: its own handler method, with its dataset
      const name = native.handlers?.[type]
      if (!name) throw new Error(`native element ${String(node.id)} has no ${type} handler`)
      const method = native.instance[name] as ((e: unknown) => void) | undefined
      if (typeof method !== 'function') throw new Error(`native component has no method ${name}`)
      const target = { id: node.id, dataset: native.dataset ?? {} }
      method.call(native.instance, { type, detail, currentTarget: target, target, timeStamp: Date.now() })
      return
    }
    const handler = page.eh as ((e: unknown) => unknown) | undefined
    if (!handler) throw new Error(`page ${page.route} has no eh handler`)
    const target = { id: node.uid ?? node.sid, dataset: { sid: node.sid } }
    handler.call(page, { type, detail, currentTarget: target, target, timeStamp: Date.now() })
  }

  tap(node: RenderNode | null) {
    if (!node) throw new Error('nothing to tap')
    this.dispatch(node, 'tap')
  }

  input(node: RenderNode | null, value: string) {
    if (!node) throw new Error('no input')
    this.dispatch(node, 'input', { value, cursor: value.length })
  }

  blur(node: RenderNode | null) {
    if (!node) throw new Error('no input')
    this.dispatch(node, 'blur', { value: '' })
  }

  /** Lets timers, promises and HTTP answers settle. */
  async settle(ms = 60) {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, ms / 5))
  }

  async until(check: () => boolean, what: string, timeoutMs = 5000) {
    const start = Date.now()
    while (!check()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; page ${this.currentPage.route} shows: ${this.text()}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

interface NativeInstance {
  file: string
  defaults: Dict
  props: Dict
  data: Dict
  setData(data: Dict): void
  [method: string]: unknown
}

/** A component element's props: its attributes in the page data, without Taro's bookkeeping. */
function propsOf(node: RenderNode): Dict {
  const props: Dict = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nn' || key === 'sid' || key === 'cn' || value === undefined || value === null) continue
    props[key === 'uid' ? 'id' : key] = value
  }
  return props
}

/** Applies one setData key ("root.cn.[0].cn.[2].v") to the data. */
export function setPath(data: Dict, key: string, value: unknown) {
  const parts = key.split('.').map((p) => (/^\[\d+\]$/.test(p) ? Number(p.slice(1, -1)) : p))
  let target: Dict | unknown[] = data
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]
    const next = (target as Dict)[part as string]
    if (next === undefined || next === null || typeof next !== 'object') {
      const created = typeof parts[i + 1] === 'number' ? [] : {}
      ;(target as Dict)[part as string] = created
      target = created
    } else {
      target = next as Dict
    }
  }
  ;(target as Dict)[parts[parts.length - 1] as string] = value
}
