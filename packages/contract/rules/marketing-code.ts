/**
 * Alipay+ Marketing Codes as the program prints them. Which QR payloads are Marketing Codes is configuration of
 * the server (MARKETING_CODE_URL_PATTERNS, MARKETING_CODE_PATTERN; README "Marketing Codes as printed"),
 * delivered to the app with the session: the app reads a scan with the same format the server checks it with.
 */
export interface MarketingCodeFormat {
  /**
   * The addresses a printed code carries, each with `{code}` once where the code stands and `*` for any run of
   * characters other than spaces (e.g. `https://qr.example.com/mc/{code}`, `https://qr.example.com/m?c={code}&*`).
   * Scheme and host compare without regard to case (QR codes often print addresses in capitals).
   */
  urlPatterns: string[]
  /** The code itself, a regular expression matched whole (e.g. `APMC[0-9A-Z]{10}`); a scan of the bare code counts too. */
  codePattern: string
}

/** What a scanned QR code is: a Marketing Code, or what else it is (said to the staff member in their language). */
export type ScannedKind = 'MARKETING_CODE' | 'PAYMENT_QR' | 'WEB_LINK' | 'TEXT'

/** Longest scan read (the API refuses longer ones). */
export const MAX_SCANNED_LENGTH = 200

export interface MarketingCodeReader {
  readonly format: MarketingCodeFormat
  /** The code a scanned QR carries (a configured address or the bare code), or null when it is something else. */
  read(scanned: string): string | null
  /** What a scanned QR is. */
  classify(scanned: string): ScannedKind
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** Why a format cannot be used (a sentence naming the setting), or null. */
export function marketingCodeFormatProblem(format: MarketingCodeFormat): string | null {
  const pattern = format.codePattern
  if (!pattern || pattern.length > 200) return 'MARKETING_CODE_PATTERN must be a regular expression of at most 200 characters, e.g. APMC[0-9A-Z]{10}'
  let code: RegExp
  try {
    code = new RegExp(`^(?:${pattern})$`)
  } catch {
    return `MARKETING_CODE_PATTERN is not a valid regular expression (got "${pattern}")`
  }
  if (code.test('')) return `MARKETING_CODE_PATTERN must not match an empty text (got "${pattern}")`
  if (format.urlPatterns.length === 0) return 'MARKETING_CODE_URL_PATTERNS must list at least one address, e.g. https://qr.example.com/mc/{code}'
  for (const url of format.urlPatterns) {
    if (url.split('{code}').length !== 2) return `MARKETING_CODE_URL_PATTERNS: each address holds {code} exactly once (got "${url}")`
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(url))
      return `MARKETING_CODE_URL_PATTERNS: each entry is an address such as https://qr.example.com/mc/{code} (got "${url}")`
  }
  return null
}

/** An address pattern as a regular expression: group 1 is where the code stands. */
function addressRegExp(url: string, codePattern: string): RegExp {
  const [before, after] = url.split('{code}')
  const part = (s: string) => s.split('*').map(escapeRegExp).join('\\S*')
  return new RegExp(`^${part(before)}(${codePattern})${part(after)}$`, 'i')
}

/**
 * A payment QR code (not a Marketing Code): an EMVCo merchant-presented payload (`000201`…`6304` and its CRC:
 * QRIS, DuitNow, PayNow, PromptPay, VietQR and the Alipay+ codes of merchants), an Alipay or WeChat Pay payment
 * address, or a wallet's user-presented payment code (16 to 24 digits beginning 25 to 30).
 */
function isPaymentQr(text: string): boolean {
  if (/^000201[\s\S]*6304[0-9A-Fa-f]{4}$/.test(text)) return true
  if (/^(alipays?|alipayqr|wxp|weixin):/i.test(text)) return true
  if (/^https?:\/\/qr\.alipay\.com\//i.test(text)) return true
  return /^(2[5-9]|30)\d{14,22}$/.test(text)
}

function isWebLink(text: string): boolean {
  return /^(https?:\/\/|www\.)\S+$/i.test(text)
}

/** The reader of a format (its problem, if any, is refused when the configuration is loaded). */
export function marketingCodeReader(format: MarketingCodeFormat): MarketingCodeReader {
  let code = /(?!)/
  let addresses: RegExp[] = []
  try {
    code = new RegExp(`^(?:${format.codePattern})$`)
    addresses = format.urlPatterns.map((url) => addressRegExp(url, format.codePattern))
  } catch {
    // a pattern this JavaScript engine cannot compile (the server checked it with its own): nothing is read as a code
    code = /(?!)/
    addresses = []
  }
  const read = (scanned: string): string | null => {
    const text = scanned.trim()
    if (text.length === 0 || text.length > MAX_SCANNED_LENGTH) return null
    if (code.test(text)) return text
    for (const address of addresses) {
      const match = address.exec(text)
      // the address compares without case; the code itself as the pattern says
      if (match && code.test(match[1])) return match[1]
    }
    return null
  }
  return {
    format,
    read,
    classify(scanned: string): ScannedKind {
      const text = scanned.trim()
      if (read(text) !== null) return 'MARKETING_CODE'
      if (isPaymentQr(text)) return 'PAYMENT_QR'
      if (isWebLink(text)) return 'WEB_LINK'
      return 'TEXT'
    },
  }
}

/** The error code that says what a scanned QR is when it is not a Marketing Code (each translated). */
export const NOT_A_MARKETING_CODE = {
  PAYMENT_QR: 'CODE_IS_PAYMENT_QR',
  WEB_LINK: 'CODE_IS_WEB_LINK',
  TEXT: 'CODE_IS_TEXT',
} as const satisfies Record<Exclude<ScannedKind, 'MARKETING_CODE'>, string>

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
