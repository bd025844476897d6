import Taro from '@tarojs/taro'
import { StorageQuotaError, storageWriteError, type StoragePort } from '../types'

/**
 * DingTalk's limit for one stored value: "单条数据转换成字符串后，字符串长度最大200*1024" — the value as a string
 * at most 200 × 1024 characters; and 10 MB for a mini-program (pages 0626-dd-setstorage.md, 0039-jsapi-set-storage.md).
 */
export const MAX_STORED_CHARS = 200 * 1024

/**
 * Storage through Taro: DingTalk's setStorageSync (the browser preview reads localStorage directly, h5/storage.ts).
 * Values are JSON-sized, never images. DingTalk does not document how a write that does not fit fails, so a
 * write is refused here before it reaches the limit, a thrown error or an error answer (`{ error }`, the
 * standard output object) counts as a failure, and the value is read back: whichever way it fails, the store
 * is told (StorageQuotaError) and nothing fails silently.
 */
export function createStorage(): StoragePort {
  return {
    get<T>(key: string): T | null {
      try {
        const value = Taro.getStorageSync(key) as T | '' | undefined
        return value === '' || value === undefined || value === null ? null : (value as T)
      } catch {
        return null
      }
    },
    set<T>(key: string, value: T) {
      const text = JSON.stringify(value)
      if (text.length > MAX_STORED_CHARS) throw new StorageQuotaError(`${key}: ${text.length} characters, over ${MAX_STORED_CHARS}`)
      let answer: unknown
      try {
        answer = Taro.setStorageSync(key, value)
      } catch (error) {
        throw storageWriteError(error)
      }
      if (answer && typeof answer === 'object' && 'error' in answer) throw storageWriteError(answer)
      let back: unknown
      try {
        back = Taro.getStorageSync(key)
      } catch (error) {
        throw storageWriteError(error)
      }
      if (JSON.stringify(back) !== text) throw new StorageQuotaError(`${key}: not stored`)
    },
    remove(key: string) {
      try {
        Taro.removeStorageSync(key)
      } catch {
        // nothing stored: nothing to remove
      }
    },
  }
}
