import { TransportError, type HttpPort } from '../types'
import { call, errorNumber, native, type DdFailure } from './native'

/**
 * dd.httpRequest (0517-send-network-requests.md, 0009-jsapi-http-request.md): `headers` (plural), the
 * answer's status in `status`. Its failures carry an error number and no documented `status`:
 * - 19 (an HTTP error status): the status and body are used when the client adds them (many do); without
 *   them it is a TransportError `http` (the API client signs in again once, since it may be a 401, then
 *   treats it as a server error);
 * - 4 (the URL is not a safe domain), 11 (no cross-domain permission) and 14 (the answer could not be
 *   decoded as `dataType` says): the app's settings are wrong: `configuration`, never retried, logged for
 *   the developer;
 * - 13: `timeout`; 12 and anything else: `network`.
 */
export function createDdHttp(): HttpPort {
  return {
    async request({ url, method, headers = {}, body, timeoutMs }) {
      const fn = native().httpRequest
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
        return { status: Number(res.status), data: parseMaybeJson(res.data) }
      } catch (e) {
        const err = e as DdFailure
        const status = Number(err?.status)
        if (Number.isInteger(status) && status > 0) return { status, data: parseMaybeJson(err.data) }
        throw httpFailure(err, url)
      }
    },
  }
}

/** The TransportError of a failure that says no status. */
function httpFailure(err: DdFailure, url: string): TransportError {
  const message = `dd.httpRequest error ${String(err?.error ?? '?')}: ${err?.errorMessage ?? err?.errMsg ?? ''}`
  switch (errorNumber(err)) {
    case 4:
    case 11:
    case 14:
      // for the developer: the domain of `url` is not on the app's safe-domain list, or the answer is not JSON
      console.error(`[posm] DingTalk refused a request because of the app's settings (${message}; ${url.replace(/\?.*$/, '')})`)
      return new TransportError('configuration', message)
    case 13:
      return new TransportError('timeout', message)
    case 19:
      return new TransportError('http', message)
    default:
      return new TransportError('network', message)
  }
}

export function parseMaybeJson(data: unknown): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data)
  } catch {
    return data
  }
}
