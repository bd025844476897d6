import type { FilesPort } from '../types'
import { call, native } from './native'

/** Camera files are temporary on DingTalk: dd.saveFile keeps them until the app removes them. */
export function createDdFiles(): FilesPort {
  return {
    async persist(path) {
      try {
        const res = await call(native().saveFile, { apFilePath: path, filePath: path })
        return res.apFilePath ?? res.savedFilePath ?? res.filePath ?? path
      } catch {
        return path
      }
    },
    async displayUrl(path) {
      return path
    },
    async fetchImage(url, headers) {
      const res = await call(native().downloadFile, { url, header: headers })
      const path = res.filePath ?? res.apFilePath ?? res.tempFilePath
      if (!path) throw new Error('download answered no file')
      return path
    },
    async remove(path) {
      try {
        await call(native().removeSavedFile, { apFilePath: path, filePath: path })
      } catch {
        // already gone
      }
    },
  }
}
