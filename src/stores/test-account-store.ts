import { makeAutoObservable, flow } from 'mobx'
import type { TestAccountSecret } from '../../packages/contract/api'
import type { ErrorCode } from '../../packages/contract/errors'
import type { ClipboardPort } from '../platform/types'
import { requestIdOf, toApiError, type ApiClient } from '../services/api-client'
import { awaited } from './awaited'

/**
 * The payment step's test-account password: asked of the server only when the staff member taps Show (each
 * reveal is audited there), kept in memory only (never in storage), forgotten on Hide and when the payment step
 * closes; copied through the platform's clipboard.
 */
export class TestAccountStore {
  secret: TestAccountSecret | null = null
  busy = false
  error: ErrorCode | null = null
  /** The server's id of the request behind `error` (shown under it, for staff to quote to support). */
  errorRequestId: string | null = null
  /** The outcome of the last copy, for the line that says so. */
  copied: 'ok' | 'failed' | null = null

  constructor(
    private readonly api: ApiClient,
    private readonly clipboard: ClipboardPort,
    /** The server said there is no account (any more): the workspace's view of it is refreshed. */
    private readonly onGone: () => void,
  ) {
    makeAutoObservable<this, 'api' | 'clipboard' | 'onGone'>(this, { api: false, clipboard: false, onGone: false }, { autoBind: true })
  }

  reveal = flow(function* (this: TestAccountStore) {
    if (this.busy) return
    this.busy = true
    this.error = null
    this.errorRequestId = null
    this.copied = null
    try {
      const secret = yield* awaited(this.api.call('POST /api/test-account/reveal', {}))
      this.secret = secret
    } catch (e) {
      const code = toApiError(e).code
      this.error = code
      this.errorRequestId = requestIdOf(e)
      if (code === 'TEST_ACCOUNT_NONE') this.onGone()
    } finally {
      this.busy = false
    }
  })

  hide(): void {
    this.secret = null
    this.copied = null
    this.error = null
    this.errorRequestId = null
  }

  copy = flow(function* (this: TestAccountStore) {
    const password = this.secret?.password
    if (!password) return
    try {
      yield* awaited(this.clipboard.copy(password))
      this.copied = 'ok'
    } catch {
      this.copied = 'failed'
    }
  })
}
