import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Clock } from '../clock'
import { decoyHash, DEVELOPMENT_COST, hashPassword, passwordProblem, PRODUCTION_COST, verifyPassword, type PasswordCost } from '../console/passwords'
import type { Db } from '../db'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import { CONSOLE_ROLES, type ConsoleAccountRow, type ConsoleRole } from '../repo/console-accounts'
import type { ThrottleRow } from '../repo/signin-throttle'
import { REGION_CODE } from './iso-profile'

/**
 * At most five passwords are checked for one user name within the window (each attempt is counted before
 * its check; a success gives its own back); the fifth failure locks that name for LOCK_MINUTES.
 */
export const MAX_FAILURES_PER_USER = 5
/** The same for one address: twenty attempts within the window, the twentieth failure locks it. */
export const MAX_FAILURES_PER_ADDRESS = 20
export const FAILURE_WINDOW_MINUTES = 15
export const LOCK_MINUTES = 15
/** A console session ends after this long without a request… */
export const SESSION_IDLE_MINUTES = 30
/** …and in any case this long after signing in. */
export const SESSION_MAX_HOURS = 12

export const ROLE_LABELS: Record<ConsoleRole, string> = {
  iso_reviewer: 'ISO reviewer',
  coordinator: 'Regional coordinator',
  alipay_reviewer: 'Alipay+ reviewer',
  admin: 'Administrator',
}

/** The development accounts (WORKSPACE_DEV=1 only), all with the password `console`. */
export const DEV_ACCOUNTS: ReadonlyArray<{ username: string; name: string; role: ConsoleRole; isoId?: string; region?: string }> = [
  { username: 'console', name: 'Dev Administrator', role: 'admin' },
  { username: 'lioncity', name: 'Lion City ISO reviewer', role: 'iso_reviewer', isoId: 'iso-lioncity' },
  { username: 'nusantara', name: 'Nusantara ISO reviewer', role: 'iso_reviewer', isoId: 'iso-nusantara' },
  { username: 'coordinator', name: 'SEA regional coordinator', role: 'coordinator', region: 'SEA' },
  { username: 'alipay', name: 'Alipay+ reviewer', role: 'alipay_reviewer' },
]
export const DEV_PASSWORD = 'console'

export interface ConsoleSession {
  account: ConsoleAccountRow
  csrfToken: string
  tokenHash: string
}

export type SignInResult =
  { ok: true; token: string; session: ConsoleSession } | { ok: false; problem: 'invalid' } | { ok: false; problem: 'locked'; retryAfterSeconds: number }

export interface NewAccountInput {
  username: string
  name: string
  role: string
  isoId?: string | null
  region?: string | null
  password: string
  /** Their DingTalk user id (work notifications of the method agreement); optional. */
  dingtalkUserId?: string | null
}

type Reservation = { ok: true; counted: ThrottleRow[] } | { ok: false; retryAfterSeconds: number }

export type AccountResult = { ok: true; account: ConsoleAccountRow } | { ok: false; problem: string }

let devHash: Promise<string> | undefined

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/i

/** The actor of `npm run console:user`. */
export function commandLineActor(who: string): Actor {
  return { id: 'command-line', name: `command line (${who})`, role: 'system' }
}

/** A console account acting from `address` (the request's client address, request.ip). */
export function actorOf(account: ConsoleAccountRow, address: string): Actor {
  return { id: account.id, name: `${account.name} (${account.username})`, role: account.role, address }
}

/**
 * Console accounts: sign-in with the failure throttle, sessions, and the administrator's changes to
 * accounts (each written to the audit trail in its transaction).
 */
export function createConsoleAccountService({ db, repos, clock, dev, cost }: { db: Db; repos: Repos; clock: Clock; dev: boolean; cost?: PasswordCost }) {
  const passwordCost = cost ?? (dev ? DEVELOPMENT_COST : PRODUCTION_COST)
  const nowIso = () => clock.now().toISOString()
  const minutesFromNow = (m: number) => new Date(clock.now().getTime() + m * 60_000).toISOString()

  /** Seconds until a key's lock ends, or 0. */
  async function lockedFor(key: string): Promise<number> {
    const row = await repos.signInThrottle.find(key)
    if (!row?.locked_until) return 0
    return Math.max(0, Math.ceil((Date.parse(row.locked_until) - clock.now().getTime()) / 1000))
  }

  /**
   * Counts one attempt against each limit before its password is checked, in one write transaction of the
   * database every server process shares: of any number of concurrent sign-ins on one name (on any number
   * of processes), at most `max` get a reservation per window; the others are refused without a check.
   * Nothing is counted when one of the limits refuses.
   */
  const reserveAttempt = (limits: ReadonlyArray<{ key: string; max: number }>): Promise<Reservation> =>
    db.transaction(async () => {
      const now = clock.now().getTime()
      const rows: ThrottleRow[] = []
      for (const { key, max } of limits) {
        const row = await repos.signInThrottle.find(key)
        const lockedUntil = row?.locked_until ? Date.parse(row.locked_until) : null
        if (lockedUntil !== null && lockedUntil > now) return { ok: false, retryAfterSeconds: Math.ceil((lockedUntil - now) / 1000) }
        const windowOpen = row !== undefined && lockedUntil === null && Date.parse(row.window_started_at) > now - FAILURE_WINDOW_MINUTES * 60_000
        const counted = windowOpen ? row.failures : 0
        // the allowed attempts are all under way: whichever of them fails locks the key
        if (counted >= max) return { ok: false, retryAfterSeconds: LOCK_MINUTES * 60 }
        rows.push({ key, failures: counted + 1, window_started_at: windowOpen ? row.window_started_at : new Date(now).toISOString(), locked_until: null })
      }
      for (const row of rows) await repos.signInThrottle.save(row)
      return { ok: true, counted: rows }
    })

  /** A reserved attempt failed: a key whose window has counted its allowed attempts is locked for LOCK_MINUTES. */
  const lockIfExhausted = (counted: ThrottleRow[], limits: ReadonlyArray<{ key: string; max: number }>): Promise<void> =>
    db.transaction(async () => {
      for (const [i, reserved] of counted.entries()) {
        const row = await repos.signInThrottle.find(reserved.key)
        if (!row || row.window_started_at !== reserved.window_started_at || row.locked_until !== null || row.failures < limits[i].max) continue
        await repos.signInThrottle.save({ ...row, locked_until: minutesFromNow(LOCK_MINUTES) })
      }
    })

  async function signIn(username: string, password: string, address: string): Promise<SignInResult> {
    const limits = [
      { key: `user:${username.trim().toLowerCase().slice(0, 100)}`, max: MAX_FAILURES_PER_USER },
      { key: `addr:${address}`, max: MAX_FAILURES_PER_ADDRESS },
    ]
    const reservation = await reserveAttempt(limits)
    if (!reservation.ok) return { ok: false, problem: 'locked', retryAfterSeconds: reservation.retryAfterSeconds }
    const account = await repos.consoleAccounts.findByUsername(username)
    // an unknown name costs a verification too (against a hash made at start), so that timing does not tell which names exist
    const matches = await verifyPassword(password, account?.password_hash ?? (await decoyHash(passwordCost)))
    if (!account || !matches || account.disabled_at !== null) {
      await lockIfExhausted(reservation.counted, limits)
      const after = Math.max(...(await Promise.all(limits.map((l) => lockedFor(l.key)))))
      return after > 0 ? { ok: false, problem: 'locked', retryAfterSeconds: after } : { ok: false, problem: 'invalid' }
    }
    // a success gives back its own attempt only: the failures of the window stay counted, a lock stays
    for (const row of reservation.counted) await repos.signInThrottle.refund(row.key, row.window_started_at)
    const token = randomBytes(32).toString('base64url')
    const csrfToken = randomBytes(24).toString('base64url')
    const at = nowIso()
    await repos.consoleSessions.deleteExpiredBefore(at)
    const row = {
      token_hash: sha256(token),
      account_id: account.id,
      csrf_token: csrfToken,
      created_at: at,
      last_seen_at: at,
      expires_at: new Date(clock.now().getTime() + SESSION_MAX_HOURS * 3_600_000).toISOString(),
    }
    await repos.consoleSessions.insert(row)
    return { ok: true, token, session: { account, csrfToken, tokenHash: row.token_hash } }
  }

  /** The session of a cookie's token, renewed; null when unknown, expired, idle too long or its account disabled. */
  async function session(token: string | undefined): Promise<ConsoleSession | null> {
    if (!token || token.length > 100) return null
    const row = await repos.consoleSessions.findByHash(sha256(token))
    if (!row) return null
    const now = clock.now().getTime()
    const idle = now - Date.parse(row.last_seen_at) > SESSION_IDLE_MINUTES * 60_000
    if (idle || now >= Date.parse(row.expires_at)) {
      await repos.consoleSessions.delete(row.token_hash)
      return null
    }
    const account = await repos.consoleAccounts.findById(row.account_id)
    if (!account || account.disabled_at !== null) return null
    await repos.consoleSessions.touch(row.token_hash, nowIso())
    return { account, csrfToken: row.csrf_token, tokenHash: row.token_hash }
  }

  async function validateNew(input: NewAccountInput): Promise<string | null> {
    if (!USERNAME.test(input.username)) return 'The user name must be 2 to 40 letters, digits, dots, dashes or underscores.'
    if (await repos.consoleAccounts.findByUsername(input.username)) return `The user name ${input.username} is taken.`
    if (!input.name.trim() || input.name.length > 100) return 'Enter the person’s name (100 characters at most).'
    if (!(CONSOLE_ROLES as readonly string[]).includes(input.role)) {
      return input.role
        ? `Unknown role ${JSON.stringify(input.role.slice(0, 40))}: choose ${CONSOLE_ROLES.join(', ')}.`
        : `Choose a role: ${CONSOLE_ROLES.join(', ')}.`
    }
    if (input.role === 'iso_reviewer' && !input.isoId) return 'An ISO reviewer needs the ISO they review.'
    if (input.role === 'iso_reviewer' && input.isoId && !(await repos.isos.findById(input.isoId))) {
      return `Unknown ISO ${JSON.stringify(input.isoId.slice(0, 80))}: no ISO has this id (each ISO's id is on its Edit page, /console/isos).`
    }
    if (input.role === 'coordinator' && !(input.region && REGION_CODE.test(input.region)))
      return 'A regional coordinator needs a region code (2 to 8 capital letters, e.g. SEA).'
    return passwordProblem(input.password)
  }

  const insertAccount = (actor: Actor, row: ConsoleAccountRow): Promise<void> =>
    db.transaction(async () => {
      await repos.consoleAccounts.insert(row)
      await repos.audit.append(actor, row.created_at, {
        action: 'account.create',
        subjectType: 'account',
        subjectId: row.id,
        isoId: row.iso_id,
        after: { username: row.username, name: row.name, role: row.role, isoId: row.iso_id, region: row.region },
      })
    })

  async function create(actor: Actor, input: NewAccountInput, options: { skipPolicy?: boolean; passwordHash?: string } = {}): Promise<AccountResult> {
    const problem = await validateNew(input)
    if (problem && !(options.skipPolicy && problem === passwordProblem(input.password))) return { ok: false, problem }
    const role = input.role as ConsoleRole
    const row: ConsoleAccountRow = {
      id: `acc-${randomUUID()}`,
      username: input.username.trim(),
      name: input.name.trim(),
      role,
      iso_id: role === 'iso_reviewer' ? (input.isoId ?? null) : null,
      region: role === 'coordinator' ? (input.region ?? null) : null,
      password_hash: options.passwordHash ?? (await hashPassword(input.password, passwordCost)),
      disabled_at: null,
      created_at: nowIso(),
      password_changed_at: nowIso(),
      dingtalk_user_id: input.dingtalkUserId?.trim() || null,
      locale: null,
    }
    await insertAccount(actor, row)
    return { ok: true, account: row }
  }

  const setDisabledTx = (actor: Actor, id: string, disabled: boolean): Promise<AccountResult> =>
    db.transaction(async () => {
      const account = await repos.consoleAccounts.findById(id)
      if (!account) return { ok: false, problem: 'not_found' }
      if ((account.disabled_at !== null) === disabled) return { ok: false, problem: disabled ? 'already_disabled' : 'already_enabled' }
      if (disabled && account.role === 'admin' && (await repos.consoleAccounts.activeAdmins()) <= 1) return { ok: false, problem: 'last_admin' }
      const at = nowIso()
      await repos.consoleAccounts.setDisabled(id, disabled ? at : null)
      if (disabled) await repos.consoleSessions.deleteForAccount(id)
      await repos.audit.append(actor, at, {
        action: disabled ? 'account.disable' : 'account.enable',
        subjectType: 'account',
        subjectId: id,
        isoId: account.iso_id,
        before: { disabled: account.disabled_at !== null },
        after: { disabled },
      })
      return { ok: true, account: (await repos.consoleAccounts.findById(id)) as ConsoleAccountRow }
    })

  const setPasswordTx = (actor: Actor, id: string, hash: string): Promise<AccountResult> =>
    db.transaction(async () => {
      const account = await repos.consoleAccounts.findById(id)
      if (!account) return { ok: false, problem: 'not_found' }
      const at = nowIso()
      await repos.consoleAccounts.setPassword(id, hash, at)
      await repos.consoleSessions.deleteForAccount(id)
      await repos.signInThrottle.clear(`user:${account.username.toLowerCase()}`)
      // never the password or its hash: only that it changed
      await repos.audit.append(actor, at, {
        action: 'account.reset_password',
        subjectType: 'account',
        subjectId: id,
        isoId: account.iso_id,
        after: { passwordChangedAt: at },
      })
      return { ok: true, account: (await repos.consoleAccounts.findById(id)) as ConsoleAccountRow }
    })

  return {
    passwordCost,
    /** Makes the hash an unknown user name is checked against (a server awaits it before it listens). */
    async prepare(): Promise<void> {
      await decoyHash(passwordCost)
    },
    signIn,
    session,
    signOut: (tokenHash: string) => repos.consoleSessions.delete(tokenHash),
    create,
    setDisabled: (actor: Actor, id: string, disabled: boolean): Promise<AccountResult> => setDisabledTx(actor, id, disabled),
    async resetPassword(actor: Actor, id: string, password: string): Promise<AccountResult> {
      const problem = passwordProblem(password)
      if (problem) return { ok: false, problem }
      if (!(await repos.consoleAccounts.findById(id))) return { ok: false, problem: 'not_found' }
      // hashed before the transaction: scrypt never holds the write lock
      return setPasswordTx(actor, id, await hashPassword(password, passwordCost))
    },
    /**
     * Development mode: the accounts of DEV_ACCOUNTS, when the database has no account yet. One write
     * transaction, so that two servers starting together on one database seed them once.
     */
    async seedDevelopmentAccounts(): Promise<void> {
      if ((await repos.consoleAccounts.count()) > 0) return
      const actor = commandLineActor('development seed')
      // one hash of the public development password per process (a test suite starts many servers); hashed
      // before the transaction
      devHash ??= hashPassword(DEV_PASSWORD, DEVELOPMENT_COST)
      const passwordHash = await devHash
      await db.transaction(async () => {
        if ((await repos.consoleAccounts.count()) > 0) return
        for (const a of DEV_ACCOUNTS) {
          if (a.isoId && !(await repos.isos.findById(a.isoId))) continue
          await create(
            actor,
            { username: a.username, name: a.name, role: a.role, isoId: a.isoId, region: a.region, password: DEV_PASSWORD },
            { skipPolicy: true, passwordHash },
          )
        }
      })
    },
  }
}

export type ConsoleAccountService = ReturnType<typeof createConsoleAccountService>
