/**
 * DingTalk's native API object. Its callbacks and result shapes vary between client versions; the other
 * files in this folder normalise them once. Nothing outside src/platform/dd touches `dd`.
 */
type Callback<T> = (result: T) => void

export interface DdFailure {
  error?: number | string
  errorCode?: number | string
  errorMessage?: string
  errMsg?: string
  status?: number | string
  statusCode?: number | string
  data?: unknown
}

interface DdCall<O, R> {
  (options: O & { success?: Callback<R>; fail?: Callback<DdFailure> }): void
}

export type DdImageResult = {
  filePaths?: string[]
  apFilePaths?: string[]
  tempFilePaths?: string[]
  files?: Array<string | { path?: string; filePath?: string }>
}

/** The file manager (`dd.getFileSystemManager()`, 0338-jsapi-get-file-system-manager.md, 0709-file-manager-overview.md). */
export interface DdFileSystemManager {
  /** 0351-jsapi-file-system-manager-save-file.md, 0712-save-file.md: moves a temporary file; without `filePath` it becomes a local cache file. */
  saveFile: DdCall<{ tempFilePath: string; filePath?: string }, { savedFilePath?: string }>
  /** 0349-jsapi-file-system-manager-remove-saved-file.md, 0720-delete-local-cache-files.md. */
  removeSavedFile: DdCall<{ filePath: string }, unknown>
  /** 0343-jsapi-file-system-manager-get-saved-file-list.md, 0716-obtains-a-list-of-local-cached-files.md. */
  getSavedFileList: DdCall<Record<string, never>, { fileList?: Array<{ filePath: string; size: number; createTime: number }> }>
}

export interface DdNative {
  /** 0509-dd-caniuse.md, 0023-jsapi-can-i-use.md: a Boolean (or `{ isSupport }` in the newer page's example). */
  canIUse?: (schema: string) => boolean | { isSupport?: boolean }
  httpRequest: DdCall<
    { url: string; method: string; headers: Record<string, string>; data?: string; timeout: number; dataType: 'json' | 'text' },
    { status: number; data: unknown; headers?: Record<string, string> }
  >
  getAuthCode: DdCall<{ corpId: string }, { authCode?: string; code?: string }>
  chooseImage: DdCall<{ count: number; sourceType: string[] }, DdImageResult>
  compressImage: DdCall<{ filePaths: string[]; compressLevel: number }, DdImageResult>
  /** 0518-dd-upload-objects.md, 0011-jsapi-upload-file.md: `statusCode` is a String ("200"). */
  uploadFile: DdCall<
    { url: string; fileType: 'image'; fileName: string; filePath: string; header?: Record<string, string>; formData?: Record<string, string> },
    { data: string; statusCode?: string | number; header?: Record<string, string> }
  >
  /** 0623-dd-getlocation.md, 0322-jsapi-get-location.md: numbers arrive as strings. */
  getLocation: DdCall<
    { type: number; coordinate: number; useCache: boolean; cacheTimeout: number; withReGeocode: boolean },
    { latitude: number | string; longitude: number | string; accuracy?: number | string; isFromMock?: boolean }
  >
  /** 0726-mini-program-jsapi-sweep-code.md, 0406-jsapi-scan.md. */
  scan: DdCall<{ type: 'qr' | 'bar' }, { text?: string; code?: string; qrCode?: string; barCode?: string }>
  getSystemInfoSync?: () => { language?: string }
  getFileSystemManager?: () => DdFileSystemManager
  downloadFile: DdCall<{ url: string; header?: Record<string, string> }, { filePath?: string; apFilePath?: string; tempFilePath?: string }>
  /** 0638-dd-getnetworktype.md, 0364-jsapi-get-network-type.md. */
  getNetworkType: DdCall<Record<string, never>, { networkAvailable?: boolean; networkType?: string }>
  /** Not in DingTalk's documents: used only when dd.canIUse says the client has it. */
  onNetworkStatusChange?: (callback: (res: { isConnected?: boolean; networkType?: string }) => void) => void
  offNetworkStatusChange?: (callback: (res: { isConnected?: boolean }) => void) => void
  setClipboard: DdCall<{ text: string }, unknown>
}

/** The `dd` global of the DingTalk mini-program engine (declared in types/dingtalk.d.ts). */
export function native(): DdNative {
  return dd
}

/** Calls a callback-style dd API as a promise. */
export function call<O, R>(fn: DdCall<O, R>, options: O): Promise<R> {
  return new Promise((resolve, reject) => {
    fn({ ...options, success: resolve, fail: (err: DdFailure) => reject(err) } as O & { success: Callback<R>; fail: Callback<DdFailure> })
  })
}

/** The first list of paths present in an image result, whichever name this client version used. */
export function imagePaths(result: DdImageResult): string[] {
  const lists: Array<Array<string | { path?: string; filePath?: string }> | undefined> = [
    result.filePaths,
    result.apFilePaths,
    result.tempFilePaths,
    result.files,
  ]
  for (const list of lists) {
    if (!list || list.length === 0) continue
    const paths = list.map((item) => (typeof item === 'string' ? item : (item?.path ?? item?.filePath ?? ''))).filter((p): p is string => Boolean(p))
    if (paths.length > 0) return paths
  }
  return []
}

/**
 * Whether this DingTalk client has an API (or a parameter or result of one: `chooseImage.return.files`),
 * by dd.canIUse (0509-dd-caniuse.md). A client without canIUse (none is documented) is asked nothing: the
 * API itself must then exist.
 */
export function canIUse(schema: string): boolean {
  const dd = native() as DdNative | undefined
  if (!dd) return false
  const api = schema.split('.')[0]
  if (typeof Reflect.get(dd, api) !== 'function') return false
  if (typeof dd.canIUse !== 'function') return true
  try {
    const answer = dd.canIUse(schema)
    return typeof answer === 'object' && answer !== null ? answer.isSupport === true : answer === true
  } catch {
    return false
  }
}

/** The error number of a failure, whichever way the client wrote it (`error`, sometimes `errorCode`). */
export function errorNumber(err: DdFailure | null | undefined): number | null {
  const n = Number(err?.error ?? err?.errorCode)
  return Number.isFinite(n) ? n : null
}
