/**
 * Alipay+ Marketing Codes. The QR printed on the material carries
 * `https://marketing.alipayplus.example/mc/<code>` where the code is `APMC` and 10 digits or capital
 * letters (the local server's documented form; the real host and format are configuration of the back end).
 */
export const MARKETING_CODE_PATTERN = /^https:\/\/marketing\.alipayplus\.example\/mc\/(APMC[0-9A-Z]{10})$/

/** The code carried by a scanned Alipay+ Marketing Code, or null when the QR is something else. */
export function parseMarketingCode(scanned: string): string | null {
  const text = scanned.trim()
  if (/^APMC[0-9A-Z]{10}$/.test(text)) return text
  const match = MARKETING_CODE_PATTERN.exec(text)
  return match ? match[1] : null
}

/** The codes that occur more than once in a list (a code binds to one spot only). */
export function duplicateCodes(codes: Array<string | null | undefined>): string[] {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const code of codes) {
    if (!code) continue
    if (seen.has(code)) dup.add(code)
    seen.add(code)
  }
  return [...dup]
}
