import type { AppConfig } from '../platform/config'
import type { Platform } from '../platform/types'
import { ApiClient } from '../services/api-client'
import { AssociationStore } from './association-store'
import { I18nStore } from './i18n-store'
import { SessionStore } from './session-store'

export interface RootStoreOptions {
  /** Test hooks for the client: retry delays and sleep. */
  retryDelaysMs?: number[]
}

/** All stores, built from the platform ports. Tests build it whole with fake ports. */
export class RootStore {
  readonly i18n: I18nStore
  readonly session: SessionStore
  readonly api: ApiClient
  readonly association: AssociationStore

  constructor(
    readonly platform: Platform,
    config: AppConfig,
    options: RootStoreOptions = {},
  ) {
    this.i18n = new I18nStore(platform.storage, platform.system)
    this.session = new SessionStore(platform.auth, platform.storage)
    this.api = new ApiClient({
      http: platform.http,
      baseUrl: config.apiBaseUrl,
      token: () => this.session.token,
      reauthenticate: this.session.reauthenticate,
      retryDelaysMs: options.retryDelaysMs,
    })
    this.session.attach(this.api)
    this.association = new AssociationStore(this.api, this.session, platform.scanner, platform.storage)
  }
}
