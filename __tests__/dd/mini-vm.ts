/**
 * Runs the compiled DingTalk build (dist/dd) in a Node VM with a recording fake of the mini-program
 * host: `dd`/`my`, `App`, `Page`, `Component`, `getCurrentPages`. It applies each page's `setData` to
 * that page's data, reads the rendered text out of it, and dispatches events to the page's `eh` handler
 * the way the DingTalk engine does (the element's sid in `currentTarget.dataset`).
 * Native custom components a page declares in `usingComponents` (src/native) run too: each element of
 * theirs in the page's data gets an instance with its props, lifecycle (didMount, didUpdate, didUnmount)
 * and its own `setData` (counted with its page's), and its axml template is rendered for `text()`, `byId()`
 * and taps (see native-template.ts).
 *
 * The host answers as DingTalk's JSAPI documents say (the pages of open.dingtalk.com's 客户端JSAPI section,
 * cited by file name at each API), not as the app expects: failures carry the documented error numbers
 * and nothing else, undocumented APIs (a global saveFile, onNetworkStatusChange) are absent, and the
 * device (its storage and files, `FakeDevice`) outlives the engine: `coldStart()` boots a new engine on
 * the same device after DingTalk deleted the temporary files.
 */
import fs from 'node:fs'
import os from 'node:os'
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

/** A DingTalk version as documented in the pages' 支持说明 tables: [major, minor, patch]. */
type Version = [number, number, number]
const parseVersion = (v: string): Version =>
  v
    .split('.')
    .map((n) => Number(n) || 0)
    .concat([0, 0, 0])
    .slice(0, 3) as Version
const atLeast = (have: string, need: string) => {
  const [a, b] = [parseVersion(have), parseVersion(need)]
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i]
  return true
}

/**
 * What dd.canIUse answers (0509-dd-caniuse.md), by the Android versions of the documents' 支持说明 tables:
 * the file manager from 6.5.26 (0338-jsapi-get-file-system-manager.md, 0351-jsapi-file-system-manager-
 * save-file.md), chooseImage's `files` from 6.5.35 (0205-jsapi-choose-image.md). APIs the documents do not
 * have are not there (false).
 */
const GATES: Record<string, string> = {
  getFileSystemManager: '6.5.26',
  'chooseImage.return.files': '6.5.35',
}
const UNDOCUMENTED = new Set(['saveFile', 'removeSavedFile', 'getSavedFileList', 'onNetworkStatusChange', 'offNetworkStatusChange'])

/** DingTalk's storage limits (0626-dd-setstorage.md, 0039-jsapi-set-storage.md): one key's data as a string ≤ 200 × 1024 characters, 10 MB a mini-program. */
export const STORAGE_KEY_LIMIT = 200 * 1024
export const STORAGE_TOTAL_LIMIT = 10 * 1024 * 1024

/**
 * The phone: its storage and its files, which outlive one run of the engine. Files are real files under
 * `dir` (the upload reads them): `temp` ones (chooseImage, compressImage, downloadFile) are deleted at a
 * cold start (0709-file-manager-overview.md: 本地临时文件 … 下次冷启动小程序时不可继续使用); `saved` ones
 * (the file manager's saveFile without filePath: 本地缓存文件) stay, 10 MB each, 50 MB in all.
 */
export class FakeDevice {
  readonly storage = new Map<string, unknown>()
  /** Every file the host made, by path. */
  readonly files = new Map<string, { kind: 'temp' | 'saved'; createTime: number }>()
  private seq = 0
  constructor(
    readonly dir: string,
    /** The DingTalk client's version (getSystemInfo's `version`). */
    public version = '7.0.10',
  ) {}

  /** A new temporary file with the content of `from` (or `content`). */
  tempFile(from: string | Buffer): string {
    const file = path.join(this.dir, `tmp-${Date.now()}-${++this.seq}.image`)
    fs.writeFileSync(file, typeof from === 'string' ? fs.readFileSync(from) : from)
    this.files.set(file, { kind: 'temp', createTime: Date.now() })
    return file
  }

  /** Registers a file written by the test (a camera picture) as temporary. */
  adoptTemp(file: string): string {
    this.files.set(file, { kind: 'temp', createTime: Date.now() })
    return file
  }

  /** A move of a temporary file to a local cache file (0351: 本接口会移动临时文件). */
  save(tempFilePath: string): string {
    const entry = this.files.get(tempFilePath)
    if (!entry || entry.kind !== 'temp' || !fs.existsSync(tempFilePath)) throw Object.assign(new Error('gone'), { code: 10022 })
    const size = fs.statSync(tempFilePath).size
    const total = [...this.files].filter(([, f]) => f.kind === 'saved').reduce((n, [p]) => n + (fs.existsSync(p) ? fs.statSync(p).size : 0), 0)
    if (size > 10 * 1024 * 1024 || total + size > 50 * 1024 * 1024) throw Object.assign(new Error('full'), { code: 3 })
    const saved = path.join(this.dir, `saved-${Date.now()}-${++this.seq}.image`)
    fs.renameSync(tempFilePath, saved)
    this.files.delete(tempFilePath)
    this.files.set(saved, { kind: 'saved', createTime: Date.now() })
    return saved
  }

  savedFiles(): string[] {
    return [...this.files].filter(([p, f]) => f.kind === 'saved' && fs.existsSync(p)).map(([p]) => p)
  }

  /** The mini-program was closed: DingTalk deletes its temporary files; the same device for the next engine. */
  coldStart(): this {
    for (const [file, f] of [...this.files]) {
      if (f.kind !== 'temp') continue
      fs.rmSync(file, { force: true })
      this.files.delete(file)
    }
    return this
  }
}

export interface MiniVmOptions {
  dist: string
  /** The phone (its storage and files); a new one under the system's temporary folder when not given. */
  device?: FakeDevice
  /** Answers dd.getNetworkType (0638-dd-getnetworktype.md); online when not given. */
  online?: () => boolean
  /** DingTalk refuses the URL before any request with this error (4: not a safe domain, 11: no cross-domain permission; 0517-send-network-requests.md). */
  refuseUrl?: (url: string) => number | null
  /** dd.getLocation fails with this error (11: permission off, 12, 13, 14; 0623-dd-getlocation.md). */
  locationError?: number
  /**
   * Some clients add the HTTP status and body to httpRequest's error 19; the documents do not promise them
   * (0517-send-network-requests.md), so they are left out unless a test models such a client.
   */
  httpErrorDetails?: boolean
  language?: string
  /** Answers dd.httpRequest; defaults to failing with a network error. */
  httpRequest?: (options: { url: string; method: string; headers: Record<string, string>; data?: string }) => Promise<{ status: number; data: unknown }>
  /** Answers dd.getAuthCode for the organisation asked (else `authCode`, else a random code). */
  getAuthCode?: (corpId: string) => string
  /** Answers dd.scan: a code, null for the person cancelling (error 10), 'fail' for a failed scan (error 11). */
  scan?: () => string | null | 'fail'
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
  /** Where a location fix is answered from; getLocation fails with error 13 (定位失败) without it. */
  location?: { latitude: number; longitude: number; accuracy: number }
  /** Answers dd.downloadFile with the path of the downloaded file; defaults to failing with a network error. */
  downloadFile?: (options: { url: string; header?: Record<string, string> }) => Promise<{ status: number; filePath: string }>
  /** Sees every page setData, as JSON. */
  onSetData?: (route: string, json: string) => void
}

export class MiniVm {
  readonly calls: HostCall[] = []
  readonly device: FakeDevice
  /** The device's storage (kept across a cold start). */
  get storage(): Map<string, unknown> {
    return this.device.storage
  }
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
    this.device = options.device ?? new FakeDevice(fs.mkdtempSync(path.join(os.tmpdir(), 'posm-device-')))
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
      // the app's own timers (the outbox's, a network poll) never keep the test process alive
      setTimeout: (fn: () => void, ms?: number, ...args: unknown[]) => {
        const timer = setTimeout(fn, ms, ...args)
        ;(timer as unknown as { unref?: () => void }).unref?.()
        return timer
      },
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
      version: this.device.version,
      SDKVersion: '2.0.0',
      windowWidth: 375,
      windowHeight: 812,
      screenWidth: 375,
      screenHeight: 812,
      pixelRatio: 2,
      statusBarHeight: 20,
      titleBarHeight: 44,
    })
    const device = this.device
    /** 0338-jsapi-get-file-system-manager.md: the file manager, from DingTalk 6.5.26. */
    const fileSystemManager = {
      // 0351-jsapi-file-system-manager-save-file.md, 0712-save-file.md: moves the temporary file; error 10022 (the
      // temporary file is gone or invalid), 3 (saving failed: here, beyond 10 MB a file or 50 MB in all,
      // 0709-file-manager-overview.md)
      saveFile: (o: Callbacks & { tempFilePath?: string; filePath?: string }) => {
        record('fs.saveFile', { tempFilePath: o.tempFilePath })
        if (!o.tempFilePath) return fail(o, { error: 10022, errorMessage: '指定的路径找不到文件' })
        try {
          ok(o, { savedFilePath: device.save(o.tempFilePath) })
        } catch (e) {
          const code = (e as { code?: number }).code ?? 3
          fail(o, { error: code, errorMessage: code === 10022 ? '指定的路径找不到文件' : '保存文件失败' })
        }
      },
      // 0349-jsapi-file-system-manager-remove-saved-file.md, 0720-delete-local-cache-files.md: a temporary path
      // is "file not found" (10022 here, the file manager's number for it)
      removeSavedFile: (o: Callbacks & { filePath?: string }) => {
        record('fs.removeSavedFile', { filePath: o.filePath })
        const entry = o.filePath ? device.files.get(o.filePath) : undefined
        if (!o.filePath || !entry || entry.kind !== 'saved') return fail(o, { error: 10022, errorMessage: '文件不存在' })
        fs.rmSync(o.filePath, { force: true })
        device.files.delete(o.filePath)
        ok(o, { success: true, filePath: o.filePath })
      },
      // 0343-jsapi-file-system-manager-get-saved-file-list.md
      getSavedFileList: (o: Callbacks) =>
        ok(o, {
          success: true,
          fileList: device
            .savedFiles()
            .map((filePath) => ({ filePath, size: fs.statSync(filePath).size, createTime: device.files.get(filePath)?.createTime ?? 0 })),
        }),
    }
    const storageUsed = () => [...this.storage.values()].reduce((n: number, v) => n + JSON.stringify(v).length, 0)
    const known: Dict = {
      // 0509-dd-caniuse.md: a Boolean, by the client's version
      canIUse: (schema: string) => {
        const gate = GATES[schema]
        if (gate) return atLeast(device.version, gate)
        return !UNDOCUMENTED.has(schema.split('.')[0])
      },
      // 0637-dd-getsysteminfosync.md: `language` (DingTalk's), `version` (DingTalk's), `platform`
      getSystemInfoSync: systemInfo,
      getSystemInfo: (o: Callbacks) => ok(o, systemInfo()),
      // 0626-dd-setstorage.md: one key's data ≤ 200 × 1024 characters as a string, 10 MB a mini-program. How a
      // write beyond that fails is not documented: this host throws (the app must notice either way).
      setStorageSync: ({ key, data }: { key: string; data: unknown }) => {
        record('setStorageSync', { key })
        const text = JSON.stringify(data)
        if (text.length > STORAGE_KEY_LIMIT) throw new Error(`setStorageSync: data of ${key} exceeds 200*1024 characters`)
        const previous = this.storage.has(key) ? JSON.stringify(this.storage.get(key)).length : 0
        if (storageUsed() - previous + text.length > STORAGE_TOTAL_LIMIT) throw new Error('setStorageSync: storage exceeds 10MB')
        this.storage.set(key, JSON.parse(text))
      },
      // 0629-dd-getstoragesync.md, 0631-dd-removestoragesync.md
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
      // 0005-jsapi-get-auth-code.md: `authCode` (five minutes, once); error 3 (system error) is the only one documented
      getAuthCode: (o: Callbacks & { corpId?: string }) => {
        record('getAuthCode', o)
        if (!o.corpId) return fail(o, { error: 3, errorMessage: '系统异常' })
        ok(o, { authCode: this.options.getAuthCode?.(o.corpId) ?? this.authCode ?? `vm-${Date.now()}-${Math.random().toString(36).slice(2)}` })
        this.authCode = null
      },
      // 0517-send-network-requests.md: the answer's `status` (a Number) on success; a failure carries only its
      // error number: 4/11 (not a safe domain), 12 (network), 13 (timeout), 14 (decode failed), 19 (an HTTP
      // error status; the status and body only when `httpErrorDetails` models a client that adds them)
      httpRequest: (o: Callbacks & { url: string; method: string; headers: Record<string, string>; data?: string; dataType?: string }) => {
        record('httpRequest', { url: o.url, method: o.method })
        const refused = this.options.refuseUrl?.(o.url) ?? null
        if (refused !== null) return fail(o, { error: refused, errorMessage: refused === 4 ? '设置错误' : '无权跨域' })
        const handler = this.options.httpRequest
        if (!handler || this.options.online?.() === false) return fail(o, { error: 12, errorMessage: '网络出错' })
        handler(o).then(
          (res) =>
            res.status >= 200 && res.status < 300
              ? ok(o, { status: res.status, data: res.data, headers: {} })
              : fail(o, { error: 19, errorMessage: 'HTTP错误', ...(this.options.httpErrorDetails ? { status: res.status, data: res.data } : {}) }),
          () => fail(o, { error: 12, errorMessage: '网络出错' }),
        )
      },
      // 0726-mini-program-jsapi-sweep-code.md: `code`; error 10 = the person cancelled, 11 = failed
      scan: (o: Callbacks) => {
        record('scan', o)
        const text = this.options.scan?.() ?? null
        if (text === null) return fail(o, { error: 10, errorMessage: '用户取消' })
        if (text === 'fail') return fail(o, { error: 11, errorMessage: '操作失败' })
        ok(o, { code: text, qrCode: text })
      },
      // 0531-dd-chooseimage.md: `filePaths` (temporary files); error 11 = the person cancelled. `files` from
      // 6.5.35 (0205-jsapi-choose-image.md).
      chooseImage: (o: Callbacks & { sourceType?: string[] }) => {
        record('chooseImage', o)
        const paths = (this.options.chooseImage?.() ?? []).map((file) => device.adoptTemp(file))
        if (paths.length === 0) return fail(o, { error: 11, errorMessage: '用户取消操作' })
        const files = atLeast(device.version, GATES['chooseImage.return.files'])
          ? { files: paths.map((p) => ({ path: p, size: fs.statSync(p).size, fileType: 'png' })) }
          : {}
        ok(o, { filePaths: paths, ...files })
      },
      // 0534-dd-compressimage.md: `filePaths` of new (temporary) files
      compressImage: (o: Callbacks & { filePaths: string[] }) => {
        record('compressImage', o)
        if (!o.filePaths.every((p) => fs.existsSync(p))) return fail(o, { error: 3, errorMessage: 'file not found' })
        ok(o, { filePaths: o.filePaths.map((p) => device.tempFile(p)) })
      },
      getFileSystemManager: () => {
        if (!atLeast(device.version, GATES.getFileSystemManager)) throw new TypeError('dd.getFileSystemManager is not a function')
        return fileSystemManager
      },
      // 0638-dd-getnetworktype.md
      getNetworkType: (o: Callbacks) => {
        const online = this.options.online?.() !== false
        ok(o, { networkAvailable: online, networkType: online ? 'WIFI' : 'NOTREACHABLE' })
      },
      // 0623-dd-getlocation.md: strings; error 11 = the location permission is off, 12 network, 13 failed, 14 timeout
      getLocation: (o: Callbacks & { useCache?: boolean }) => {
        record('getLocation', o)
        const loc = this.options.location
        if (this.options.locationError) return fail(o, { error: this.options.locationError, errorMessage: '请确认定位相关权限已开启' })
        if (!loc) return fail(o, { error: 13, errorMessage: '定位失败，请稍后再试' })
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
        // 0518-dd-upload-objects.md: `statusCode` is a String; errors 4 (not a safe domain), 11 (the file does
        // not exist), 12 (upload failed), 13 (no permission for the file)
        record('uploadFile', { url: o.url, fileType: o.fileType, fileName: o.fileName, filePath: o.filePath })
        const refused = this.options.refuseUrl?.(o.url) ?? null
        if (refused !== null) return fail(o, { error: 4, errorMessage: '无权跨域调用' })
        if (!fs.existsSync(o.filePath)) return fail(o, { error: 11, errorMessage: '文件不存在' })
        const handler = this.options.uploadFile
        if (!handler || this.options.online?.() === false) return fail(o, { error: 12, errorMessage: '上传文件失败' })
        handler(o).then(
          (res) => ok(o, { statusCode: String(res.status), data: res.data, header: {} }),
          () => fail(o, { error: 12, errorMessage: '上传文件失败' }),
        )
      },
      downloadFile: (o: Callbacks & { url: string; header?: Record<string, string> }) => {
        record('downloadFile', { url: o.url })
        const handler = this.options.downloadFile
        if (!handler) return fail(o, { error: 12, errorMessage: 'network' })
        // 0519-mini-program-download-objects.md: a temporary file
        handler(o).then(
          (res) =>
            res.status >= 200 && res.status < 300
              ? ok(o, { filePath: device.adoptTemp(res.filePath) })
              : fail(o, { error: 12, errorMessage: 'HTTP ' + res.status }),
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
    // Any other API (Taro's runtime calls a few): recorded, answered with success and an empty result;
    // the undocumented ones the app must not rely on are absent.
    return new Proxy(known, {
      get(target, prop: string) {
        if (prop in target) return target[prop]
        if (UNDOCUMENTED.has(prop)) return undefined
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
      has(target, prop: string) {
        return !UNDOCUMENTED.has(prop) || prop in target
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

  /**
   * The mini-program closed and opened again: DingTalk deleted its temporary files; the storage and saved
   * files are those of the same device. Answers the new engine, not launched yet.
   */
  coldStart(options: Partial<MiniVmOptions> = {}): MiniVm {
    return new MiniVm({ ...this.options, ...options, device: this.device.coldStart() })
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
