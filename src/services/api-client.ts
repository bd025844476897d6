/**
 * The HTTP client of the workspace API: typed by the contract in packages/contract/api.ts, with timeouts, retry with
 * backoff for network errors and 5xx on idempotent calls, errors mapped to error codes the app
 * translates, and one re-sign-in when the session has expired. Every call carries the working language
 * (LOCALE_HEADER).
 */
import type { Endpoints, EndpointKey } from '../../packages/contract/api'
import { isErrorCode, type ErrorCode } from '../../packages/contract/errors'
import { DeviceError, TransportError, type HttpPort, type TransportErrorKind, type UploadPort } from '../platform/types'
import type { UploadView } from '../../packages/contract/promotion'

/** The header that tells the server the working language. */
export const LOCALE_HEADER = 'X-Workspace-Locale'

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    public fields?: Partial<Record<string, ErrorCode>>,
    /** RATE_LIMITED: how long the server asked to wait (its Retry-After, also sent in the body). */
    readonly retryAfterMs?: number,
    /** The server's id of the request that failed (`error.requestId`), shown under the message for staff to quote. */
    readonly requestId?: string,
  ) {
    super(code)
    this.name = 'ApiError'
  }
}

export interface ApiClientOptions {
  http: HttpPort
  /** Multipart uploads (photos). */
  uploader?: UploadPort
  baseUrl: string
  /** The current session token, if any. */
  token: () => string | null
  /** The working language, sent with every call (the server writes work notifications in it). */
  locale?: () => string
  /** Signs in again after the server said the session expired; answers whether it worked. */
  reauthenticate?: () => Promise<boolean>
  timeoutMs?: number
  /** Delays between attempts of an idempotent call. */
  retryDelaysMs?: number[]
  sleep?: (ms: number) => Promise<void>
}

type Body<K extends EndpointKey> = Endpoints[K]['body']
type Response<K extends EndpointKey> = Endpoints[K]['response']

export class ApiClient {
  private readonly timeoutMs: number
  private readonly retryDelaysMs: number[]
  private readonly sleep: (ms: number) => Promise<void>

  constructor(private readonly options: ApiClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 15000
    this.retryDelaysMs = options.retryDelaysMs ?? [400, 1200, 3000]
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
  }

  /** Calls an endpoint; `params` fill `:name` segments of its path. */
  async call<K extends EndpointKey>(
    key: K,
    ...[body, params]: Body<K> extends undefined ? [undefined?, Record<string, string>?] : [Body<K>, Record<string, string>?]
  ): Promise<Response<K>> {
    const [method, pathTemplate] = key.split(' ') as ['GET' | 'POST', string]
    const used = new Set<string>()
    let path = pathTemplate.replace(/:(\w+)/g, (_, name: string) => {
      used.add(name)
      return encodeURIComponent(params?.[name] ?? '')
    })
    // the other parameters of a GET go in its query string
    const query = Object.entries(params ?? {}).filter(([k]) => !used.has(k))
    if (method === 'GET' && query.length > 0) path += `?${query.map(([k, val]) => `${encodeURIComponent(k)}=${encodeURIComponent(val)}`).join('&')}`
    const idempotent = method === 'GET'
    let reauthenticated = false
    for (let attempt = 0; ; attempt++) {
      const sent = this.options.token()
      try {
        return (await this.once(method, path, body)) as Response<K>
      } catch (error) {
        if (this.mayBeExpired(error) && !reauthenticated && !key.startsWith('POST /api/auth/')) {
          reauthenticated = true
          // the call again with the new session: not one of the retries
          if (await this.renew(sent)) {
            attempt--
            continue
          }
        }
        if (isRetryable(error) && idempotent && attempt < this.retryDelaysMs.length) {
          await this.sleep(this.retryDelaysMs[attempt])
          continue
        }
        throw toApiError(error)
      }
    }
  }

  /** The address and headers of a resource that needs the session (an image on the server). */
  authorized(path: string): { url: string; headers: Record<string, string> } {
    return { url: `${this.options.baseUrl}${path}`, headers: this.headers() }
  }

  /**
   * The server said the session expired, or answered an HTTP error whose status the host did not pass on
   * (DingTalk's error 19 promises none): it may be a 401, so a signed-in call signs in again once.
   */
  private mayBeExpired(error: unknown): boolean {
    if (error instanceof ApiError) return error.code === 'SESSION_EXPIRED' || error.code === 'UNAUTHORIZED'
    return error instanceof TransportError && error.kind === 'http' && this.options.token() !== null
  }

  /**
   * A new session for a call refused with the token `sent`. When another call signed in again while this one
   * was under way, the call is repeated with that session: one expiry, one DingTalk sign-in (each
   * dd.getAuthCode is a code to spend, and the calls a page makes at once all meet the same expiry).
   */
  private async renew(sent: string | null): Promise<boolean> {
    const current = this.options.token()
    if (current !== null && current !== sent) return true
    return this.options.reauthenticate ? this.options.reauthenticate() : false
  }

  /** The session's token and the working language. */
  private headers(): Record<string, string> {
    const token = this.options.token()
    const locale = this.options.locale?.()
    return { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(locale ? { [LOCALE_HEADER]: locale } : {}) }
  }

  /**
   * Uploads a photo (multipart field `file`) with its capture metadata. Not repeated by itself: the
   * outbox decides when to try again. The server answers the same upload for the same content.
   */
  async upload(filePath: string, fields: Record<string, string>): Promise<UploadView> {
    const uploader = this.options.uploader
    if (!uploader) throw new ApiError('SERVER', 0)
    let reauthenticated = false
    for (;;) {
      const sent = this.options.token()
      try {
        const res = await uploader.upload({
          url: `${this.options.baseUrl}/api/uploads`,
          filePath,
          name: 'file',
          headers: this.headers(),
          formData: fields,
        })
        if (res.status >= 200 && res.status < 300) return res.data as UploadView
        throw errorFromResponse(res.status, res.data)
      } catch (error) {
        if (this.mayBeExpired(error) && !reauthenticated) {
          reauthenticated = true
          if (await this.renew(sent)) continue
        }
        throw toApiError(error)
      }
    }
  }

  private async once(method: 'GET' | 'POST', path: string, body: unknown): Promise<unknown> {
    const res = await this.options.http.request({
      url: `${this.options.baseUrl}${path}`,
      method,
      headers: this.headers(),
      body: method === 'POST' ? (body ?? {}) : undefined,
      timeoutMs: this.timeoutMs,
    })
    if (res.status >= 200 && res.status < 300) return res.data
    throw errorFromResponse(res.status, res.data)
  }
}

function errorFromResponse(status: number, data: unknown): ApiError {
  const error = (data as { error?: { code?: unknown; fields?: Record<string, unknown>; retryAfterSeconds?: unknown; requestId?: unknown } } | null)?.error
  // 408 and 429 say "not now": the outbox tries again later (after the wait a 429 asks for)
  const code: ErrorCode = isErrorCode(error?.code)
    ? error.code
    : status === 408
      ? 'TIMEOUT'
      : status === 429
        ? 'RATE_LIMITED'
        : status >= 500
          ? 'SERVER'
          : status === 401
            ? 'UNAUTHORIZED'
            : status === 403
              ? 'FORBIDDEN'
              : status === 404
                ? 'NOT_FOUND'
                : 'VALIDATION_FAILED'
  let fields: Partial<Record<string, ErrorCode>> | undefined
  if (error?.fields && typeof error.fields === 'object') {
    fields = {}
    for (const [k, val] of Object.entries(error.fields)) fields[k] = isErrorCode(val) ? val : 'VALIDATION_FAILED'
  }
  const wait = error?.retryAfterSeconds
  const retryAfterMs = typeof wait === 'number' && Number.isFinite(wait) && wait > 0 ? Math.min(wait, 3600) * 1000 : status === 429 ? 60_000 : undefined
  return new ApiError(code, status, fields, retryAfterMs, requestIdFrom(error?.requestId))
}

/** A request id as the server writes them (a UUID, or a load balancer's id); anything else is not shown. */
function requestIdFrom(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:=-]{0,127}$/.test(value) ? value : undefined
}

/** The request id of a failure the server answered, for staff to quote; null for the device's and the network's failures. */
export function requestIdOf(error: unknown): string | null {
  return error instanceof ApiError ? (error.requestId ?? null) : null
}

/** Nothing came back, or an HTTP error of unknown status, or a 5xx: an idempotent call may try again. */
function isRetryable(error: unknown): boolean {
  if (error instanceof TransportError) return error.kind === 'network' || error.kind === 'timeout' || error.kind === 'http'
  return error instanceof ApiError && error.status >= 500
}

/** What the host's transport failures and the device's failures mean to the person (`error.<code>`). */
const TRANSPORT_CODES: Record<TransportErrorKind, ErrorCode> = {
  network: 'NETWORK',
  timeout: 'TIMEOUT',
  // an HTTP error whose status the host did not pass on: a server error (after one fresh sign-in)
  http: 'SERVER',
  configuration: 'CONFIGURATION',
  'file-missing': 'PHOTO_LOST',
  'file-permission': 'PHOTO_LOST',
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof TransportError) return new ApiError(TRANSPORT_CODES[error.kind] ?? 'NETWORK', 0)
  if (error instanceof DeviceError) return new ApiError(error.code, 0)
  return new ApiError('SERVER', 0)
}
