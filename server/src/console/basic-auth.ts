import { createHash, timingSafeEqual } from 'node:crypto'
import type { ConsoleAuth } from '../config'

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/** True when an `Authorization: Basic ...` header carries exactly these credentials. */
export function checkBasicAuth(header: string | undefined, expected: ConsoleAuth): boolean {
  const match = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '')
  if (!match) return false
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return false
  // Compare digests so that neither the length nor the content leaks through timing.
  const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), digest(expected.user))
  const passwordOk = timingSafeEqual(digest(decoded.slice(colon + 1)), digest(expected.password))
  return userOk && passwordOk
}

export function basicAuthHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`
}
