import type { NetworkPort } from '../types'

export function createH5Network(): NetworkPort {
  return {
    async isOnline() {
      return typeof navigator === 'undefined' ? true : navigator.onLine !== false
    },
    onChange(callback) {
      const on = () => callback(true)
      const off = () => callback(false)
      window.addEventListener('online', on)
      window.addEventListener('offline', off)
      return () => {
        window.removeEventListener('online', on)
        window.removeEventListener('offline', off)
      }
    },
  }
}
