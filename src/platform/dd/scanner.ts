import type { ScannerPort } from '../types'
import { call, isCancel, native, type DdFailure } from './native'

/**
 * The mini-program's dd.scan documents its result as `code`, and that is read first. `text` (the field of
 * DingTalk's H5 JSAPI, dd.biz.util.scan) and `qrCode` (an alias some Alipay-family clients add) are not
 * documented for dd.scan; they are still read after it, in case a client version answers that way.
 */
export function createDdScanner(): ScannerPort {
  return {
    async scan() {
      try {
        const res = await call(native().scan, { type: 'qr' })
        const text = res.code ?? res.text ?? res.qrCode ?? ''
        return text || null
      } catch (e) {
        if (isCancel(e as DdFailure)) return null
        throw e
      }
    },
  }
}
