import { TransportError, type UploadPort } from '../types'
import { call, errorNumber, native, type DdFailure } from './native'
import { parseMaybeJson } from './http'

/**
 * dd.uploadFile (0518-dd-upload-objects.md, 0011-jsapi-upload-file.md): `fileType: 'image'` is required
 * (DingTalk refuses the call without it, Taro issue 14298) and the answer's `statusCode` is a String
 * ("200"), read as a number. Its failures:
 * - 11 (the file does not exist: a temporary file after a cold start) → `file-missing`, and 13 (no
 *   permission for the file) → `file-permission`: final, the photo must be taken again;
 * - 4 (the URL is not a safe domain) → `configuration`, never retried, logged for the developer;
 * - 12 (upload failed) and anything else → `network`, retried by the outbox. An HTTP error status, when a
 *   client adds one to the failure, is answered as a response.
 */
export function createDdUpload(): UploadPort {
  return {
    async upload({ url, filePath, name, headers, formData }) {
      try {
        const res = await call(native().uploadFile, { url, filePath, fileName: name, fileType: 'image', header: headers, formData })
        // a String as documented; an older client's number or `status` read the same way
        const answered = res.statusCode ?? (res as { status?: number | string }).status
        const status = Number(answered)
        if (!Number.isInteger(status) || status <= 0) throw new TransportError('http', `dd.uploadFile answered statusCode ${String(answered)}`)
        return { status, data: parseMaybeJson(res.data) }
      } catch (e) {
        if (e instanceof TransportError) throw e
        const err = e as DdFailure
        const status = Number(err?.status ?? err?.statusCode)
        if (Number.isInteger(status) && status > 0) return { status, data: parseMaybeJson(err.data) }
        const message = `dd.uploadFile error ${String(err?.error ?? '?')}: ${err?.errorMessage ?? err?.errMsg ?? ''}`
        switch (errorNumber(err)) {
          case 11:
            throw new TransportError('file-missing', message)
          case 13:
            throw new TransportError('file-permission', message)
          case 4:
            console.error(`[posm] DingTalk refused an upload because of the app's settings (${message}; ${url.replace(/\?.*$/, '')})`)
            throw new TransportError('configuration', message)
          default:
            throw new TransportError('network', message)
        }
      }
    },
  }
}
