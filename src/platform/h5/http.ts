import { TransportError, type HttpPort } from '../types'

/**
 * Requests made while the first screen is drawn (confirming the saved session, the ISO's settings) go out
 * once that frame has painted: starting them costs the browser several milliseconds, and answering them
 * occupies the server, both right when the page lays itself out. Later requests go at once.
 */
let firstFrame: Promise<void> | null = null
function afterFirstFrame(): Promise<void> {
  firstFrame ??= new Promise((resolve) => {
    // a page started in a background tab paints no frame: its requests go after 100 ms all the same
    const fallback = setTimeout(resolve, 100)
    if (typeof requestAnimationFrame !== 'function') return
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback)
        resolve()
      }, 0),
    )
  })
  return firstFrame
}

export function createH5Http(): HttpPort {
  return {
    async request({ url, method, headers = {}, body, timeoutMs }) {
      await afterFirstFrame()
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
