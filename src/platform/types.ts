/**
 * The platform ports: every native capability the app uses, typed once. Each has a DingTalk (`dd`)
 * implementation that normalises DingTalk's result shapes and an `h5` implementation for the browser
 * preview. Stores receive a `Platform` through the root store's constructor; tests pass fakes.
 */

export interface GeoPoint {
  latitude: number
  longitude: number
  accuracy: number | null
  /** Android reports mock locations; recorded so that a reviewer can see it. */
  mocked: boolean
}

export interface ScanLabels {
  title: string
  placeholder: string
  confirm: string
  cancel: string
}

export interface ScannerPort {
  /** Opens the scanner; answers the code's text, or null when the person cancelled. Rejects with DeviceError (SCAN_FAILED). */
  scan(labels: ScanLabels): Promise<string | null>
}

export interface CameraPort {
  /** Takes photos with the camera only (never the album); answers local file paths, or null when cancelled. Rejects with DeviceError (CAMERA_FAILED). */
  takePhoto(options: { count?: number; title: string }): Promise<string[] | null>
  /** Compresses a photo before upload; answers the path of the compressed file. */
  compress(path: string): Promise<string>
}

export interface UploadRequest {
  url: string
  filePath: string
  /** Multipart field name of the file. */
  name: string
  headers?: Record<string, string>
  formData?: Record<string, string>
}

export interface UploadPort {
  upload(request: UploadRequest): Promise<HttpResponse>
}

export interface LocationPort {
  /** A fresh fix (never a cached one). Rejects with DeviceError (LOCATION_PERMISSION, LOCATION_UNAVAILABLE). */
  getLocation(): Promise<GeoPoint>
}

/** The platform did not store a value (its storage is full, the value is over the limit of one key, or the write failed). */
export class StorageQuotaError extends Error {
  constructor(message = 'storage full') {
    super(message)
    this.name = 'StorageQuotaError'
  }
}

/**
 * A storage write's failure as the stores see it: always StorageQuotaError (the value was not stored, whatever the
 * platform said: full, too large, or an error it does not document), so that a store keeps the value in memory and
 * tells the person (the storage-full banner) instead of failing silently.
 */
export function storageWriteError(error: unknown): StorageQuotaError {
  const e = error as { errMsg?: string; errorMessage?: string; message?: string; name?: string; error?: unknown } | null
  const text = `${e?.name ?? ''} ${e?.errMsg ?? e?.errorMessage ?? e?.message ?? (e?.error !== undefined ? `error ${String(e.error)}` : String(error))}`
  return new StorageQuotaError(text.trim())
}

export interface StoragePort {
  get<T>(key: string): T | null
  /** Throws StorageQuotaError when the value was not stored (storage full, value too large, write failed). */
  set<T>(key: string, value: T): void
  remove(key: string): void
}

export type HttpMethod = 'GET' | 'POST'

export interface HttpRequest {
  url: string
  method: HttpMethod
  headers?: Record<string, string>
  body?: unknown
  timeoutMs: number
}

export interface HttpResponse {
  status: number
  data: unknown
}

/**
 * A request that got no usable HTTP answer:
 * - `network`, `timeout`: nothing came back (retried);
 * - `http`: the host said the server answered an HTTP error but not which status (DingTalk's httpRequest
 *   error 19 promises no `status`): treated as a server error, after one fresh sign-in (it may be a 401);
 * - `configuration`: the host refused the call because of the app's settings (a domain not on the allowed
 *   list, an answer it could not decode): not retried, logged for the developer;
 * - `file-missing`: the file to upload is gone from the device (a temporary file after a restart);
 * - `file-permission`: the host may not read the file to upload.
 */
export type TransportErrorKind = 'network' | 'timeout' | 'http' | 'configuration' | 'file-missing' | 'file-permission'

export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

/**
 * A device capability that failed for a reason the staff member should hear about (a cancel is no error:
 * the ports answer null). `code` names the message shown (`error.<code>`, in the working language):
 * - SCAN_FAILED: the scanner failed;
 * - CAMERA_FAILED: the camera failed;
 * - LOCATION_PERMISSION: the location permission is off for DingTalk (the message says how to turn it on);
 * - LOCATION_UNAVAILABLE: no fix (timeout, no signal);
 * - PHOTO_NOT_SAVED: a photo could not be moved to lasting storage (retake it);
 * - DINGTALK_OUTDATED: this DingTalk version lacks a call the app needs (update DingTalk).
 */
export type DeviceErrorCode = 'SCAN_FAILED' | 'CAMERA_FAILED' | 'LOCATION_PERMISSION' | 'LOCATION_UNAVAILABLE' | 'PHOTO_NOT_SAVED' | 'DINGTALK_OUTDATED'

export class DeviceError extends Error {
  constructor(
    readonly code: DeviceErrorCode,
    message: string = code,
  ) {
    super(message)
    this.name = 'DeviceError'
  }
}

export interface HttpPort {
  /** Answers every HTTP status as a response; rejects with TransportError when nothing came back. */
  request(request: HttpRequest): Promise<HttpResponse>
}

export interface AuthPort {
  /** 'dingtalk' when running inside DingTalk (an auth code can be had); 'none' in the browser preview. */
  readonly kind: 'dingtalk' | 'none'
  /** The DingTalk organisation (corpId) the codes are asked for; the server refuses another one's. */
  readonly corpId: string | null
  getAuthCode(): Promise<string>
}

export interface SystemPort {
  /** The host app's language as it reports it (format varies), or null. */
  language(): string | null
}

/**
 * The working languages other than English (the core section's translations, src/i18n/sections/core.ts):
 * DingTalk's main package carries them from the start; the browser preview fetches them the first time
 * another language is used, so that an English start-up does not load eight dictionaries.
 */
export interface LanguagesPort {
  /** Resolves once every working language's core messages are loaded (at once when they already are). */
  load(): Promise<void>
}

export interface ConfirmOptions {
  title: string
  content: string
  confirmText: string
  cancelText: string
}

export interface UiPort {
  setTitle(title: string): void
  toast(message: string, kind?: 'success' | 'fail' | 'none'): void
  confirm(options: ConfirmOptions): Promise<boolean>
}

export interface NavPort {
  /** Opens a page on top of the current one. */
  open(url: string): void
  /** Replaces the current page (bottom navigation, sign-in). */
  replace(url: string): void
  back(): void
}

export interface FilesPort {
  /**
   * Keeps a captured photo across restarts (a temporary camera file would vanish); answers its lasting
   * path. Rejects with DeviceError (PHOTO_NOT_SAVED, DINGTALK_OUTDATED) when it cannot: never answers a
   * temporary path.
   */
  persist(path: string): Promise<string>
  /** A URL an <Image> can show for a kept photo. */
  displayUrl(path: string): Promise<string>
  /** Forgets a kept photo (after it was sent, or when its draft is discarded). */
  remove(path: string): Promise<void>
  /** Downloads an image that needs the session's headers; answers something an <Image> can show. */
  fetchImage(url: string, headers: Record<string, string>): Promise<string>
}

export interface NetworkPort {
  isOnline(): Promise<boolean>
  /** Calls back when the connection comes or goes; answers a function that stops listening. */
  onChange(callback: (online: boolean) => void): () => void
}

/**
 * What the DingTalk build's native text components (src/native) read: the working language's texts and
 * their changes. The i18n store provides it.
 */
export interface LiveTextSource {
  /** The message `key` in the working language; `date` (a timestamp) fills its `{date}`. */
  text(key: string, date?: number | null): string
  locale(): string
  /** Every working language, each in its own name, in the order of the choice. */
  languages(): Array<{ code: string; name: string }>
  setLocale(code: string): void
  /** Calls `listener` after each language switch; answers the unsubscribe. */
  subscribe(listener: () => void): () => void
}

/** Native components that keep their own text in the working language (DingTalk only). */
export interface LiveTextPort {
  /** Hands them the source (once is enough; later calls are ignored). */
  attach(source: LiveTextSource): void
}

/** The system clipboard (the payment step's copy button). */
export interface ClipboardPort {
  /** Puts the text on the clipboard; rejects when the platform refused or has no clipboard. */
  copy(text: string): Promise<void>
}

export interface Platform {
  /** null in the browser preview, which renders these texts as Taro components. */
  liveText: LiveTextPort | null
  scanner: ScannerPort
  camera: CameraPort
  uploader: UploadPort
  location: LocationPort
  storage: StoragePort
  http: HttpPort
  auth: AuthPort
  system: SystemPort
  languages: LanguagesPort
  ui: UiPort
  nav: NavPort
  files: FilesPort
  network: NetworkPort
  clipboard: ClipboardPort
}
