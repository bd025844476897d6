/**
 * What the workspace server needs of DingTalk's server API (the "Open API" at oapi.dingtalk.com), as one
 * port. The implementation in client.ts talks HTTP to DingTalk; tests point the same client at a fake that
 * follows DingTalk's documented requests and answers (__tests__/helpers/fake-dingtalk.ts).
 */

/** A member of the organisation as DingTalk describes them (topapi/v2/user/get). */
export interface DingTalkUser {
  userId: string
  name: string
  /**
   * The mobile number in international form (+ state_code + mobile), or null when DingTalk did not give it:
   * an internal app receives it only with the contacts permission "mobile number of employees".
   */
  mobile: string | null
  /** The departments DingTalk lists the member in (an ISO's department means the ISO's staff). */
  departmentIds: number[]
}

/** A work notification shown as an action card with one button (msgtype `action_card`). */
export interface ActionCard {
  title: string
  /** DingTalk markdown. */
  markdown: string
  /** The button's label. */
  singleTitle: string
  /** Where the button leads: `eapp://<page>?<query>` opens a page of this mini-program. */
  singleUrl: string
}

export interface DingTalkPort {
  /** The organisation (corpId) whose app this is; auth codes of any other organisation are refused. */
  readonly corpId: string
  /** The app's AgentId (the association QR codes' DingTalk links name it). */
  readonly agentId: string
  /** topapi/v2/user/getuserinfo: the member behind a sign-in code (dd.getAuthCode; 5 minutes, once). */
  userIdByAuthCode(code: string): Promise<string>
  /** topapi/v2/user/get: a member's details. DingTalkError 'user-not-found' when the organisation has no such member. */
  user(userId: string): Promise<DingTalkUser>
  /**
   * topapi/v2/user/getbymobile: the member whose mobile this is (DingTalk's form: `+cc-number`, see dingTalkMobile),
   * or null when the organisation has none (60121). Needs the permission qyapi_get_member_by_mobile.
   */
  userIdByMobile(mobile: string): Promise<string | null>
  /**
   * topapi/v2/user/update with dept_id_list: the member's departments become these (the list replaces the
   * old one). Needs qyapi_manage_addresslist.
   */
  setDepartments(userId: string, deptIds: number[]): Promise<void>
  /**
   * topapi/v2/user/create: a new member in these departments; DingTalk sends them the invitation to join.
   * Answers their userid, or 'consent' when DingTalk answered 40103 (the person protects their account: DingTalk
   * sent them an invitation to accept instead).
   */
  createUser(user: { name: string; mobile: string; deptIds: number[] }): Promise<{ userId: string } | 'consent'>
  /** topapi/message/corpconversation/asyncsend_v2: a work notification to one member; answers DingTalk's task id. */
  sendActionCard(userId: string, card: ActionCard): Promise<string>
}

/**
 * Why a call failed, as the workspace acts on it:
 * - code-invalid: the sign-in code does not exist for this organisation, expired or was used (40078)
 * - user-not-found: no such member in the organisation (60121)
 * - rate-limited: DingTalk's frequency limits (90002, 90005, 90006, 90018, 90019), still after the retries
 * - unavailable: no answer, a timeout, 5xx or "system busy" (-1), still after the retries
 * - misconfigured: what only the operator can fix: the app key or secret (40089), the server's IP not on the
 *   app's allow-list (60020), a permission the app lacks (60011, 88), the agent id (40056), the monthly quota
 * - refused: any other errcode
 */
export type DingTalkErrorKind = 'code-invalid' | 'user-not-found' | 'rate-limited' | 'unavailable' | 'misconfigured' | 'refused'

/**
 * A mobile number (E.164, "+6591234567") in the form DingTalk's contacts API takes for numbers outside mainland
 * China and for organisations registered outside it: `+cc-number` ("+65-91234567"; topapi/v2/user/create,
 * 0055-user-information-creation.md). null for a number that is not E.164.
 */
export function dingTalkMobile(e164: string, countryCallingCode: string): string | null {
  if (!/^\+\d{6,15}$/.test(e164) || !/^\d{1,3}$/.test(countryCallingCode) || !e164.startsWith(`+${countryCallingCode}`)) return null
  return `+${countryCallingCode}-${e164.slice(countryCallingCode.length + 1)}`
}

export class DingTalkError extends Error {
  constructor(
    readonly kind: DingTalkErrorKind,
    /** The API path (never its query, which carries the access token). */
    readonly api: string,
    /** DingTalk's errcode, when it answered one. */
    readonly errcode: number | null,
    message: string,
  ) {
    super(message)
    this.name = 'DingTalkError'
  }
}

export interface DingTalkSettings {
  appKey: string
  appSecret: string
  /** The app's AgentId (work notifications are sent in its name). */
  agentId: string
  corpId: string
  /** Default https://oapi.dingtalk.com; tests give a fake's loopback address. */
  apiBase: string
  /** Each attempt's time limit (default 4000 ms). */
  timeoutMs?: number
  /** Calls started per second and API in this process (DINGTALK_CALLS_PER_SECOND; default 15, under DingTalk's 20). */
  callsPerSecond?: number
}
