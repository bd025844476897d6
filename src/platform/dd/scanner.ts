import type { ScannerPort } from '../types'
import { call, isCancel, native, type DdFailure } from './native'

/** dd.scan answers `text` on DingTalk and `code` on other Alipay-family clients. */
export function createDdScanner(): ScannerPort {
  return {
    async scan() {
      try {
        const res = await call(native().scan, { type: 'qr' })
        const text = res.text ?? res.code ?? res.qrCode ?? ''
        return text || null
      } catch (e) {
        if (isCancel(e as DdFailure)) return null
        throw e
      }
    },
  }
}
