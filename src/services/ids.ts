/** A unique enough id for drafts and idempotency keys (time + randomness; no crypto API on every engine). */
export function newId(prefix = ''): string {
  const rand = Array.from({ length: 3 }, () => Math.random().toString(36).slice(2, 8)).join('')
  return `${prefix}${Date.now().toString(36)}${rand}`
}
