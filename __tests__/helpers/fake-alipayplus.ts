/**
 * A fake of the Alipay+ API's acquirer-side payment inquiry on a loopback port, for the tests (issue 25, item 4).
 *
 * POST /aps/api/v1/payments/inquiryPayment, body { paymentId } (or { paymentRequestId }), headers Client-Id,
 * Request-Time (ISO 8601 with a time zone) and Signature: algorithm=RSA256,keyVersion=…,signature=<URL-encoded
 * base64>, the signature SHA256withRSA over `POST <path>\n<Client-Id>.<Request-Time>.<body>` checked with OUR
 * public key, as documented (docs.alipayplus.com, "Signature"). Refusals, with HTTP 200 and result F as the API
 * answers them: an unknown Client-Id → INVALID_CLIENT; a signature that does not verify → INVALID_SIGNATURE; a
 * Request-Time missing, without a time zone or older/newer than `maxSkewSeconds` → PARAM_ILLEGAL; neither id in
 * the body → PARAM_ILLEGAL.
 *
 * Answers are signed with the fake's OWN key (`publicKeyPem` is what our server is configured with as the
 * Alipay+ public key): headers Client-Id, Response-Time and Signature over `POST <path>\n<Client-Id>.<Response-Time>.<body>`.
 *
 * What a payment answers is scripted per paymentId: success, closed (ORDER_IS_CLOSED), in process then success
 * (PAYMENT_IN_PROCESS for the first `inProcessFor` inquiries), unknown (result U, UNKNOWN_EXCEPTION), a 5xx, a
 * hang (never answers), a badly signed answer. An unscripted id → result F ORDER_NOT_EXIST.
 *
 * The pages it follows (docs.alipayplus.com itself cannot be reached from the machines this was written on; see the
 * README's "What could not be verified against the real Alipay+ service"):
 * - the signature: Alipay+ developer guide, "Sign a request and validate the signature",
 *   https://asap-docs.alipayplus.com/asap/guide/developer_guide/validate_signature (RSA 2048, SHA256withRSA over
 *   `<method> <path>\n<Client-Id>.<Request-Time>.<body>`, the Signature header's algorithm/keyVersion/signature);
 * - the inquiry's fields in the APS format: https://docs.antom.com/ac/amsapi/inquiryPayment (AlipayHK's APS
 *   `inquiryPayment`: `result`, `paymentResult`, `paymentId`, `paymentTime`, `paymentAmount {value, currency}`), and
 *   "Query flow", https://docs.antom.com/ac/amsapi/queryflow (other Alipay+ wallets answer the same APS format);
 * - the result codes: the reading of "inquiryPayment" for acquiring partners (ORDER_NOT_EXIST,
 *   ORDER_IS_CLOSED, PAYMENT_IN_PROCESS, UNKNOWN_EXCEPTION, INVALID_SIGNATURE, INVALID_CLIENT, PARAM_ILLEGAL).
 * Antom's AMS `/v1/payments/inquiryPayment` (with `paymentStatus`) is another API family: not imitated.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  contentToSign,
  isoTimeWithZone,
  parseSignatureHeader,
  parseTimeWithZone,
  signatureHeader,
  signContent,
  verifyContent,
} from '../../server/src/payments/signature'
import type { AlipayPlusSettings } from '../../server/src/payments/alipayplus'

export type FakePaymentBehaviour = 'success' | 'closed' | 'in-process-then-success' | 'unknown' | '5xx' | 'hang' | 'bad-signature'

export interface FakePayment {
  behaviour: FakePaymentBehaviour
  /** ISO 8601; default: when scripted. */
  paymentTime?: string
  amount?: { value: string; currency: string }
  walletBrandName?: string
  /** in-process-then-success: how many inquiries answer PAYMENT_IN_PROCESS first (default 1). */
  inProcessFor?: number
}

export interface FakeInquiry {
  clientId: string
  requestTime: string
  body: string
  /** The result code the fake answered (SUCCESS, INVALID_SIGNATURE, …) or the fault. */
  answered: string
}

export interface FakeAlipayPlusOptions {
  /** The client id the fake knows (ours). */
  clientId: string
  /** Our public key: the fake checks our requests' signatures with it. */
  clientPublicKey: KeyObject | string
  maxSkewSeconds?: number
  now?: () => Date
}

export const INQUIRY_PATH = '/aps/api/v1/payments/inquiryPayment'

/** A 2048-bit RSA key pair in PEM (the size Alipay+ asks for). */
export function rsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  }
}

export class FakeAlipayPlus {
  readonly payments = new Map<string, FakePayment & { asked: number }>()
  readonly inquiries: FakeInquiry[] = []
  readonly privateKeyPem: string
  readonly publicKeyPem: string
  /** A key that is not the fake's, for the badly signed answers. */
  private readonly otherKeyPem: string
  private server: http.Server | null = null
  private readonly hanging = new Set<http.ServerResponse>()
  private baseUrl = ''

  constructor(private readonly options: FakeAlipayPlusOptions) {
    const own = rsaKeyPair()
    this.privateKeyPem = own.privateKeyPem
    this.publicKeyPem = own.publicKeyPem
    this.otherKeyPem = rsaKeyPair().privateKeyPem
  }

  get url(): string {
    return this.baseUrl
  }

  /**
   * The server's payment options for talking to this fake (buildApp's `payments`): PAYMENT_VERIFICATION=alipayplus
   * with the fake's address, `ours` as our key pair (the fake knows its public half), the fake's public key as
   * Alipay+'s, key version 1; retries without pauses.
   */
  serverPayments(
    ours: { privateKeyPem: string },
    options: { retries?: number; timeoutMs?: number; windowMinutes?: number } = {},
  ): {
    settings: { mode: 'alipayplus'; alipayPlus: AlipayPlusSettings }
    windowMinutes?: number
    client: { pause: () => Promise<void> }
  } {
    return {
      settings: {
        mode: 'alipayplus',
        alipayPlus: {
          apiBase: this.url,
          clientId: this.options.clientId,
          privateKey: createPrivateKey(ours.privateKeyPem),
          alipayPublicKey: createPublicKey(this.publicKeyPem),
          keyVersion: '1',
          timeoutMs: options.timeoutMs ?? 3000,
          retries: options.retries ?? 1,
        },
      },
      ...(options.windowMinutes !== undefined ? { windowMinutes: options.windowMinutes } : {}),
      client: { pause: () => Promise.resolve() },
    }
  }

  /** Scripts what an inquiry about `paymentId` answers. */
  script(paymentId: string, payment: FakePayment): void {
    this.payments.set(paymentId, { paymentTime: isoTimeWithZone(this.now()), ...payment, asked: 0 })
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date()
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')))
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this.baseUrl
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy()
    this.hanging.clear()
    if (this.server) {
      this.server.closeAllConnections()
      await new Promise<void>((resolve) => this.server!.close(() => resolve()))
    }
  }

  private answer(res: http.ServerResponse, path: string, payload: unknown, signWith: string = this.privateKeyPem): void {
    const body = JSON.stringify(payload)
    const responseTime = isoTimeWithZone(this.now())
    const signature = signContent(contentToSign('POST', path, this.options.clientId, responseTime, body), signWith)
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=UTF-8',
      'Client-Id': this.options.clientId,
      'Response-Time': responseTime,
      Signature: signatureHeader(signature, '1'),
    })
    res.end(body)
  }

  private refuse(res: http.ServerResponse, path: string, resultCode: string, message: string): void {
    this.answer(res, path, { result: { resultCode, resultStatus: 'F', resultMessage: message } })
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const path = (req.url ?? '').split('?')[0]
    const clientId = String(req.headers['client-id'] ?? '')
    const requestTime = String(req.headers['request-time'] ?? '')
    const record = (answered: string) => this.inquiries.push({ clientId, requestTime, body, answered })
    if (req.method !== 'POST' || path !== INQUIRY_PATH) {
      record('404')
      res.writeHead(404).end()
      return
    }
    if (clientId !== this.options.clientId) {
      record('INVALID_CLIENT')
      return this.refuse(res, path, 'INVALID_CLIENT', 'The client id is invalid.')
    }
    const at = parseTimeWithZone(requestTime)
    if (!at || Math.abs(at.getTime() - this.now().getTime()) > (this.options.maxSkewSeconds ?? 300) * 1000) {
      record('PARAM_ILLEGAL')
      return this.refuse(res, path, 'PARAM_ILLEGAL', 'Request-Time is missing, has no time zone, or is too far from now.')
    }
    const parsed = parseSignatureHeader(String(req.headers.signature ?? ''))
    if (
      !parsed ||
      parsed.algorithm !== 'RSA256' ||
      !verifyContent(contentToSign('POST', path, clientId, requestTime, body), parsed.signature, this.options.clientPublicKey)
    ) {
      record('INVALID_SIGNATURE')
      return this.refuse(res, path, 'INVALID_SIGNATURE', 'The signature is invalid.')
    }
    let request: { paymentId?: unknown; paymentRequestId?: unknown }
    try {
      request = JSON.parse(body) as typeof request
    } catch {
      record('PARAM_ILLEGAL')
      return this.refuse(res, path, 'PARAM_ILLEGAL', 'The body is not JSON.')
    }
    const id = typeof request.paymentId === 'string' ? request.paymentId : typeof request.paymentRequestId === 'string' ? request.paymentRequestId : null
    if (!id) {
      record('PARAM_ILLEGAL')
      return this.refuse(res, path, 'PARAM_ILLEGAL', 'paymentId or paymentRequestId is required.')
    }
    const payment = this.payments.get(id)
    if (!payment) {
      record('ORDER_NOT_EXIST')
      return this.refuse(res, path, 'ORDER_NOT_EXIST', 'The order does not exist.')
    }
    payment.asked += 1
    switch (payment.behaviour) {
      case '5xx':
        record('5xx')
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('Service Unavailable')
        return
      case 'hang':
        record('hang')
        this.hanging.add(res)
        return
      case 'unknown':
        record('UNKNOWN_EXCEPTION')
        return this.answer(res, path, {
          result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U', resultMessage: 'An API calling is failed, which is caused by unknown reasons.' },
        })
    }
    const inProcess = payment.behaviour === 'in-process-then-success' && payment.asked <= (payment.inProcessFor ?? 1)
    const paymentResult =
      payment.behaviour === 'closed'
        ? { resultCode: 'ORDER_IS_CLOSED', resultStatus: 'F', resultMessage: 'The order is closed.' }
        : inProcess
          ? { resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U', resultMessage: 'The payment is being processed.' }
          : { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'Success' }
    const answer = {
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'Success' },
      paymentResult,
      paymentId: id,
      paymentRequestId: `req-${id}`,
      ...(paymentResult.resultStatus === 'S' ? { paymentTime: payment.paymentTime } : {}),
      paymentAmount: payment.amount ?? { value: '100', currency: 'MYR' },
      walletBrandName: payment.walletBrandName ?? 'Touch n Go eWallet',
    }
    record(payment.behaviour === 'bad-signature' ? 'bad-signature' : paymentResult.resultCode)
    this.answer(res, path, answer, payment.behaviour === 'bad-signature' ? this.otherKeyPem : this.privateKeyPem)
  }
}
