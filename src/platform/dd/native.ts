/**
 * DingTalk's native API object. Its callbacks and result shapes vary between client versions; the other
 * files in this folder normalise them once. Nothing outside src/platform/dd touches `dd`.
 */
type Callback<T> = (result: T) => void

export interface DdFailure {
  error?: number
  errorMessage?: string
  errMsg?: string
  status?: number
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

export interface DdNative {
  httpRequest: DdCall<
    { url: string; method: string; headers: Record<string, string>; data?: string; timeout: number; dataType: 'json' | 'text' },
    { status: number; data: unknown; headers?: Record<string, string> }
  >
  request?: DdNative['httpRequest']
  getAuthCode: DdCall<{ corpId: string }, { authCode?: string; code?: string }>
  chooseImage: DdCall<{ count: number; sourceType: string[] }, DdImageResult>
  compressImage: DdCall<{ filePaths: string[]; compressLevel: number }, DdImageResult>
  uploadFile: DdCall<
    { url: string; fileType: 'image'; fileName: string; filePath: string; header?: Record<string, string>; formData?: Record<string, string> },
    { data: string; statusCode?: number; status?: number }
  >
  getLocation: DdCall<
    { useCache: boolean; type?: number; coordinate?: string; withReGeocode?: boolean },
    { latitude: number | string; longitude: number | string; accuracy?: number | string; isFromMock?: boolean }
  >
  scan: DdCall<{ type: 'qr' | 'bar' }, { text?: string; code?: string; qrCode?: string }>
  getSystemInfoSync?: () => { language?: string }
  saveFile: DdCall<{ apFilePath: string; filePath?: string }, { apFilePath?: string; savedFilePath?: string; filePath?: string }>
  removeSavedFile: DdCall<{ apFilePath: string; filePath?: string }, unknown>
  downloadFile: DdCall<{ url: string; header?: Record<string, string> }, { filePath?: string; apFilePath?: string; tempFilePath?: string }>
  getNetworkType: DdCall<Record<string, never>, { networkAvailable?: boolean; networkType?: string }>
  onNetworkStatusChange: (callback: (res: { isConnected?: boolean; networkType?: string }) => void) => void
  offNetworkStatusChange?: (callback: (res: { isConnected?: boolean }) => void) => void
  setClipboard: DdCall<{ text: string }, unknown>
}

declare const dd: DdNative

/** The `dd` global of the DingTalk mini-program engine. */
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

/** DingTalk reports a cancelled picker or scanner with error 11 (or a message saying so). */
export function isCancel(err: DdFailure): boolean {
  return err?.error === 11 || /cancel/i.test(String(err?.errorMessage ?? err?.errMsg ?? ''))
}
