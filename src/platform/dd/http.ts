import { TransportError, type HttpPort } from '../types'
import { call, native, type DdFailure } from './native'

/** dd.httpRequest: `headers` (plural), status in `status`; HTTP errors arrive through `fail` with error 19. */
export function createDdHttp(): HttpPort {
  return {
    async request({ url, method, headers = {}, body, timeoutMs }) {
      const dd = native()
      const fn = dd.httpRequest ?? dd.request
      if (!fn) throw new TransportError('network', 'dd.httpRequest is not available')
      try {
        const res = await call(fn, {
          url,
          method,
          headers: { 'Content-Type': 'application/json', ...headers },
          data: body === undefined ? undefined : JSON.stringify(body),
          timeout: timeoutMs,
          dataType: 'json',
        })
        return { status: res.status, data: res.data }
      } catch (e) {
        const err = e as DdFailure
        if (typeof err?.status === 'number' && err.status > 0) {
          return { status: err.status, data: parseMaybeJson(err.data) }
        }
        if (err?.error === 13) throw new TransportError('timeout', err.errorMessage ?? 'timeout')
        throw new TransportError('network', err?.errorMessage ?? err?.errMsg ?? 'network error')
      }
    },
  }
}

function parseMaybeJson(data: unknown): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data)
  } catch {
    return data
  }
}
