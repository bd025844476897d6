import type { ClipboardPort } from '../types'

/** The browser's asynchronous Clipboard API (secure contexts: https or localhost); refused elsewhere. */
export function createH5Clipboard(): ClipboardPort {
  return {
    async copy(text) {
      const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined
      if (!clipboard?.writeText) throw new Error('no clipboard in this browser')
      await clipboard.writeText(text)
    },
  }
}
