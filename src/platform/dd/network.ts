import type { NetworkPort } from '../types'
import { call, canIUse, native } from './native'

/** How often the network type is asked when the client cannot tell changes. */
export const NETWORK_POLL_MS = 5000

/**
 * dd.getNetworkType (0638-dd-getnetworktype.md, 0364-jsapi-get-network-type.md): `networkAvailable`, and
 * `networkType` NOTREACHABLE when offline. dd.onNetworkStatusChange is not in DingTalk's documents: it is
 * used only when dd.canIUse says the client has it; otherwise the network type is asked every few seconds
 * (only while someone listens), so that the outbox learns that the network came back.
 */
export function createDdNetwork(): NetworkPort {
  const isOnline = async () => {
    try {
      const res = await call(native().getNetworkType, {})
      return res.networkAvailable !== false && res.networkType !== 'NOTREACHABLE' && res.networkType !== 'none'
    } catch {
      return true
    }
  }
  return {
    isOnline,
    onChange(callback) {
      const dd = native()
      if (canIUse('onNetworkStatusChange') && dd.onNetworkStatusChange) {
        const listener = (res: { isConnected?: boolean; networkAvailable?: boolean }) => callback(res.isConnected !== false && res.networkAvailable !== false)
        dd.onNetworkStatusChange(listener)
        return () => dd.offNetworkStatusChange?.(listener)
      }
      let last: boolean | null = null
      let stopped = false
      const poll = async () => {
        const online = await isOnline()
        if (stopped) return
        if (last !== null && online !== last) callback(online)
        last = online
        timer = setTimeout(() => void poll(), NETWORK_POLL_MS)
      }
      let timer: ReturnType<typeof setTimeout> = setTimeout(() => void poll(), 0)
      return () => {
        stopped = true
        clearTimeout(timer)
      }
    },
  }
}
