import type { ScannerPort } from '../types'
import { promptText } from './dialog'

/** The browser has no QR scanner: the person (or a browser test) types or pastes the code's content. */
export function createH5Scanner(): ScannerPort {
  return {
    scan(labels) {
      return promptText(labels)
    },
  }
}
