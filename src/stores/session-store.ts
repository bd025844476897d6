import { flow, makeAutoObservable, observable } from 'mobx'
import type { DevStaffOption, SessionInfo, StaffProfile } from '../../packages/contract/api'
import type { ErrorCode } from '../../packages/contract/errors'
import type { AuthPort, StoragePort } from '../platform/types'
import { ApiError, requestIdOf, toApiError, type ApiClient } from '../services/api-client'
import { devSignIn } from '../services/dev-signin'
import { marketingCodeReader, type MarketingCodeFormat, type MarketingCodeReader } from '../../packages/contract/rules/marketing-code'
import { awaited } from './awaited'

export const SESSION_STORAGE_KEY = 'posm.session'

interface SavedSession {
  token: string
  expiresAt: string
  /** Set when the session came from development sign-in (browser preview), to sign in again the same way. */
  devStaffId: string | null
  /** The profile last seen: the next launch opens with it at once (also offline) and confirms it with the server. */
  staff?: StaffProfile
  /** The server's Marketing Code format that came with the session. */
  marketingCodes?: MarketingCodeFormat
}

/** No format known (not signed in): nothing is a Marketing Code. */
const NO_MARKETING_CODES: MarketingCodeFormat = { urlPatterns: [], codePattern: '(?!)' }

export type SessionPhase = 'idle' | 'signing-in' | 'signed-in' | 'needs-dev-signin' | 'failed'

/** Who is signed in: DingTalk auth code exchange inside DingTalk, development sign-in in the browser preview. */
export class SessionStore {
  phase: SessionPhase = 'idle'
  token: string | null = null
  staff: StaffProfile | null = null
  error: ErrorCode | null = null
  /** The server's id of the request behind `error` (shown under it, for staff to quote to support). */
  errorRequestId: string | null = null
  devStaff: DevStaffOption[] = []
  /** The profile shown came from the last launch and the server has not confirmed it yet. */
  unconfirmed = false
  /** Which scanned QR payloads are Alipay+ Marketing Codes: the server's configuration, with the session. */
  marketingCodes: MarketingCodeFormat | null = null
  private devStaffId: string | null = null
  private expiresAt: string | null = null
  private confirming: Promise<void> | null = null
  private reauthenticating: Promise<boolean> | null = null
  private api!: ApiClient

  constructor(
    private readonly auth: AuthPort,
    private readonly storage: StoragePort,
  ) {
    const saved = storage.get<SavedSession>(SESSION_STORAGE_KEY)
    // a session saved without the Marketing Code format (an older version of the app) is signed in afresh
    if (saved?.token && saved.marketingCodes) {
      this.marketingCodes = saved.marketingCodes
      this.token = saved.token
      this.devStaffId = saved.devStaffId ?? null
      this.expiresAt = saved.expiresAt ?? null
      // a returning staff member sees their work at once, before (or without) the network
      if (saved.staff && Date.parse(saved.expiresAt) > Date.now()) {
        this.staff = saved.staff
        this.phase = 'signed-in'
        this.unconfirmed = true
      }
    }
    makeAutoObservable<this, 'auth' | 'storage' | 'api' | 'confirming' | 'reauthenticating'>(
      this,
      {
        auth: false,
        storage: false,
        api: false,
        confirming: false,
        reauthenticating: false,
        // the server's format, replaced whole and never edited: kept as the plain value it came as (saved with the
        // session as it is, on an engine without Proxy too)
        marketingCodes: observable.ref,
      },
      { autoBind: true },
    )
  }

  /** Set by the root store once the client (which needs this store's token) exists. */
  attach(api: ApiClient) {
    this.api = api
  }

  get signedIn() {
    return this.phase === 'signed-in' && this.staff !== null
  }

  /** Reads scans with the format the server sent with the session (rules/marketing-code.ts). */
  get marketingCodeReader(): MarketingCodeReader {
    return marketingCodeReader(this.marketingCodes ?? NO_MARKETING_CODES)
  }

  /**
   * On launch: resume a saved session, else sign in with DingTalk, else ask for development sign-in. A
   * session resumed with its saved profile is confirmed with the server in the background.
   */
  start = flow(function* (this: SessionStore) {
    if (this.signedIn && this.unconfirmed) return yield* awaited(this.confirm())
    if (this.phase === 'signing-in' || this.signedIn) return
    this.phase = 'signing-in'
    this.error = null
    this.errorRequestId = null
    if (this.token) {
      try {
        const staff = yield* awaited(this.api.call('GET /api/me'))
        this.staff = staff
        this.phase = 'signed-in'
        this.save()
        return
      } catch (e) {
        const err = toApiError(e)
        if (err.code === 'NETWORK' || err.code === 'TIMEOUT' || err.code === 'SERVER') {
          this.phase = 'failed'
          this.error = err.code
          this.errorRequestId = requestIdOf(err)
          return
        }
        // the saved session is no longer valid: sign in afresh below
        this.clear()
      }
    }
    yield* awaited(this.signInFresh())
  })

  /**
   * Asks the server who is signed in. Offline, the saved profile stays (and is asked again on the next
   * page); a session the server no longer knows signs in afresh. An expired one is renewed by the client.
   */
  private confirm(): Promise<void> {
    this.confirming ??= this.confirmOnce()
    return this.confirming
  }

  private confirmOnce = flow(function* (this: SessionStore) {
    try {
      const staff = yield* awaited(this.api.call('GET /api/me'))
      this.staff = staff
      this.unconfirmed = false
      this.save()
    } catch (e) {
      const err = toApiError(e)
      if (err.code === 'NETWORK' || err.code === 'TIMEOUT' || err.code === 'SERVER') return
      this.clear()
      this.phase = 'signing-in'
      yield* awaited(this.signInFresh())
    } finally {
      this.confirming = null
    }
  })

  /**
   * Used by the API client when the server says the session expired. The calls that meet the expiry
   * together share one sign-in.
   */
  reauthenticate = (): Promise<boolean> => {
    this.reauthenticating ??= (async () => {
      // settled before it is forgotten, so that a sign-in that needs no wait is still shared
      await Promise.resolve()
      try {
        if (this.auth.kind === 'dingtalk') await this.signInWithDingTalk()
        else if (this.devStaffId) await this.devSignIn(this.devStaffId)
        else return false
        return this.token !== null
      } catch {
        return false
      } finally {
        this.reauthenticating = null
      }
    })()
    return this.reauthenticating
  }

  private signInFresh = flow(function* (this: SessionStore) {
    if (this.auth.kind === 'dingtalk') {
      try {
        yield* awaited(this.signInWithDingTalk())
      } catch (e) {
        this.phase = 'failed'
        this.error = toApiError(e).code === 'SERVER' ? 'AUTH_CODE_INVALID' : toApiError(e).code
        this.errorRequestId = requestIdOf(e)
      }
      return
    }
    yield* awaited(this.loadDevStaff())
  })

  async signInWithDingTalk() {
    const authCode = await this.auth.getAuthCode()
    const corpId = this.auth.corpId
    const session = await this.api.call('POST /api/auth/dingtalk', corpId ? { authCode, corpId } : { authCode })
    this.accept(session, null)
  }

  loadDevStaff = flow(function* (this: SessionStore) {
    try {
      if (!devSignIn) throw new ApiError('DEV_SIGNIN_DISABLED', 0)
      const staff = yield* awaited(devSignIn.staff(this.api))
      this.devStaff = staff
      this.phase = 'needs-dev-signin'
    } catch (e) {
      this.phase = 'failed'
      this.error = toApiError(e).code
      this.errorRequestId = requestIdOf(e)
    }
  })

  devSignIn = flow(function* (this: SessionStore, staffId: string) {
    this.phase = 'signing-in'
    this.error = null
    this.errorRequestId = null
    try {
      if (!devSignIn) throw new ApiError('DEV_SIGNIN_DISABLED', 0)
      const session = yield* awaited(devSignIn.signIn(this.api, staffId))
      this.accept(session, staffId)
    } catch (e) {
      this.phase = 'needs-dev-signin'
      this.error = toApiError(e).code
      this.errorRequestId = requestIdOf(e)
      throw e
    }
  })

  async refreshProfile() {
    const staff = await this.api.call('GET /api/me')
    this.setProfile(staff)
  }

  setProfile(staff: StaffProfile) {
    this.staff = staff
    this.unconfirmed = false
    this.save()
  }

  signOut() {
    this.clear()
    this.phase = 'idle'
  }

  private accept(session: SessionInfo, devStaffId: string | null) {
    this.token = session.token
    this.expiresAt = session.expiresAt
    this.staff = session.staff
    this.marketingCodes = session.marketingCodes
    this.devStaffId = devStaffId
    this.phase = 'signed-in'
    this.unconfirmed = false
    this.error = null
    this.errorRequestId = null
    this.save()
  }

  private save() {
    if (!this.token || !this.expiresAt) return
    try {
      this.storage.set<SavedSession>(SESSION_STORAGE_KEY, {
        token: this.token,
        expiresAt: this.expiresAt,
        devStaffId: this.devStaffId,
        staff: this.staff ?? undefined,
        marketingCodes: this.marketingCodes ?? undefined,
      })
    } catch {
      // storage full: the session lasts for this run
    }
  }

  private clear() {
    this.token = null
    this.expiresAt = null
    this.staff = null
    this.marketingCodes = null
    this.devStaffId = null
    this.unconfirmed = false
    this.storage.remove(SESSION_STORAGE_KEY)
  }
}
