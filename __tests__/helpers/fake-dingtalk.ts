/**
 * A fake of DingTalk's server API (oapi.dingtalk.com) on a loopback port, for the tests. It speaks the
 * documented requests and answers of the four calls the workspace makes, with DingTalk's errcodes:
 *
 * - GET /gettoken?appkey&appsecret → { errcode: 0, errmsg: "ok", access_token, expires_in: 7200 }. Within its
 *   validity the same token is answered again and its validity renewed (as documented); a wrong key or secret
 *   → errcode 40089.
 * - POST /topapi/v2/user/getuserinfo?access_token { code } → { errcode: 0, result: { userid, device_id, sys,
 *   sys_level, associated_unionid, unionid, name }, request_id }. A code lives 5 minutes and works once, for
 *   the organisation it was issued in; otherwise errcode 40078 ("不存在的临时授权码").
 * - POST /topapi/v2/user/get?access_token { userid, language } → { errcode: 0, result: { userid, unionid,
 *   name, state_code, mobile, dept_id_list, active, … } }; state_code and mobile only with the app's mobile
 *   permission; an unknown member → errcode 60121 ("找不到该用户").
 * - POST /topapi/message/corpconversation/asyncsend_v2?access_token { agent_id, userid_list, msg } →
 *   { errcode: 0, task_id, request_id }. One message of the same content reaches a member once a day
 *   (a repeat is answered as success but not delivered, as documented).
 * - POST /topapi/v2/user/getbymobile?access_token { mobile } → { errcode: 0, result: { userid } }; no member with
 *   this mobile → 60121 ("未找到该用户"), a mobile that is no number → 40104 ("企业中无效的手机号"); the permission
 *   qyapi_get_member_by_mobile, else 60011 (0063-query-users-by-phone-number.md).
 * - POST /topapi/v2/user/update?access_token { userid, dept_id_list: "2,3" } → { errcode: 0 }; the list replaces the
 *   member's departments; an unknown member → 60121, an unknown department → 60003; the permission
 *   qyapi_manage_addresslist, else 60011 (0057-user-information-update.md).
 * - POST /topapi/v2/user/create?access_token { name, mobile, dept_id_list } → { errcode: 0, result: { userid,
 *   unionId } }: DingTalk sends the new member the invitation (recorded in `invitations`). mobile in `+cc-number`
 *   form for numbers outside mainland China (a bare number is read as +86); a mobile another member has → 60104
 *   ("手机号码在公司中已存在"), a mobile that is no number → 60103, a name empty or over 80 characters → 60112,
 *   an unknown department → 60003; a person who protects their account → 40103 ("该用户需要其同意才可添加，已向对方
 *   发送邀请": DingTalk sent them an invitation to accept; no member yet); the permission qyapi_manage_addresslist,
 *   else 60011 (0055-user-information-creation.md; the errcodes in 0013-server-api-error-codes-1.md).
 * An unknown token → 40014, an expired one → 42001. Each API allows 20 calls per second (then errcode
 * 90018). The request body is read as JSON or as a form, as DingTalk accepts both.
 *
 * Faults for the tests: 5xx, "system busy" (-1), the rate-limit errcode, a request that never answers.
 */
import formbody from '@fastify/formbody'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { randomBytes } from 'node:crypto'

export interface FakeMember {
  userid: string
  name: string
  /** The country calling code ("65"), DingTalk's state_code. */
  stateCode?: string
  mobile?: string
  deptIds: number[]
}

export interface FakeMessage {
  userid: string
  agentId: number
  msg: { msgtype: string; action_card?: { title: string; markdown: string; single_title: string; single_url: string } }
  taskId: number
  /** False for a repeat of the same content to the same member on the same day (DingTalk drops it). */
  delivered: boolean
  at: number
}

/**
 * 5xx: a gateway error page; busy: errcode -1; rate-limit: errcode 90018; hang: no answer ever; lost-answer:
 * the call is carried out (a message is sent) but its answer never arrives.
 */
export type Fault = '5xx' | 'busy' | 'rate-limit' | 'hang' | 'lost-answer' | DocumentedError

/**
 * One of the API's documented errcodes, answered as DingTalk answers it (for a state the fake does not model,
 * e.g. user/create's 60104 for a number DingTalk holds for an account getbymobile does not return).
 */
export interface DocumentedError {
  errcode: number
  errmsg: string
}

type Api = 'gettoken' | 'getuserinfo' | 'user/get' | 'asyncsend_v2' | 'getbymobile' | 'user/update' | 'user/create'

/** An invitation DingTalk sent: a member created (user/create), or a consent asked of a protected account (40103). */
export interface FakeInvitation {
  kind: 'created' | 'consent'
  userid: string | null
  name: string
  stateCode: string
  mobile: string
  deptIds: number[]
  at: number
}

const CODE_TTL_MS = 5 * 60_000
const TOKEN_TTL_S = 7200

export interface FakeDingTalkOptions {
  corpId?: string
  appKey?: string
  appSecret?: string
  agentId?: number
  /** The app has the contacts permission "mobile number of employees" (default true). */
  mobilePermission?: boolean
  /** Calls per second and API before errcode 90018 (default 20, DingTalk's documented limit for an internal app). */
  callsPerSecond?: number
  /** The permissions qyapi_get_member_by_mobile and qyapi_manage_addresslist (default true). */
  contactsPermission?: boolean
  /** The departments of the organisation (default: any department id is taken as existing). */
  departments?: number[]
}

export class FakeDingTalk {
  readonly corpId: string
  readonly appKey: string
  readonly appSecret: string
  readonly agentId: number
  mobilePermission: boolean
  callsPerSecond: number
  contactsPermission: boolean
  /** null: every department id exists. */
  departments: Set<number> | null
  /** The invitations DingTalk sent (user/create). */
  readonly invitations: FakeInvitation[] = []
  /** Mobiles ("65-91234567") whose owners protect their account: user/create answers 40103. */
  readonly protectedMobiles = new Set<string>()
  url = ''
  /** Every request by API, in order. */
  readonly calls: Array<{ api: Api; at: number }> = []
  readonly messages: FakeMessage[] = []
  /** Every access token issued (to check that none reaches a log line). */
  readonly issuedTokens: string[] = []
  private readonly members = new Map<string, FakeMember>()
  private readonly codes = new Map<string, { userid: string; name: string; corpId: string; issuedAt: number; used: boolean }>()
  private readonly tokens = new Map<string, { expiresAt: number }>()
  private readonly faults: Array<{ api: Api; fault: Fault; times: number }> = []
  private readonly hanging: Array<() => void> = []
  private offsetMs = 0
  private nextTaskId = 1000
  private readonly app = Fastify({ logger: false })

  constructor(options: FakeDingTalkOptions = {}) {
    this.corpId = options.corpId ?? 'dingfakecorp0001'
    this.appKey = options.appKey ?? 'dingfakeappkey'
    this.appSecret = options.appSecret ?? `secret-${randomBytes(12).toString('hex')}`
    this.agentId = options.agentId ?? 3001001
    this.mobilePermission = options.mobilePermission ?? true
    this.callsPerSecond = options.callsPerSecond ?? 20
    this.contactsPermission = options.contactsPermission ?? true
    this.departments = options.departments ? new Set(options.departments) : null
  }

  /** The members (a copy), e.g. to find the one user/create made. */
  allMembers(): FakeMember[] {
    return [...this.members.values()].map((m) => ({ ...m, deptIds: [...m.deptIds] }))
  }

  /** DingTalk's clock (code and token lifetimes); moved by `advance`. */
  now(): number {
    return Date.now() + this.offsetMs
  }

  advance(ms: number): void {
    this.offsetMs += ms
  }

  /** The settings the workspace server needs to talk to this fake. */
  settings(overrides: Partial<{ appSecret: string; corpId: string; timeoutMs: number }> = {}) {
    return {
      appKey: this.appKey,
      appSecret: overrides.appSecret ?? this.appSecret,
      agentId: String(this.agentId),
      corpId: overrides.corpId ?? this.corpId,
      apiBase: this.url,
      timeoutMs: overrides.timeoutMs ?? 1500,
    }
  }

  addMember(member: FakeMember): void {
    this.members.set(member.userid, { ...member, deptIds: [...member.deptIds] })
  }

  /** The member leaves the organisation (or never was in it). */
  removeMember(userid: string): void {
    this.members.delete(userid)
  }

  member(userid: string): FakeMember | undefined {
    return this.members.get(userid)
  }

  setDepartments(userid: string, deptIds: number[]): void {
    const m = this.members.get(userid)
    if (!m) throw new Error(`no member ${userid}`)
    m.deptIds = [...deptIds]
  }

  /** What dd.getAuthCode({ corpId }) gives the member inside DingTalk: a code for 5 minutes, usable once. */
  issueCode(userid: string, corpId = this.corpId): string {
    const code = randomBytes(16).toString('hex')
    this.codes.set(code, { userid, name: this.members.get(userid)?.name ?? userid, corpId, issuedAt: this.now(), used: false })
    return code
  }

  /** Every token issued so far expires now (DingTalk answers 42001 with them). */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = this.now() - 1
  }

  /** The next `times` calls of the API fail this way. */
  fail(api: Api, fault: Fault, times = 1): void {
    this.faults.push({ api, fault, times })
  }

  clearFaults(): void {
    this.faults.length = 0
  }

  count(api: Api): number {
    return this.calls.filter((c) => c.api === api).length
  }

  delivered(userid?: string): FakeMessage[] {
    return this.messages.filter((m) => m.delivered && (userid === undefined || m.userid === userid))
  }

  async start(): Promise<this> {
    await this.app.register(formbody)
    this.app.get('/gettoken', (request, reply) => this.handle('gettoken', reply, () => this.getToken(request)))
    this.app.post('/topapi/v2/user/getuserinfo', (request, reply) => this.handle('getuserinfo', reply, () => this.getUserInfo(request)))
    this.app.post('/topapi/v2/user/get', (request, reply) => this.handle('user/get', reply, () => this.getUser(request)))
    this.app.post('/topapi/v2/user/getbymobile', (request, reply) => this.handle('getbymobile', reply, () => this.getByMobile(request)))
    this.app.post('/topapi/v2/user/update', (request, reply) => this.handle('user/update', reply, () => this.updateUser(request)))
    this.app.post('/topapi/v2/user/create', (request, reply) => this.handle('user/create', reply, () => this.createUser(request)))
    this.app.post('/topapi/message/corpconversation/asyncsend_v2', (request, reply) => this.handle('asyncsend_v2', reply, () => this.send(request)))
    await this.app.listen({ port: 0, host: '127.0.0.1' })
    const address = this.app.server.address()
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    return this
  }

  async stop(): Promise<void> {
    for (const release of this.hanging.splice(0)) release()
    this.app.server.closeAllConnections()
    await this.app.close()
  }

  private async handle(api: Api, reply: FastifyReply, answer: () => object): Promise<unknown> {
    const at = this.now()
    this.calls.push({ api, at })
    const fault = this.faults.find((f) => f.api === api && f.times > 0)
    if (fault) {
      fault.times--
      if (typeof fault.fault === 'object') return { errcode: fault.fault.errcode, errmsg: fault.fault.errmsg, request_id: randomBytes(6).toString('hex') }
      switch (fault.fault) {
        case '5xx':
          return reply.code(502).type('text/html').send('<html><body>502 Bad Gateway</body></html>')
        case 'busy':
          return { errcode: -1, errmsg: '系统繁忙' }
        case 'rate-limit':
          return { errcode: 90018, errmsg: '您的企业调用该接口频率过快，请稍后重试' }
        case 'hang':
          // never answers; released (and the socket closed) when the fake stops
          return new Promise<void>((resolve) => this.hanging.push(resolve)).then(() => reply.code(503).send())
        case 'lost-answer':
          answer()
          return new Promise<void>((resolve) => this.hanging.push(resolve)).then(() => reply.code(503).send())
      }
    }
    const recent = this.calls.filter((c) => c.api === api && at - c.at < 1000).length
    if (recent > this.callsPerSecond) return { errcode: 90018, errmsg: '您的企业调用该接口频率过快，请稍后重试' }
    return answer()
  }

  private body(request: FastifyRequest): Record<string, unknown> {
    const b = request.body
    if (b && typeof b === 'object') return b as Record<string, unknown>
    if (typeof b === 'string') {
      try {
        return JSON.parse(b) as Record<string, unknown>
      } catch {
        return {}
      }
    }
    return {}
  }

  /** The access token of the call, checked: null when valid, else DingTalk's answer. */
  private checkToken(request: FastifyRequest): object | null {
    const query = request.query as Record<string, string | undefined>
    const token = query.access_token ?? (this.body(request).access_token as string | undefined)
    if (!token) return { errcode: 41001, errmsg: '缺少access_token参数' }
    const known = this.tokens.get(token)
    if (!known) return { errcode: 40014, errmsg: '不合法的access_token' }
    if (known.expiresAt <= this.now()) return { errcode: 42001, errmsg: 'access_token超时' }
    return null
  }

  private getToken(request: FastifyRequest): object {
    const { appkey, appsecret } = request.query as Record<string, string | undefined>
    if (appkey !== this.appKey || appsecret !== this.appSecret) return { errcode: 40089, errmsg: '不合法的appKey或appSecret' }
    const now = this.now()
    let token = [...this.tokens.entries()].find(([, t]) => t.expiresAt > now)?.[0]
    if (!token) {
      token = randomBytes(16).toString('hex')
      this.issuedTokens.push(token)
    }
    // within its validity the same token is answered, and its validity renewed
    this.tokens.set(token, { expiresAt: now + TOKEN_TTL_S * 1000 })
    return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: TOKEN_TTL_S }
  }

  private getUserInfo(request: FastifyRequest): object {
    const refused = this.checkToken(request)
    if (refused) return refused
    const code = this.body(request).code
    if (typeof code !== 'string' || !code) return { errcode: 40035, errmsg: '不合法的参数' }
    const found = this.codes.get(code)
    if (!found || found.used || found.corpId !== this.corpId || this.now() - found.issuedAt > CODE_TTL_MS) {
      return { errcode: 40078, errmsg: '不存在的临时授权码' }
    }
    found.used = true
    // the member the code was issued to (who may have left the organisation since: user/get then answers 60121)
    return {
      errcode: 0,
      errmsg: 'ok',
      result: {
        userid: found.userid,
        device_id: 'device-1',
        sys: false,
        sys_level: 0,
        associated_unionid: '',
        unionid: `union-${found.userid}`,
        name: found.name,
      },
      request_id: randomBytes(6).toString('hex'),
    }
  }

  private getUser(request: FastifyRequest): object {
    const refused = this.checkToken(request)
    if (refused) return refused
    const userid = this.body(request).userid
    const member = typeof userid === 'string' ? this.members.get(userid) : undefined
    if (!member) return { errcode: 60121, errmsg: '找不到该用户' }
    return {
      errcode: 0,
      errmsg: 'ok',
      result: {
        userid: member.userid,
        unionid: `union-${member.userid}`,
        name: member.name,
        avatar: '',
        ...(this.mobilePermission && member.mobile ? { state_code: member.stateCode ?? '86', mobile: member.mobile, hide_mobile: false } : {}),
        dept_id_list: member.deptIds,
        dept_order_list: member.deptIds.map((d) => ({ dept_id: d, order: 0 })),
        active: true,
        admin: false,
        boss: false,
        real_authed: true,
      },
      request_id: randomBytes(6).toString('hex'),
    }
  }

  private send(request: FastifyRequest): object {
    const refused = this.checkToken(request)
    if (refused) return refused
    const body = this.body(request)
    if (Number(body.agent_id) !== this.agentId) return { errcode: 40056, errmsg: '不合法的agentid' }
    const userids = typeof body.userid_list === 'string' ? body.userid_list.split(',').filter(Boolean) : []
    if (userids.length === 0) return { errcode: 40035, errmsg: '不合法的参数: userid_list' }
    let msg = body.msg as FakeMessage['msg'] | string | undefined
    if (typeof msg === 'string') {
      try {
        msg = JSON.parse(msg) as FakeMessage['msg']
      } catch {
        return { errcode: 40035, errmsg: '不合法的参数: msg' }
      }
    }
    if (!msg || typeof msg !== 'object') return { errcode: 40035, errmsg: '不合法的参数: msg' }
    if (Buffer.byteLength(JSON.stringify(msg)) > 2048) return { errcode: 40035, errmsg: '消息内容超过2048字节' }
    if (msg.msgtype === 'action_card') {
      const card = msg.action_card
      if (!card?.title || !card.markdown || !card.single_title || !card.single_url) return { errcode: 40035, errmsg: '不合法的参数: action_card' }
    }
    const taskId = this.nextTaskId++
    const day = new Date(this.now()).toISOString().slice(0, 10)
    const content = JSON.stringify(msg)
    for (const userid of userids) {
      const repeat = this.messages.some((m) => m.userid === userid && JSON.stringify(m.msg) === content && new Date(m.at).toISOString().slice(0, 10) === day)
      this.messages.push({ userid, agentId: this.agentId, msg, taskId, delivered: this.members.has(userid) && !repeat, at: this.now() })
    }
    return { errcode: 0, errmsg: 'ok', task_id: taskId, request_id: randomBytes(6).toString('hex') }
  }

  /** DingTalk's mobile forms: "+65-91234567" (international), or a bare mainland number read as +86. */
  private static parseMobile(value: unknown): { stateCode: string; mobile: string } | null {
    if (typeof value !== 'string') return null
    const m = /^\+(\d{1,4})-(\d{4,20})$/.exec(value.trim()) ?? /^()(\d{4,20})$/.exec(value.trim())
    if (!m) return null
    return { stateCode: m[1] || '86', mobile: m[2] }
  }

  private memberByMobile(stateCode: string, mobile: string): FakeMember | undefined {
    return [...this.members.values()].find((m) => m.mobile === mobile && (m.stateCode ?? '86') === stateCode)
  }

  /** dept_id_list "2,3": the ids, or null when one is not a department of the organisation. */
  private deptList(value: unknown): number[] | null {
    const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : typeof value === 'number' ? String(value) : ''
    const ids = text
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map(Number)
    if (ids.length === 0 || ids.some((d) => !Number.isSafeInteger(d))) return null
    if (this.departments && ids.some((d) => !this.departments!.has(d))) return null
    return ids
  }

  private getByMobile(request: FastifyRequest): object {
    const refused = this.checkToken(request)
    if (refused) return refused
    if (!this.contactsPermission) return { errcode: 60011, errmsg: '没有调用该接口的权限' }
    const parsed = FakeDingTalk.parseMobile(this.body(request).mobile)
    if (!parsed) return { errcode: 40104, errmsg: '企业中无效的手机号' }
    const member = this.memberByMobile(parsed.stateCode, parsed.mobile)
    if (!member) return { errcode: 60121, errmsg: '未找到该用户' }
    return { errcode: 0, errmsg: 'ok', result: { userid: member.userid }, request_id: randomBytes(6).toString('hex') }
  }

  private updateUser(request: FastifyRequest): object {
    const refused = this.checkToken(request)
    if (refused) return refused
    if (!this.contactsPermission) return { errcode: 60011, errmsg: '没有调用该接口的权限' }
    const body = this.body(request)
    const member = typeof body.userid === 'string' ? this.members.get(body.userid) : undefined
    if (!member) return { errcode: 60121, errmsg: '找不到该用户' }
    if (body.dept_id_list !== undefined) {
      const depts = this.deptList(body.dept_id_list)
      if (!depts) return { errcode: 60003, errmsg: '部门不存在' }
      member.deptIds = [...new Set(depts)]
    }
    if (typeof body.name === 'string' && body.name.trim()) member.name = body.name.trim()
    return { errcode: 0, errmsg: 'ok', request_id: randomBytes(6).toString('hex') }
  }

  private createUser(request: FastifyRequest): object {
    const refused = this.checkToken(request)
    if (refused) return refused
    if (!this.contactsPermission) return { errcode: 60011, errmsg: '没有调用该接口的权限' }
    const body = this.body(request)
    const name = typeof body.name === 'string' ? body.name.trim() : ''
    if (!name || name.length > 80) return { errcode: 60112, errmsg: '用户name不合法' }
    const parsed = FakeDingTalk.parseMobile(body.mobile)
    if (!parsed) return { errcode: 60103, errmsg: '手机号码不合法' }
    const depts = this.deptList(body.dept_id_list)
    if (!depts) return { errcode: 60003, errmsg: '部门不存在' }
    if (this.memberByMobile(parsed.stateCode, parsed.mobile)) return { errcode: 60104, errmsg: '手机号码在公司中已存在' }
    if (this.protectedMobiles.has(`${parsed.stateCode}-${parsed.mobile}`)) {
      this.invitations.push({ kind: 'consent', userid: null, name, ...parsed, deptIds: depts, at: this.now() })
      return { errcode: 40103, errmsg: '该用户需要其同意才可添加，已向对方发送邀请' }
    }
    const userid = typeof body.userid === 'string' && body.userid ? body.userid : `u${randomBytes(6).toString('hex')}`
    if (this.members.has(userid)) return { errcode: 60102, errmsg: 'UserID在公司中已存在' }
    this.members.set(userid, { userid, name, stateCode: parsed.stateCode, mobile: parsed.mobile, deptIds: depts })
    this.invitations.push({ kind: 'created', userid, name, ...parsed, deptIds: depts, at: this.now() })
    return { errcode: 0, errmsg: 'ok', result: { userid, unionId: `union-${userid}` }, request_id: randomBytes(6).toString('hex') }
  }
}
