import { makeAutoObservable, runInAction } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { WorkspaceInfo } from '../../packages/contract/promotion'
import type { StoragePort } from '../platform/types'
import { toApiError, type ApiClient } from '../services/api-client'

export const WORKSPACE_KEY = 'posm.workspace'

/**
 * The ISO's settings for promotions (its deployment method, agreed with the Alipay+ regional
 * coordinator and set on the server; the spot limit; the test account). Kept for offline use.
 */
export class WorkspaceStore {
  info: WorkspaceInfo | null
  error: ErrorCode | null = null

  constructor(
    private readonly api: ApiClient,
    private readonly storage: StoragePort,
  ) {
    this.info = storage.get<WorkspaceInfo>(WORKSPACE_KEY)
    makeAutoObservable<this, 'api' | 'storage'>(this, { api: false, storage: false })
  }

  async load(): Promise<WorkspaceInfo | null> {
    try {
      const info = await this.api.call('GET /api/workspace')
      runInAction(() => {
        this.info = info
        this.error = null
      })
      try {
        this.storage.set(WORKSPACE_KEY, info)
      } catch {
        // storage full: the settings stay in memory
      }
      return info
    } catch (e) {
      runInAction(() => (this.error = toApiError(e).code))
      return this.info
    }
  }
}
