import Taro from '@tarojs/taro'
import { storageWriteError, type StoragePort } from '../types'

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
      try {
        Taro.setStorageSync(key, value)
      } catch (error) {
        throw storageWriteError(error)
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
