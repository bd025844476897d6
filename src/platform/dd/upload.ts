import { TransportError, type UploadPort } from '../types'
import { call, native, type DdFailure } from './native'

/** dd.uploadFile fails with "invalid parameter" unless `fileType: 'image'` is given (Taro issue 14298). */
export function createDdUpload(): UploadPort {
  return {
    async upload({ url, filePath, name, headers, formData }) {
      try {
        const res = await call(native().uploadFile, { url, filePath, fileName: name, fileType: 'image', header: headers, formData })
        const status = res.statusCode ?? res.status ?? 200
        let data: unknown = res.data
        try {
          data = JSON.parse(res.data)
        } catch {
          // not JSON: keep the text
        }
        return { status, data }
      } catch (e) {
        const err = e as DdFailure
        if (typeof err?.status === 'number' && err.status > 0) return { status: err.status, data: err.data }
        throw new TransportError('network', err?.errorMessage ?? 'upload failed')
      }
    },
  }
}
