import type { SystemPort } from '../types'

export function createH5System(): SystemPort {
  return {
    language() {
      return typeof navigator !== 'undefined' ? (navigator.language ?? null) : null
    },
  }
}
