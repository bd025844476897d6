import { DeviceError, type ScannerPort } from '../types'
import { call, errorNumber, native, type DdFailure } from './native'

/**
 * dd.scan (0726-mini-program-jsapi-sweep-code.md, 0406-jsapi-scan.md): error 10 is the person cancelling
 * (answered as null, silently), error 11 a failed scan (DeviceError SCAN_FAILED, which the caller shows),
 * as is any other failure. The result's `code` is read first (the mini-program page); `qrCode`/`barCode`
 * (the same page) and `text` (the page's newer example) after it.
 */
export function createDdScanner(): ScannerPort {
  return {
    async scan() {
      try {
        const res = await call(native().scan, { type: 'qr' })
        const text = res.code ?? res.qrCode ?? res.barCode ?? res.text ?? ''
        return text || null
      } catch (e) {
        const err = e as DdFailure
        if (errorNumber(err) === 10) return null
        throw new DeviceError('SCAN_FAILED', `dd.scan failed: ${String(err?.error ?? '')} ${err?.errorMessage ?? ''}`.trim())
      }
    },
  }
}
