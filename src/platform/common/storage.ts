import Taro from '@tarojs/taro'
import { StorageQuotaError, storageWriteError, type StoragePort } from '../types'

/** Storage through Taro: DingTalk's setStorageSync (the browser preview reads localStorage directly, h5/storage.ts). Values are JSON-sized, never images. */
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
      // DingTalk allows 200 × 1024 characters a key and 10 MB a mini-program (0626-dd-setstorage.md) but
      // does not document how a write beyond that fails: a throw and an answered error are both caught
      let answer: unknown
      try {
        answer = Taro.setStorageSync(key, value) as unknown
      } catch (error) {
        throw storageWriteError(error)
      }
      const failed = answer as { error?: unknown; errorMessage?: string; success?: boolean } | null | undefined
      if (failed && typeof failed === 'object' && (failed.success === false || (failed.error !== undefined && failed.error !== null))) {
        throw new StorageQuotaError(`setStorageSync failed: ${String(failed.error ?? '')} ${failed.errorMessage ?? ''}`.trim())
      }
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
