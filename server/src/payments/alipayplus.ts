import type { KeyObject } from 'node:crypto'
import { contentToSign, isoTimeWithZone, parseSignatureHeader, signatureHeader, signContent, verifyContent } from './signature'
import type { CallOutcome, LookupLog, LookupOutcome, PaymentFacts, PaymentLookup } from './port'

/** The acquirer-side payment inquiry of the Alipay+ API (docs.alipayplus.com, "inquiryPayment", acquiring partners). */
export const INQUIRY_PATH = '/aps/api/v1/payments/inquiryPayment'

export interface AlipayPlusSettings {
  /** ALIPAYPLUS_API_BASE, e.g. https://open-sea-global.alipayplus.com (no trailing slash). */
  apiBase: string
  /** ALIPAYPLUS_CLIENT_ID: the client id Alipay+ assigned to us. */
  clientId: string
  /** Our private key (ALIPAYPLUS_PRIVATE_KEY or ALIPAYPLUS_PRIVATE_KEY_FILE). A secret: never logged. */
  privateKey: KeyObject
  /** Alipay+'s public key (ALIPAYPLUS_PUBLIC_KEY or ALIPAYPLUS_PUBLIC_KEY_FILE): every answer's signature is checked with it. */
  alipayPublicKey: KeyObject
  /** ALIPAYPLUS_KEY_VERSION: the keyVersion of the Signature header (the version of our key Alipay+ holds). */
  keyVersion: string
  /** ALIPAYPLUS_TIMEOUT_MS: each attempt's deadline. */
  timeoutMs: number
  /** ALIPAYPLUS_RETRIES: further attempts after a network error, a timeout, a 5xx or a U result. */
  retries: number
  /** How old a Response-Time may be (and how far ahead), in seconds. */
  maxClockSkewSeconds?: number
}

export interface AlipayPlusClientDeps {
  now?: () => Date
  /** Pause before attempt n (1-based retry number). Default: 300 ms × n. */
  pause?: (retry: number) => Promise<void>
  log?: LookupLog
  /** Each call's outcome (issue 24's metrics: "Alipay+ call outcome"). */
  onCall?: (outcome: CallOutcome) => void
  fetchImpl?: typeof fetch
}

/** Alipay+'s result codes that mean our request (configuration) is wrong: retrying cannot help. */
const REFUSED_CODES = new Set([
  'INVALID_SIGNATURE',
  'INVALID_CLIENT',
  'PARAM_ILLEGAL',
  'KEY_NOT_FOUND',
  'ACCESS_DENIED',
  'INVALID_API',
  'NO_INTERFACE_DEF',
  'API_INVALID',
  'MSG_PARSE_ERROR',
  'METHOD_NOT_SUPPORTED',
  'REPEAT_REQ_INCONSISTENT',
  'INVALID_CONTRACT',
])

interface ResultBlock {
  resultCode?: unknown
  resultStatus?: unknown
  resultMessage?: unknown
}

interface InquiryAnswer {
  result?: ResultBlock
  paymentResult?: ResultBlock
  paymentId?: unknown
  paymentTime?: unknown
  paymentAmount?: { value?: unknown; currency?: unknown }
  walletBrandName?: unknown
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null)

type Attempt = { final: LookupOutcome; outcome: CallOutcome } | { retry: true; outcome: CallOutcome; resultCode?: string }

/**
 * The Alipay+ client: each request signed with our key, each answer's signature checked with Alipay+'s key
 * before anything in it is believed. The private key is used only to sign; nothing logged names it.
 */
export function createAlipayPlusLookup(settings: AlipayPlusSettings, deps: AlipayPlusClientDeps = {}): PaymentLookup {
  const now = deps.now ?? (() => new Date())
  const pause = deps.pause ?? ((n: number) => new Promise<void>((resolve) => setTimeout(resolve, 300 * n)))
  const doFetch = deps.fetchImpl ?? fetch
  const skew = (settings.maxClockSkewSeconds ?? 300) * 1000
  const url = new URL(INQUIRY_PATH, settings.apiBase.endsWith('/') ? settings.apiBase : `${settings.apiBase}/`)
  // the path as sent (an API base with a path of its own keeps it)
  url.pathname = `${new URL(settings.apiBase).pathname.replace(/\/+$/, '')}${INQUIRY_PATH}`
  const signedPath = url.pathname

  async function attempt(paymentId: string, log?: LookupLog): Promise<Attempt> {
    const body = JSON.stringify({ paymentId })
    const requestTime = isoTimeWithZone(now())
    const signature = signContent(contentToSign('POST', signedPath, settings.clientId, requestTime, body), settings.privateKey)
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), settings.timeoutMs)
    let response: Response
    let text: string
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=UTF-8',
          'Client-Id': settings.clientId,
          'Request-Time': requestTime,
          Signature: signatureHeader(signature, settings.keyVersion),
        },
        body,
        signal: controller.signal,
      })
      text = await response.text()
    } catch (error) {
      const timedOut = controller.signal.aborted
      log?.(
        'warn',
        { alipayplus: 'inquiryPayment', outcome: timedOut ? 'timeout' : 'network_error' },
        timedOut ? `Alipay+ inquiryPayment: no answer within ${settings.timeoutMs} ms` : `Alipay+ inquiryPayment: ${(error as Error).message}`,
      )
      return { retry: true, outcome: timedOut ? 'timeout' : 'network_error' }
    } finally {
      clearTimeout(timer)
    }
    if (response.status >= 500) {
      log?.('warn', { alipayplus: 'inquiryPayment', outcome: 'http_error', status: response.status }, `Alipay+ inquiryPayment answered HTTP ${response.status}`)
      return { retry: true, outcome: 'http_error' }
    }
    // nothing in the answer is believed before its signature checks out
    const responseTime = response.headers.get('response-time') ?? ''
    const responseClient = response.headers.get('client-id') ?? ''
    const parsed = parseSignatureHeader(response.headers.get('signature'))
    const at = Date.parse(responseTime)
    const trusted =
      parsed !== null &&
      responseClient === settings.clientId &&
      Number.isFinite(at) &&
      Math.abs(at - now().getTime()) <= skew &&
      verifyContent(contentToSign('POST', signedPath, responseClient, responseTime, text), parsed.signature, settings.alipayPublicKey)
    if (!trusted) {
      log?.(
        'error',
        { alipayplus: 'inquiryPayment', outcome: 'bad_signature', status: response.status },
        'Alipay+ inquiryPayment: the answer is not signed with the Alipay+ public key configured (ALIPAYPLUS_PUBLIC_KEY); ignored',
      )
      return { final: { kind: 'unavailable', why: 'untrusted' }, outcome: 'bad_signature' }
    }
    let answer: InquiryAnswer
    try {
      answer = JSON.parse(text) as InquiryAnswer
    } catch {
      return { retry: true, outcome: 'http_error' }
    }
    const resultStatus = str(answer.result?.resultStatus)
    const resultCode = str(answer.result?.resultCode) ?? 'UNKNOWN'
    if (resultStatus === 'U' || !resultStatus) {
      log?.('warn', { alipayplus: 'inquiryPayment', outcome: 'result_unknown', resultCode }, `Alipay+ inquiryPayment: result unknown (${resultCode})`)
      return { retry: true, outcome: 'result_unknown', resultCode }
    }
    if (resultStatus === 'F') {
      if (resultCode === 'ORDER_NOT_EXIST') return { final: { kind: 'not_found' }, outcome: 'not_found' }
      const refused = REFUSED_CODES.has(resultCode)
      log?.(
        'error',
        { alipayplus: 'inquiryPayment', outcome: 'refused', resultCode },
        `Alipay+ inquiryPayment refused: ${resultCode} (${String(answer.result?.resultMessage ?? '')})`,
      )
      return { final: { kind: 'unavailable', why: refused ? 'refused' : 'retry', resultCode }, outcome: 'refused' }
    }
    const paymentStatus = str(answer.paymentResult?.resultStatus)
    const payment: PaymentFacts = {
      paymentId: str(answer.paymentId) ?? paymentId,
      status: paymentStatus === 'S' || paymentStatus === 'F' ? paymentStatus : 'U',
      resultCode: str(answer.paymentResult?.resultCode) ?? 'UNKNOWN',
      paymentTime: str(answer.paymentTime),
      amount:
        str(answer.paymentAmount?.value) && str(answer.paymentAmount?.currency)
          ? { value: String(answer.paymentAmount?.value), currency: String(answer.paymentAmount?.currency) }
          : null,
      walletBrandName: str(answer.walletBrandName),
    }
    return { final: { kind: 'found', payment }, outcome: 'success' }
  }

  return {
    checkedBy: 'ALIPAY_PLUS',
    describe: () => `Alipay+ ${settings.apiBase}, client id ${settings.clientId}, key version ${settings.keyVersion}`,
    async lookup(paymentId, context = {}): Promise<LookupOutcome> {
      let last: Attempt | undefined
      for (let n = 0; n <= settings.retries; n++) {
        if (n > 0) await pause(n)
        last = await attempt(paymentId, context.log ?? deps.log)
        deps.onCall?.(last.outcome)
        if ('final' in last) return last.final
      }
      const resultCode = last && 'resultCode' in last ? last.resultCode : undefined
      return { kind: 'unavailable', why: 'retry', ...(resultCode ? { resultCode } : {}) }
    },
  }
}
