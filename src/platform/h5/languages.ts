import type { LanguagesPort } from '../types'

/**
 * The other working languages come as a chunk of their own: fetched when one is used, and otherwise soon
 * after start-up (see below), so that a change of language applies at once.
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
    // not during start-up: at the first touch or key (well before a language can be chosen), else a few
    // seconds after the page has loaded, when the browser is idle
    const EVENTS = ['pointerdown', 'keydown'] as const
    let timer: ReturnType<typeof setTimeout> | undefined
    const prefetch = () => {
      clearTimeout(timer)
      for (const type of EVENTS) window.removeEventListener(type, prefetch, true)
      void load().catch(() => undefined)
    }
    for (const type of EVENTS) window.addEventListener(type, prefetch, { capture: true, passive: true })
    const later = () => {
      timer = setTimeout(() => (typeof window.requestIdleCallback === 'function' ? window.requestIdleCallback(prefetch, { timeout: 2000 }) : prefetch()), 2000)
    }
    if (document.readyState === 'complete') later()
    else window.addEventListener('load', later, { once: true })
  }
  return { load }
}
