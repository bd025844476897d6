/**
 * The DingTalk server API client (an internal app of the organisation), following DingTalk's documentation:
 * - access token: GET /gettoken?appkey&appsecret → { errcode, access_token, expires_in: 7200 }. Cached and
 *   renewed a few minutes before it expires, one renewal at a time however many calls wait, and renewed once
 *   more when a call answers that the token is invalid (40014) or expired (42001).
 * - POST /topapi/v2/user/getuserinfo?access_token { code } → { result: { userid, … } }
 * - POST /topapi/v2/user/get?access_token { userid, language } → { result: { name, state_code, mobile, dept_id_list, … } }
 * - POST /topapi/message/corpconversation/asyncsend_v2?access_token { agent_id, userid_list, msg } → { task_id }
 * - POST /topapi/v2/user/getbymobile?access_token { mobile } → { result: { userid } }; 60121 no such member
 *   (0063-query-users-by-phone-number.md)
 * - POST /topapi/v2/user/update?access_token { userid, dept_id_list: "2,3" } (0057-user-information-update.md)
 * - POST /topapi/v2/user/create?access_token { name, mobile: "+cc-number", dept_id_list: "2" } → { result: { userid } };
 *   40103: the person must consent, DingTalk sent them an invitation (0055-user-information-creation.md, and the
 *   global errcodes in 0013-server-api-error-codes-1.md)
 * Every attempt has a time limit; network errors, timeouts, 5xx, "system busy" (-1) and the frequency-limit
 * errcodes are tried again after a pause; calls are paced under DingTalk's per-app limit of 20 per second
 * per API. The app secret and the tokens are never written to a log line or put in an error message.
 */
import { memoryPacer, type CallPacer } from './pacing'
import { DingTalkError, type ActionCard, type DingTalkErrorKind, type DingTalkPort, type DingTalkSettings, type DingTalkUser } from './port'

export const DINGTALK_API_BASE = 'https://oapi.dingtalk.com'

/** errcodes that say the access token is not (or no longer) valid: get a new one and try again, once. */
const TOKEN_INVALID = new Set([40001, 40014, 42001])
/** DingTalk's frequency limits (global, per IP, per organisation, per app and API, third-party apps). */
const RATE_LIMITED = new Set([90002, 90005, 90006, 90018, 90019])
const CODE_INVALID = new Set([40078, 40079, 42008])
const USER_NOT_FOUND = new Set([60121, 60111, 33012])
const MISCONFIGURED = new Set([40089, 40013, 33001, 40056, 60011, 60020, 43007, 88, 90020])
/** user/create: "该用户需要其同意才可添加，已向对方发送邀请" (the person consents to an invitation DingTalk sent). */
const CONSENT_REQUESTED = 40103
/** "System busy": DingTalk suggests trying again. */
const BUSY = -1

export type DingTalkLog = (level: 'debug' | 'info' | 'warn' | 'error', event: Record<string, unknown>, message: string) => void

export interface DingTalkClientDeps {
  fetch?: typeof fetch
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  log?: DingTalkLog
  /** Pauses before the 2nd, 3rd… attempt of a call (default 300 ms, 1 s). */
  retryDelaysMs?: number[]
  /** Renew the token this long before DingTalk's expiry (default 5 minutes). */
  refreshMarginMs?: number
  /** Calls started per API path per second, below DingTalk's 20 (default 15). */
  callsPerSecond?: number
  /**
   * Where the calls' pace is kept: this process alone (default), or the database every server process shares
   * (pacing.ts databasePacer: the sum of all replicas under DingTalk's limit, a pause after its frequency error
   * holding them all).
   */
  pacer?: CallPacer
  /**
   * Told the outcome of each call once its retries are over (metrics): `ok`, or the failure's kind
   * (`unavailable`, `rate-limited`, `misconfigured`, `refused`, `code-invalid`, `user-not-found`).
   */
  onCallEnded?: (api: string, outcome: 'ok' | DingTalkErrorKind) => void
}

interface DingTalkBody {
  errcode?: unknown
  errmsg?: unknown
  sub_code?: unknown
  [key: string]: unknown
}

function kindOf(errcode: number, subCode: unknown): DingTalkErrorKind {
  if (CODE_INVALID.has(errcode)) return 'code-invalid'
  if (USER_NOT_FOUND.has(errcode)) return 'user-not-found'
  if (RATE_LIMITED.has(errcode)) return 'rate-limited'
  if (errcode === BUSY) return 'unavailable'
  if (errcode === 88 && typeof subCode === 'string' && TOKEN_INVALID.has(Number(subCode))) return 'refused'
  if (MISCONFIGURED.has(errcode)) return 'misconfigured'
  return 'refused'
}

function isTokenInvalid(body: DingTalkBody): boolean {
  const errcode = Number(body.errcode)
  return TOKEN_INVALID.has(errcode) || (errcode === 88 && TOKEN_INVALID.has(Number(body.sub_code)))
}

/** The client: the port, and the start-up check of the app's key and secret (server/src/startup-checks.ts). */
export interface DingTalkClient extends DingTalkPort {
  /** gettoken: an access token can be had with these settings (the token is kept for the calls that follow). */
  checkAccessToken(): Promise<void>
}

export function createDingTalkClient(settings: DingTalkSettings, deps: DingTalkClientDeps = {}): DingTalkClient {
  const doFetch = deps.fetch ?? fetch
  const now = deps.now ?? Date.now
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const log: DingTalkLog = deps.log ?? (() => undefined)
  const retryDelays = deps.retryDelaysMs ?? [300, 1000]
  const refreshMargin = deps.refreshMarginMs ?? 5 * 60_000
  const timeoutMs = settings.timeoutMs ?? 4000
  const base = settings.apiBase.replace(/\/+$/, '')
  // the tests' deps win over the setting (DINGTALK_CALLS_PER_SECOND)
  const perSecond = deps.callsPerSecond ?? settings.callsPerSecond ?? 15
  const pacer = deps.pacer ?? memoryPacer(now, sleep)

  let token: { value: string; expiresAt: number } | null = null
  let renewing: Promise<string> | null = null
  /** Every token seen, so that none is ever echoed into a log line (DingTalk might quote one in errmsg). */
  const secrets = new Set<string>([settings.appSecret])

  /** A text without the secret or any token in it. */
  function redact(text: string): string {
    let out = text
    for (const s of secrets) if (s) out = out.split(s).join('[redacted]')
    return out
  }

  function failure(kind: DingTalkErrorKind, api: string, errcode: number | null, detail: string): DingTalkError {
    return new DingTalkError(kind, api, errcode, redact(`DingTalk ${api}: ${detail}`))
  }

  /**
   * One API call with its retries. `query` is added to the address (never logged); `body`, when given, is
   * sent as JSON. Answers DingTalk's body once errcode is 0.
   */
  async function call(
    api: string,
    query: Record<string, string>,
    body: unknown,
    opts: { tokenRetry?: () => Promise<Record<string, string>> } = {},
  ): Promise<DingTalkBody> {
    if (!deps.onCallEnded) return attempts(api, query, body, opts)
    try {
      const answer = await attempts(api, query, body, opts)
      deps.onCallEnded(api, 'ok')
      return answer
    } catch (error) {
      deps.onCallEnded(api, error instanceof DingTalkError ? error.kind : 'refused')
      throw error
    }
  }

  /** One API call's attempts (see call). */
  async function attempts(
    api: string,
    query: Record<string, string>,
    body: unknown,
    opts: { tokenRetry?: () => Promise<Record<string, string>> },
  ): Promise<DingTalkBody> {
    let renewed = false
    // an earlier attempt may have reached DingTalk without its answer reaching us (a time-out, a 5xx)
    let unanswered = false
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retryDelays.length
      const again = async (kind: 'unavailable' | 'rate-limited', errcode: number | null, detail: string): Promise<void> => {
        log('warn', { dingtalk: { api, attempt: attempt + 1, errcode, kind } }, redact(`DingTalk ${api}: ${detail}${last ? '' : '; trying again'}`))
        if (last) throw failure(kind, api, errcode, detail)
        // the frequency limits count per second: no call of this API starts for a second (in every process sharing
        // the pacer), DingTalk's advice; the next try waits for that in pacer.take
        if (kind === 'rate-limited') await pacer.pause(api, Math.max(1000, retryDelays[attempt]))
        else await sleep(retryDelays[attempt])
      }
      await pacer.take(api, perSecond)
      const started = now()
      let res: Response
      try {
        const url = `${base}/${api}${Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : ''}`
        res = await doFetch(url, {
          method: body === undefined ? 'GET' : 'POST',
          headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        })
      } catch (error) {
        const timedOut = (error as { name?: string }).name === 'TimeoutError'
        unanswered = true
        await again('unavailable', null, timedOut ? `no answer within ${timeoutMs} ms` : 'network error')
        continue
      }
      const text = await res.text().catch(() => '')
      if (res.status >= 500) {
        unanswered = true
        await again('unavailable', null, `HTTP ${res.status}`)
        continue
      }
      let parsed: DingTalkBody
      try {
        parsed = JSON.parse(text) as DingTalkBody
      } catch {
        parsed = {}
      }
      // DingTalk's per-IP limit answers a page of its own ({ status: 1111, punish: "deny", wait }), not an errcode
      if (parsed.punish === 'deny' || parsed.status === 1111) {
        await again('rate-limited', null, 'refused by the frequency limit for this IP address')
        continue
      }
      if (res.status >= 400 || typeof parsed.errcode !== 'number') {
        throw failure(res.status === 404 ? 'misconfigured' : 'refused', api, null, `unexpected answer (HTTP ${res.status})`)
      }
      const errcode = parsed.errcode
      if (errcode === 0) {
        // each call DingTalk answered (LOG_LEVEL=debug), on the log of the request it was made for
        log('debug', { dingtalk: { api, attempt: attempt + 1, errcode, ms: now() - started } }, `DingTalk ${api}: answered`)
        return parsed
      }
      const errmsg = typeof parsed.errmsg === 'string' ? parsed.errmsg : ''
      if (opts.tokenRetry && isTokenInvalid(parsed) && !renewed) {
        renewed = true
        log('info', { dingtalk: { api, errcode } }, `DingTalk ${api}: the access token was refused (${errcode}); renewing it`)
        Object.assign(query, await opts.tokenRetry())
        attempt-- // renewing the token is not one of the retries
        continue
      }
      const kind = kindOf(errcode, parsed.sub_code)
      // a sign-in code is spent by the first attempt DingTalk receives: refused as used after an attempt that got no
      // answer, the code may have been spent by that attempt — DingTalk was unavailable, and the app signs in again
      if (kind === 'code-invalid' && unanswered) {
        log(
          'warn',
          { dingtalk: { api, attempt: attempt + 1, errcode, kind: 'unavailable' } },
          redact(`DingTalk ${api}: errcode ${errcode} ${errmsg} after an attempt without an answer`),
        )
        throw failure('unavailable', api, errcode, `errcode ${errcode} ${errmsg} after an attempt without an answer`)
      }
      if (kind === 'rate-limited' || kind === 'unavailable') {
        await again(kind, errcode, `errcode ${errcode} ${errmsg}`)
        continue
      }
      log(kind === 'misconfigured' ? 'error' : 'warn', { dingtalk: { api, errcode, kind } }, redact(`DingTalk ${api}: errcode ${errcode} ${errmsg}`))
      throw failure(kind, api, errcode, `errcode ${errcode} ${errmsg}`)
    }
  }

  async function fetchToken(): Promise<string> {
    const body = await call('gettoken', { appkey: settings.appKey, appsecret: settings.appSecret }, undefined)
    const value = body.access_token
    const expiresIn = Number(body.expires_in ?? 7200)
    if (typeof value !== 'string' || !value) throw failure('refused', 'gettoken', null, 'no access_token in the answer')
    secrets.add(value)
    token = { value, expiresAt: now() + (Number.isFinite(expiresIn) ? expiresIn : 7200) * 1000 }
    log('info', { dingtalk: { api: 'gettoken', expiresIn } }, 'DingTalk access token renewed')
    return value
  }

  /** The cached token, or a new one (one request to DingTalk however many callers wait). */
  function accessToken(): Promise<string> {
    if (token && now() < token.expiresAt - refreshMargin) return Promise.resolve(token.value)
    renewing ??= fetchToken().finally(() => {
      renewing = null
    })
    return renewing
  }

  /** A call with the access token; when DingTalk refuses the token, it is renewed (once) and the call repeated. */
  async function withToken(api: string, body: unknown): Promise<DingTalkBody> {
    const used = await accessToken()
    const query = { access_token: used }
    return call(api, query, body, {
      tokenRetry: async () => {
        // only the first of the calls that saw this token refused throws it away; the others wait for its renewal
        if (token?.value === query.access_token) token = null
        return { access_token: await accessToken() }
      },
    })
  }

  return {
    corpId: settings.corpId,
    agentId: settings.agentId,

    async checkAccessToken() {
      await accessToken()
    },

    async userIdByAuthCode(code) {
      const body = await withToken('topapi/v2/user/getuserinfo', { code })
      const userId = (body.result as { userid?: unknown } | undefined)?.userid
      if (typeof userId !== 'string' || !userId) throw failure('refused', 'topapi/v2/user/getuserinfo', 0, 'no userid in the answer')
      return userId
    },

    async user(userId): Promise<DingTalkUser> {
      const body = await withToken('topapi/v2/user/get', { userid: userId, language: 'en_US' })
      const r = (body.result ?? {}) as { userid?: unknown; name?: unknown; state_code?: unknown; mobile?: unknown; dept_id_list?: unknown }
      const mobile = typeof r.mobile === 'string' && /^\d{4,20}$/.test(r.mobile.replace(/[\s-]/g, '')) ? r.mobile.replace(/[\s-]/g, '') : null
      const stateCode = typeof r.state_code === 'string' && /^\d{1,4}$/.test(r.state_code) ? r.state_code : null
      return {
        userId: typeof r.userid === 'string' ? r.userid : userId,
        name: typeof r.name === 'string' ? r.name.trim() : '',
        mobile: mobile && stateCode ? `+${stateCode}${mobile}` : null,
        departmentIds: Array.isArray(r.dept_id_list) ? r.dept_id_list.map(Number).filter(Number.isSafeInteger) : [],
      }
    },

    async userIdByMobile(mobile) {
      try {
        const body = await withToken('topapi/v2/user/getbymobile', { mobile })
        const userId = (body.result as { userid?: unknown } | undefined)?.userid
        return typeof userId === 'string' && userId ? userId : null
      } catch (error) {
        if (error instanceof DingTalkError && error.kind === 'user-not-found') return null
        throw error
      }
    },

    async setDepartments(userId, deptIds) {
      await withToken('topapi/v2/user/update', { userid: userId, dept_id_list: deptIds.join(',') })
    },

    async createUser(user) {
      try {
        const body = await withToken('topapi/v2/user/create', { name: user.name, mobile: user.mobile, dept_id_list: user.deptIds.join(',') })
        const userId = (body.result as { userid?: unknown } | undefined)?.userid
        if (typeof userId !== 'string' || !userId) throw failure('refused', 'topapi/v2/user/create', 0, 'no userid in the answer')
        return { userId }
      } catch (error) {
        if (error instanceof DingTalkError && error.errcode === CONSENT_REQUESTED) return 'consent'
        throw error
      }
    },

    async sendActionCard(userId, card: ActionCard) {
      const body = await withToken('topapi/message/corpconversation/asyncsend_v2', {
        agent_id: Number(settings.agentId),
        userid_list: userId,
        msg: {
          msgtype: 'action_card',
          action_card: { title: card.title, markdown: card.markdown, single_title: card.singleTitle, single_url: card.singleUrl },
        },
      })
      return String(body.task_id ?? '')
    },
  }
}
