import { createHash, randomBytes } from 'node:crypto'
import type { DevStaffOption, SessionInfo } from '../../../types/api'
import type { Clock } from '../clock'
import type { Db } from '../db'
import { ApiError } from '../errors'
import type { Repos } from '../repo'
import type { StaffRow } from '../repo/staff'
import { staffProfile, toDevStaffOption } from '../views'

export interface AuthServiceDeps {
  db: Db
  repos: Repos
  clock: Clock
  dev: boolean
  sessionTtlMinutes: number
  demoStaffId: string
}

/** Sessions that expired longer ago than this are forgotten (until then they answer SESSION_EXPIRED). */
const KEEP_EXPIRED_MS = 7 * 24 * 60 * 60 * 1000
/** DingTalk auth codes live 5 minutes; a day of memory is plenty to refuse their reuse. */
const KEEP_USED_CODES_MS = 24 * 60 * 60 * 1000
const DEV_CODE_PREFIX = 'dev:'

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function createAuthService({ db, repos, clock, dev, sessionTtlMinutes, demoStaffId }: AuthServiceDeps) {
  const issueSession = db.transaction((staff: StaffRow): SessionInfo => {
    const now = clock.now()
    const token = randomBytes(32).toString('hex')
    const expiresAt = new Date(now.getTime() + sessionTtlMinutes * 60_000).toISOString()
    repos.sessions.deleteExpiredBefore(new Date(now.getTime() - KEEP_EXPIRED_MS).toISOString())
    repos.sessions.insert(hashToken(token), staff.id, now.toISOString(), expiresAt)
    return { token, expiresAt, staff: staffProfile(repos, staff) }
  })

  function requireDev(): void {
    if (!dev) throw new ApiError(403, 'DEV_SIGNIN_DISABLED', 'Developer sign-in is only available in development mode (WORKSPACE_DEV=1).')
  }

  return {
    /**
     * Exchanges a DingTalk auth code (dd.getAuthCode) for a session. The exchange with DingTalk's open API
     * is not configured on this local server, so only development mode signs in: each code works once;
     * `dev:<staffId>` (or `dev:<staffId>#<anything>`, a fresh code) signs in that staff member, any other
     * code the demo staff member.
     */
    signInWithDingTalk(authCode: string): SessionInfo {
      if (!dev) {
        throw new ApiError(
          401,
          'AUTH_CODE_INVALID',
          'DingTalk code exchange is not configured on this server; use development mode (WORKSPACE_DEV=1) for local sign-in.',
        )
      }
      const now = clock.now()
      repos.authCodes.deleteUsedBefore(new Date(now.getTime() - KEEP_USED_CODES_MS).toISOString())
      // Like DingTalk's, a code is spent when first presented, whether or not it leads to a session.
      if (!repos.authCodes.markUsed(authCode, now.toISOString())) {
        throw new ApiError(401, 'AUTH_CODE_INVALID', 'This auth code has already been used; request a new one.')
      }
      // `dev:<staffId>#<anything>` is a fresh code for the same staff member (codes work once)
      const staffId = authCode.startsWith(DEV_CODE_PREFIX) ? authCode.slice(DEV_CODE_PREFIX.length).split('#')[0] : demoStaffId
      const staff = repos.staff.findById(staffId)
      if (!staff) throw new ApiError(401, 'AUTH_CODE_INVALID', `No staff member "${staffId}" for this auth code.`)
      return issueSession(staff)
    },

    /** Refuses with 403 DEV_SIGNIN_DISABLED outside development mode. */
    requireDev,

    signInDev(staffId: string): SessionInfo {
      requireDev()
      const staff = repos.staff.findById(staffId)
      if (!staff) throw new ApiError(404, 'NOT_FOUND', `No staff member "${staffId}".`)
      return issueSession(staff)
    },

    listDevStaff(): DevStaffOption[] {
      requireDev()
      return repos.staff.listWithIso().map(toDevStaffOption)
    },

    /** The staff member behind an `Authorization: Bearer <token>` header, or a 401. */
    authenticate(authorization: string | undefined): StaffRow {
      const match = /^Bearer +([0-9a-f]{64})$/i.exec(authorization?.trim() ?? '')
      if (!match) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first: send Authorization: Bearer <token>.')
      const session = repos.sessions.findByHash(hashToken(match[1].toLowerCase()))
      if (!session) throw new ApiError(401, 'UNAUTHORIZED', 'Unknown session; sign in again.')
      if (Date.parse(session.expires_at) <= clock.now().getTime()) {
        throw new ApiError(401, 'SESSION_EXPIRED', 'The session has expired; sign in again.')
      }
      const staff = repos.staff.findById(session.staff_id)
      if (!staff) throw new ApiError(401, 'UNAUTHORIZED', 'Unknown session; sign in again.')
      return staff
    },
  }
}

export type AuthService = ReturnType<typeof createAuthService>
