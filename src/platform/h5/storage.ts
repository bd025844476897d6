import { storageWriteError, type StoragePort } from '../types'

/**
 * Storage in the browser preview: localStorage, in the format Taro's own storage API uses (`{"data": …}`),
 * so what either wrote the other reads. Called directly: the first call into Taro's H5 storage API costs
 * about 20 ms of start-up.
 */
export function createH5Storage(): StoragePort {
  return {
    get<T>(key: string): T | null {
      try {
        const raw = localStorage.getItem(key)
        if (!raw) return null
        const item = JSON.parse(raw) as { data?: T } | null
        return item && typeof item === 'object' && 'data' in item && item.data !== '' && item.data !== undefined ? (item.data as T) : null
      } catch {
        return null
      }
    },
    set<T>(key: string, value: T) {
      try {
        localStorage.setItem(key, JSON.stringify({ data: value }))
      } catch (error) {
        throw storageWriteError(error)
      }
    },
    remove(key: string) {
      try {
        localStorage.removeItem(key)
      } catch {
        // nothing stored: nothing to remove
      }
    },
  }
}
