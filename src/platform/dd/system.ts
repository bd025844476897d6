import type { SystemPort } from '../types'
import { native } from './native'

export function createDdSystem(): SystemPort {
  return {
    language() {
      try {
        return native().getSystemInfoSync?.().language ?? null
      } catch {
        return null
      }
    },
  }
}
