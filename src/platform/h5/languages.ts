import type { LanguagesPort } from '../types'

/**
 * The other working languages come as a chunk of their own: fetched when one is used, and otherwise once
 * the browser is idle after start-up, so that a change of language applies at once.
 */
export function createH5Languages(): LanguagesPort {
  let loading: Promise<void> | null = null
  const load = () => {
    loading ??= import('../../i18n/sections/core').then(
      () => undefined,
      (error: unknown) => {
        // a failed fetch (offline) is tried again the next time
        loading = null
        throw error
      },
    )
    return loading
  }
  if (typeof window !== 'undefined' && typeof document !== 'undefined') {
    const prefetch = () => void load().catch(() => undefined)
    const whenIdle = () => (typeof window.requestIdleCallback === 'function' ? window.requestIdleCallback(prefetch, { timeout: 3000 }) : window.setTimeout(prefetch, 500))
    if (document.readyState === 'complete') whenIdle()
    else window.addEventListener('load', whenIdle, { once: true })
  }
  return { load }
}
