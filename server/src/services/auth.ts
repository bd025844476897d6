import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { DevStaffOption, Locale, SessionInfo } from '../../../packages/contract/api'
import { isValidInternationalPhone, toE164 } from '../../../packages/contract/rules/phone'
import type { MarketingCodeFormat } from '../../../packages/contract/rules/marketing-code'
import type { Clock } from '../clock'
import type { Db } from '../db'
import { apiErrorFromDingTalk } from '../dingtalk/errors'
import type { DingTalkPort, DingTalkUser } from '../dingtalk/port'
import { ApiError } from '../errors'
import type { Repos } from '../repo'
import type { StaffRow } from '../repo/staff'
import type { AssociationService } from './association'
import { staffProfile, toDevStaffOption } from '../views'

export interface AuthServiceDeps {
  db: Db
  repos: Repos
  clock: Clock
  dev: boolean
  sessionTtlMinutes: number
  demoStaffId: string
  /** null: DingTalk is not configured; only development mode signs in (with dev codes). */
  dingtalk: DingTalkPort | null
  association: AssociationService
  /** Which QR payloads are Alipay+ Marketing Codes: sent with each session, for the app's scans. */
  marketingCodes: MarketingCodeFormat
}

/** What the app sends to sign in with DingTalk (DingTalkSignInSchema). */
export interface DingTalkSignIn {
  authCode: string
  /** The organisation the app was built for (its dd.getAuthCode corpId). */
  corpId?: string
}

/** Sessions that expired longer ago than this are forgotten (until then they answer SESSION_EXPIRED). */
const KEEP_EXPIRED_MS = 7 * 24 * 60 * 60 * 1000
/** DingTalk auth codes live 5 minutes; a day of memory is plenty to refuse their reuse. */
const KEEP_USED_CODES_MS = 24 * 60 * 60 * 1000
const DEV_CODE_PREFIX = 'dev:'

/**
 * The session token of an `Authorization: Bearer <token>` header, or null. A token has one spelling, the
 * one it was issued in (64 lower-case hex digits), stored (hashed) and compared in that form only: the same
 * token re-spelled (capitals) is not a session, so that nothing keyed on a token can be counted twice.
 * The scheme's name is case-insensitive (RFC 9110).
 */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^bearer +(\S+)$/i.exec(authorization?.trim() ?? '')
  return match && /^[0-9a-f]{64}$/.test(match[1]) ? match[1] : null
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** The mobile number DingTalk gave, as stored ('' when DingTalk gave none: the app shows it masked as •••). */
function phoneOf(user: DingTalkUser): string | null {
  if (!user.mobile) return null
  return isValidInternationalPhone(user.mobile) ? toE164(user.mobile) : user.mobile
}

export function createAuthService({ db, repos, clock, dev, sessionTtlMinutes, demoStaffId, dingtalk, association, marketingCodes }: AuthServiceDeps) {
  const issueSession = (staff: StaffRow): Promise<SessionInfo> =>
    db.transaction(async () => {
      const now = clock.now()
      const token = randomBytes(32).toString('hex')
      const expiresAt = new Date(now.getTime() + sessionTtlMinutes * 60_000).toISOString()
      await repos.sessions.deleteExpiredBefore(new Date(now.getTime() - KEEP_EXPIRED_MS).toISOString())
      await repos.sessions.insert(hashToken(token), staff.id, now.toISOString(), expiresAt)
      return { token, expiresAt, staff: await staffProfile(repos, staff), marketingCodes }
    })

  function requireDev(): void {
    if (!dev) throw new ApiError(403, 'DEV_SIGNIN_DISABLED', 'Developer sign-in is only available in development mode (WORKSPACE_DEV=1).')
  }

  /** Like DingTalk's, a code is spent when first presented, whether or not it leads to a session. */
  async function spend(authCode: string): Promise<void> {
    const now = clock.now()
    await repos.authCodes.deleteUsedBefore(new Date(now.getTime() - KEEP_USED_CODES_MS).toISOString())
    if (!(await repos.authCodes.markUsed(authCode, now.toISOString()))) {
      throw new ApiError(401, 'AUTH_CODE_INVALID', 'This sign-in code has already been used: reopen the workspace to get a new one.')
    }
  }

  /**
   * The staff member of a DingTalk member, made at their first sign-in and brought up to date at the later
   * ones (name, mobile, departments), then a session: one transaction.
   */
  const provisionAndSignIn = (corpId: string, user: DingTalkUser, locale: Locale | null): Promise<SessionInfo> =>
    db.transaction(async () => {
      const phone = phoneOf(user)
      const name = user.name || user.userId
      let staff = await repos.staff.findByDingTalk(corpId, user.userId)
      if (staff) {
        await repos.staff.updateFromDingTalk(staff.id, name, phone ?? staff.phone_e164, user.departmentIds)
      } else {
        const id = `staff-${randomUUID()}`
        await repos.staff.insertFromDingTalk({
          id,
          name,
          phoneE164: phone ?? '',
          corpId,
          userId: user.userId,
          deptIds: user.departmentIds,
          locale,
          createdAt: clock.now().toISOString(),
        })
        staff = (await repos.staff.findById(id)) as StaffRow
      }
      if (locale && staff.locale !== locale) await repos.staff.setLocale(staff.id, locale)
      await repos.staff.setDingTalkMobile(staff.id, phone)
      await association.applyDepartments(staff.id, user.departmentIds)
      return issueSession((await repos.staff.findById(staff.id)) as StaffRow)
    })

  /** Development mode's codes: `dev:<staffId>` (or `dev:<staffId>#<anything>`, a fresh code), else the demo staff member. */
  async function signInWithDevCode(authCode: string, locale: Locale | null): Promise<SessionInfo> {
    await spend(authCode)
    const staffId = authCode.startsWith(DEV_CODE_PREFIX) ? authCode.slice(DEV_CODE_PREFIX.length).split('#')[0] : demoStaffId
    const staff = await repos.staff.findById(staffId)
    if (!staff) throw new ApiError(401, 'AUTH_CODE_INVALID', `No staff member "${staffId}" for this auth code.`)
    if (locale && staff.locale !== locale) await repos.staff.setLocale(staff.id, locale)
    return issueSession(staff)
  }

  return {
    /**
     * Exchanges a DingTalk auth code (dd.getAuthCode) for a session. With DingTalk configured, DingTalk tells
     * who the code belongs to (topapi/v2/user/getuserinfo) and their details (topapi/v2/user/get); a staff
     * member is made for them at their first sign-in. A code of another organisation is refused. In
     * development mode without DingTalk (or with a `dev:` code), each code works once: `dev:<staffId>`
     * signs in that staff member, any other code the demo staff member.
     */
    async signInWithDingTalk({ authCode, corpId }: DingTalkSignIn, locale: Locale | null = null): Promise<SessionInfo> {
      if (dev && (!dingtalk || authCode.startsWith(DEV_CODE_PREFIX))) return signInWithDevCode(authCode, locale)
      if (!dingtalk) {
        throw new ApiError(401, 'AUTH_CODE_INVALID', 'DingTalk is not configured on this server (see README: Deploying for an ISO).')
      }
      if (corpId !== undefined && corpId !== dingtalk.corpId) {
        throw new ApiError(403, 'WRONG_ORGANIZATION', 'This sign-in code is for another DingTalk organisation than this server’s.')
      }
      await spend(authCode)
      let user: DingTalkUser
      try {
        user = await dingtalk.user(await dingtalk.userIdByAuthCode(authCode))
      } catch (error) {
        throw apiErrorFromDingTalk(error)
      }
      return provisionAndSignIn(dingtalk.corpId, user, locale)
    },

    /** Refuses with 403 DEV_SIGNIN_DISABLED outside development mode. */
    requireDev,

    async signInDev(staffId: string, locale: Locale | null = null): Promise<SessionInfo> {
      requireDev()
      const staff = await repos.staff.findById(staffId)
      if (!staff) throw new ApiError(404, 'NOT_FOUND', `No staff member "${staffId}".`)
      if (locale && staff.locale !== locale) await repos.staff.setLocale(staff.id, locale)
      return issueSession(staff)
    },

    async listDevStaff(): Promise<DevStaffOption[]> {
      requireDev()
      return (await repos.staff.listWithIso()).map(toDevStaffOption)
    },

    /** The staff member behind an `Authorization: Bearer <token>` header, or a 401. */
    async authenticate(authorization: string | undefined): Promise<StaffRow> {
      const token = bearerToken(authorization)
      if (token === null) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first: send Authorization: Bearer <token>.')
      const session = await repos.sessions.findWithStaff(hashToken(token))
      if (!session) throw new ApiError(401, 'UNAUTHORIZED', 'Unknown session; sign in again.')
      if (Date.parse(session.expires_at) <= clock.now().getTime()) {
        throw new ApiError(401, 'SESSION_EXPIRED', 'The session has expired; sign in again.')
      }
      if (!session.staff) throw new ApiError(401, 'UNAUTHORIZED', 'Unknown session; sign in again.')
      return session.staff
    },

    /** Remembers the working language the app reports (work notifications are written in it). */
    async noteLocale(staff: StaffRow, locale: Locale | null): Promise<void> {
      if (locale && staff.locale !== locale) {
        await repos.staff.setLocale(staff.id, locale)
        staff.locale = locale
      }
    },
  }
}

export type AuthService = ReturnType<typeof createAuthService>
