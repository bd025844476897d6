import { TransportError, type HttpPort } from '../types'

export function createH5Http(): HttpPort {
  return {
    async request({ url, method, headers = {}, body, timeoutMs }) {
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), timeoutMs)
      try {
        const res = await fetch(url, {
          method,
          headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: controller.signal,
        })
        const text = await res.text()
        let data: unknown = text
        try {
          data = text ? JSON.parse(text) : null
        } catch {
          // not JSON: keep the text
        }
        return { status: res.status, data }
      } catch (e) {
        if (controller.signal.aborted) throw new TransportError('timeout', 'request timed out')
        throw new TransportError('network', (e as Error)?.message ?? 'network error')
      } finally {
        clearTimeout(timer)
      }
    },
  }
}
