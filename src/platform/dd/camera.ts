import { DeviceError, type CameraPort } from '../types'
import { call, errorNumber, imagePaths, native, type DdFailure } from './native'

/**
 * dd.chooseImage (0531-dd-chooseimage.md, 0205-jsapi-choose-image.md), camera only (`sourceType:
 * ['camera']`): error 11 is the person cancelling (null); another failure is CAMERA_FAILED. The result's
 * `filePaths` is documented everywhere; `files` (0205, newer clients) and the older `apFilePaths` are read
 * when present.
 */
export function createDdCamera(): CameraPort {
  return {
    async takePhoto({ count = 1 }) {
      try {
        const res = await call(native().chooseImage, { count, sourceType: ['camera'] })
        const paths = imagePaths(res)
        return paths.length ? paths : null
      } catch (e) {
        const err = e as DdFailure
        if (errorNumber(err) === 11 || /cancel/i.test(String(err?.errorMessage ?? err?.errMsg ?? ''))) return null
        throw new DeviceError('CAMERA_FAILED', `dd.chooseImage failed: ${String(err?.error ?? '')} ${err?.errorMessage ?? ''}`.trim())
      }
    },
    /** dd.compressImage (0534-dd-compressimage.md): a failure keeps the original (it is sent larger). */
    async compress(path) {
      try {
        const res = await call(native().compressImage, { filePaths: [path], compressLevel: 2 })
        return imagePaths(res)[0] ?? path
      } catch {
        return path
      }
    },
  }
}
