import { reaction, set } from 'mobx'
import type { AppConfig } from '../platform/config'
import type { Platform } from '../platform/types'
import { ApiClient } from '../services/api-client'
import { PhotoService } from '../services/photo-service'
import { PhotoChecker } from '../services/photo-checker'
import { draftPhotos } from '../rules/promotion-draft'
import { AppealStore } from './appeal-store'
import { AssociationStore } from './association-store'
import { DraftsStore } from './drafts-store'
import { I18nStore } from './i18n-store'
import { InspectionsStore } from './inspections-store'
import { unreachable } from './outbox-item'
import { OutboxStore, type OutboxOptions } from './outbox-store'
import { PromotionsStore } from './promotions-store'
import { ResultsStore } from './results-store'
import { SessionStore } from './session-store'
import { TestAccountStore } from './test-account-store'
import { WorkspaceStore } from './workspace-store'

export interface RootStoreOptions {
  /** Test hooks for the client: retry delays and sleep. */
  retryDelaysMs?: number[]
  outbox?: OutboxOptions
  now?: () => Date
}

/** All stores, built from the platform ports. Tests build it whole with fake ports. */
export class RootStore {
  readonly i18n: I18nStore
  readonly session: SessionStore
  readonly api: ApiClient
  readonly association: AssociationStore
  readonly workspace: WorkspaceStore
  /** The payment step's test-account password (revealed on a tap, memory only). */
  readonly testAccount: TestAccountStore
  readonly drafts: DraftsStore
  readonly outbox: OutboxStore
  readonly photos: PhotoService
  /** Issue 26: a storefront or spot photo uploaded right after capture (when online) for the server's check. */
  readonly photoChecker: PhotoChecker
  readonly promotions: PromotionsStore
  readonly results: ResultsStore
  readonly appeals: AppealStore
  readonly inspections: InspectionsStore
  readonly now: () => Date

  constructor(
    readonly platform: Platform,
    config: AppConfig,
    options: RootStoreOptions = {},
  ) {
    this.i18n = new I18nStore(platform.storage, platform.system, platform.languages)
    this.session = new SessionStore(platform.auth, platform.storage)
    this.api = new ApiClient({
      http: platform.http,
      uploader: platform.uploader,
      baseUrl: config.apiBaseUrl,
      token: () => this.session.token,
      locale: () => this.i18n.locale,
      reauthenticate: this.session.reauthenticate,
      retryDelaysMs: options.retryDelaysMs,
    })
    this.session.attach(this.api)
    this.association = new AssociationStore(this.api, this.session, platform.scanner, platform.storage)
    this.now = options.now ?? (() => new Date())
    this.workspace = new WorkspaceStore(this.api, platform.storage)
    this.testAccount = new TestAccountStore(this.api, platform.clipboard, () => void this.workspace.load())
    this.drafts = new DraftsStore(platform.storage, platform.files, this.now)
    this.photos = new PhotoService(platform.camera, platform.files, platform.location, this.now, (id) =>
      this.api.authorized(`/api/uploads/${encodeURIComponent(id)}`),
    )
    this.promotions = new PromotionsStore(this.api, this.photos)
    this.outbox = new OutboxStore(this.api, platform.storage, platform.files, platform.network, {
      ...options.outbox,
      onPhotoChecked: (item, localPath, check) => {
        // a photo the outbox uploaded (offline at capture): its draft shows the check at the photo (Retake, Keep anyway)
        if (item.kind !== 'promotion' && item.kind !== 'resubmission') return
        this.drafts.update(item.draftId, (d) => {
          for (const photo of draftPhotos(d)) if (photo.localPath === localPath && !photo.check) set(photo, 'check', check)
        })
      },
      onSent: (item) => {
        switch (item.kind) {
          case 'promotion':
            // the draft is done: the promotion is on the server now
            this.drafts.discard(item.draftId, true)
            if (item.promotion) void this.promotions.load()
            break
          case 'resubmission':
            // the draft of the Modify is done; the answer is the promotion's whole detail (packages/contract/api.ts)
            this.drafts.discard(item.draftId, true)
            if (item.promotion) {
              void this.promotions.load()
              this.results.put(item.promotion)
            }
            break
          case 'appeal':
            // answered with the promotion's whole detail, its appeal open
            if (item.promotion) {
              void this.promotions.load()
              this.results.put(item.promotion)
            }
            break
          case 'inspection':
            if (item.task) {
              this.inspections.put(item.task)
              this.inspections.discardDraft(item.task.id)
            }
            break
          default:
            unreachable(item)
        }
        options.outbox?.onSent?.(item)
      },
    })
    this.photoChecker = new PhotoChecker(this.api, () => this.outbox.online)
    this.results = new ResultsStore(this.api, this.now, () => this.workspace.info?.timezone)
    this.appeals = new AppealStore(platform.storage, this.photos, this.outbox, this.photoChecker)
    this.inspections = new InspectionsStore(this.api, platform.storage, platform.location, this.now)
    // what waited in the outbox when the app stopped goes as soon as somebody is signed in again
    reaction(
      () => this.session.signedIn,
      (signedIn) => {
        if (signedIn) this.outbox.retryAll()
      },
      { fireImmediately: true },
    )
  }

  // The promotion and inspection wizards (one per draft, one per task) are made by promotionWizard() in
  // wizard-store.ts and inspectionWizard() in inspection-wizard.ts: their code loads with the pages that
  // use them, not at start-up.
}
