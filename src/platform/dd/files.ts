import { DeviceError, type FilesPort } from '../types'
import { call, canIUse, native, type DdFailure } from './native'

/**
 * Photos on the phone. The camera's files are temporary: DingTalk may delete them when the mini-program
 * closes and does not keep them for the next cold start (0709-file-manager-overview.md, 清理策略). A photo is
 * therefore moved to a local cache file with the file manager's saveFile (0351-jsapi-file-system-manager-
 * save-file.md, 0712-save-file.md: `tempFilePath` → `savedFilePath`; DingTalk ≥ 6.5.25 iOS / 6.5.26
 * Android, asked through dd.canIUse) before a draft refers to it. When that fails the photo is refused
 * (PHOTO_NOT_SAVED: retake it) rather than kept under its temporary path; a client without the file
 * manager is told to update DingTalk (DINGTALK_OUTDATED). Saved files are removed with removeSavedFile
 * (0349-jsapi-file-system-manager-remove-saved-file.md) once their submission was accepted (DingTalk
 * allows 10 MB a file and 50 MB in all).
 */
export function createDdFiles(): FilesPort {
  const manager = () => (canIUse('getFileSystemManager') ? (native().getFileSystemManager?.() ?? null) : null)
  return {
    async persist(path) {
      const fsm = manager()
      if (!fsm) throw new DeviceError('DINGTALK_OUTDATED', 'dd.getFileSystemManager is not available in this DingTalk version')
      let saved: string | undefined
      try {
        saved = (await call(fsm.saveFile, { tempFilePath: path })).savedFilePath
      } catch (e) {
        // 10022: the temporary file is gone; 3: saving failed (storage full, among others)
        const err = e as DdFailure
        throw new DeviceError('PHOTO_NOT_SAVED', `saveFile failed: ${String(err?.error ?? err?.errorCode ?? '')} ${err?.errorMessage ?? ''}`.trim())
      }
      if (!saved) throw new DeviceError('PHOTO_NOT_SAVED', 'saveFile answered no savedFilePath')
      return saved
    },
    async displayUrl(path) {
      return path
    },
    /** dd.downloadFile (0519-mini-program-download-objects.md): a temporary file, shown and never kept. */
    async fetchImage(url, headers) {
      const res = await call(native().downloadFile, { url, header: headers })
      const path = res.filePath ?? res.apFilePath ?? res.tempFilePath
      if (!path) throw new Error('download answered no file')
      return path
    },
    async remove(path) {
      const fsm = manager()
      if (!fsm) return
      try {
        await call(fsm.removeSavedFile, { filePath: path })
      } catch {
        // already gone (or a temporary path of an older version of the app): nothing to free
      }
    },
  }
}
