import type { NetworkPort } from '../types'
import { call, native } from './native'

export function createDdNetwork(): NetworkPort {
  return {
    async isOnline() {
      try {
        const res = await call(native().getNetworkType, {})
        return res.networkAvailable !== false && res.networkType !== 'NOTREACHABLE' && res.networkType !== 'none'
      } catch {
        return true
      }
    },
    onChange(callback) {
      const listener = (res: { isConnected?: boolean }) => callback(res.isConnected !== false)
      native().onNetworkStatusChange?.(listener)
      return () => native().offNetworkStatusChange?.(listener)
    },
  }
}
