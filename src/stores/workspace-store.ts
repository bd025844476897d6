import { makeAutoObservable, flow } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { DeploymentMethod, WorkspaceInfo } from '../../packages/contract/promotion'
import type { MethodAgreementStatus } from '../../packages/contract/rules/method-agreement'
import type { StoragePort } from '../platform/types'
import { requestIdOf, toApiError, type ApiClient } from '../services/api-client'
import { awaited } from './awaited'

export const WORKSPACE_KEY = 'posm.workspace'

/**
 * The ISO's settings for promotions (its deployment method, agreed with the Alipay+ regional
 * coordinator and set on the server; the spot limit; the test account). Kept for offline use.
 */
export class WorkspaceStore {
  info: WorkspaceInfo | null
  error: ErrorCode | null = null
  /** The server's id of the request behind `error` (shown under it, for staff to quote to support). */
  errorRequestId: string | null = null

  constructor(
    private readonly api: ApiClient,
    private readonly storage: StoragePort,
  ) {
    this.info = storage.get<WorkspaceInfo>(WORKSPACE_KEY)
    makeAutoObservable<this, 'api' | 'storage'>(this, { api: false, storage: false }, { autoBind: true })
  }

  /**
   * Why Start Promotion is locked by the deployment method: no method agreed yet between the ISO and the
   * Alipay+ regional coordinator (with the proposal, if any). null: a method is agreed, or not known yet (the
   * server decides at Start Promotion).
   */
  get methodLock(): { status: Exclude<MethodAgreementStatus, 'AGREED'>; method: DeploymentMethod | null } | null {
    const a = this.info?.methodAgreement
    if (!a || a.agreed) return null
    return { status: a.status === 'AGREED' ? 'NOT_AGREED' : a.status, method: a.proposal }
  }

  /** A change of the agreed method proposed and not agreed yet (the agreed one stays in force). */
  get pendingChange(): DeploymentMethod | null {
    const a = this.info?.methodAgreement
    return a?.agreed && a.status === 'PROPOSED' && a.proposal && a.proposal !== a.agreed ? a.proposal : null
  }

  load = flow(function* (this: WorkspaceStore) {
    try {
      const info = yield* awaited(this.api.call('GET /api/workspace'))
      this.info = info
      this.error = null
      this.errorRequestId = null
      try {
        this.storage.set(WORKSPACE_KEY, info)
      } catch {
        // storage full: the settings stay in memory
      }
      return info
    } catch (e) {
      this.error = toApiError(e).code
      this.errorRequestId = requestIdOf(e)
      return this.info
    }
  })
}
