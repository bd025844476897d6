import type { CameraPort } from '../types'
import { call, imagePaths, isCancel, native, type DdFailure } from './native'

/** Camera only (`sourceType: ['camera']`); the result's paths may be under any of four names. */
export function createDdCamera(): CameraPort {
  return {
    async takePhoto({ count = 1 }) {
      try {
        const res = await call(native().chooseImage, { count, sourceType: ['camera'] })
        const paths = imagePaths(res)
        return paths.length ? paths : null
      } catch (e) {
        if (isCancel(e as DdFailure)) return null
        throw e
      }
    },
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
