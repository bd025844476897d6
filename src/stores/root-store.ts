import { reaction } from 'mobx'
import type { PromotionDetail } from '../../types/results'
import type { AppConfig } from '../platform/config'
import type { Platform } from '../platform/types'
import { ApiClient } from '../services/api-client'
import { PhotoService } from '../services/photo-service'
import { AppealStore } from './appeal-store'
import { AssociationStore } from './association-store'
import { DraftsStore } from './drafts-store'
import { I18nStore } from './i18n-store'
import { InspectionsStore } from './inspections-store'
import { InspectionWizard } from './inspection-wizard'
import { OutboxStore, type OutboxOptions } from './outbox-store'
import { PromotionsStore } from './promotions-store'
import { ResultsStore } from './results-store'
import { SessionStore } from './session-store'
import { PromotionWizard } from './wizard-store'
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
  readonly drafts: DraftsStore
  readonly outbox: OutboxStore
  readonly photos: PhotoService
  readonly promotions: PromotionsStore
  readonly results: ResultsStore
  readonly appeals: AppealStore
  readonly inspections: InspectionsStore
  private readonly inspectionWizards = new Map<string, InspectionWizard>()
  private readonly wizards = new Map<string, PromotionWizard>()
  private readonly now: () => Date

  constructor(
    readonly platform: Platform,
    config: AppConfig,
    options: RootStoreOptions = {},
  ) {
    this.i18n = new I18nStore(platform.storage, platform.system)
    this.session = new SessionStore(platform.auth, platform.storage)
    this.api = new ApiClient({
      http: platform.http,
      uploader: platform.uploader,
      baseUrl: config.apiBaseUrl,
      token: () => this.session.token,
      reauthenticate: this.session.reauthenticate,
      retryDelaysMs: options.retryDelaysMs,
    })
    this.session.attach(this.api)
    this.association = new AssociationStore(this.api, this.session, platform.scanner, platform.storage)
    this.now = options.now ?? (() => new Date())
    this.workspace = new WorkspaceStore(this.api, platform.storage)
    this.drafts = new DraftsStore(platform.storage, platform.files, this.now)
    this.photos = new PhotoService(platform.camera, platform.files, platform.location, this.now, (id) => this.api.authorized(`/api/uploads/${encodeURIComponent(id)}`))
    this.promotions = new PromotionsStore(this.api, this.photos)
    this.outbox = new OutboxStore(this.api, platform.storage, platform.files, platform.network, {
      ...options.outbox,
      onSent: (item) => {
        // the draft is done: the promotion (or its Modify) is on the server now
        if (item.kind === 'resubmission') this.drafts.discard(item.draftId, true)
        if (item.kind === 'promotion') this.drafts.discard(item.draftId, true)
        if (item.kind === 'inspection' && item.task) {
          this.inspections.put(item.task)
          this.inspections.discardDraft(item.task.id)
        }
        if (item.promotion) void this.promotions.load()
        if (item.promotion && 'eligibility' in item.promotion) this.results.put(item.promotion as unknown as PromotionDetail)
        options.outbox?.onSent?.(item)
      },
    })
    this.results = new ResultsStore(this.api, this.now, () => this.workspace.info?.timezone)
    this.appeals = new AppealStore(platform.storage, this.photos, this.outbox)
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

  /** The inspection wizard of a Verification Task (one instance per task). */
  inspection(taskId: string): InspectionWizard | null {
    const task = this.inspections.get(taskId)
    if (!task) return null
    // the draft exists before anything observes it (started outside any derivation)
    if (task.status === 'TO_DO' || task.status === 'IN_PROGRESS') this.inspections.draft(task)
    let wizard = this.inspectionWizards.get(taskId)
    if (!wizard) {
      wizard = new InspectionWizard(taskId, {
        inspections: this.inspections,
        outbox: this.outbox,
        api: this.api,
        photos: this.photos,
        scanner: this.platform.scanner,
        location: this.platform.location,
      })
      this.inspectionWizards.set(taskId, wizard)
    }
    return wizard
  }

  /** The wizard of a draft (one instance per draft, so its transient state survives page changes). */
  wizard(draftId: string): PromotionWizard | null {
    if (!this.drafts.get(draftId) && !this.outbox.forDraft(draftId)) return null
    let wizard = this.wizards.get(draftId)
    if (!wizard) {
      wizard = new PromotionWizard(draftId, {
        drafts: this.drafts,
        outbox: this.outbox,
        api: this.api,
        photos: this.photos,
        scanner: this.platform.scanner,
        location: this.platform.location,
        maxSpots: () => this.workspace.info?.maxSpotsPerStore ?? 1,
        minuteOfDay: () => minuteOfDayIn(this.workspace.info?.timezone, this.now()),
      })
      this.wizards.set(draftId, wizard)
    }
    return wizard
  }
}

/** Minutes since midnight in the ISO's time zone (the device's own when the engine lacks time zones). */
export function minuteOfDayIn(timeZone: string | undefined, date: Date): number {
  try {
    if (timeZone) {
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date)
      const hour = Number(parts.find((p) => p.type === 'hour')?.value)
      const minute = Number(parts.find((p) => p.type === 'minute')?.value)
      if (Number.isFinite(hour) && Number.isFinite(minute)) return hour * 60 + minute
    }
  } catch {
    // no time-zone support on this engine
  }
  return date.getHours() * 60 + date.getMinutes()
}
