import { flow, toJS } from 'mobx'
import type { InspectionTask, SpotCondition } from '../../packages/contract/inspection'
import type { LocationPort, ScanLabels, ScannerPort } from '../platform/types'
import { compareCodes, FAR_FROM_STORE_METERS, type CodeComparison } from '../../packages/contract/rules/inspection'
import {
  distanceFromStore,
  INSPECTION_STEPS,
  inspectionPhotos,
  toInspectionSubmission,
  validateInspectionStep,
  type InspectionDraft,
  type InspectionStep,
} from '../rules/inspection-draft'
import { NOT_A_MARKETING_CODE, type MarketingCodeReader } from '../../packages/contract/rules/marketing-code'
import type { PhotoRef } from '../rules/promotion-draft'
import { codeInPhoto, photoPurpose } from '../rules/photo-ref'
import type { PhotoCodeCheck, UploadPurpose } from '../../packages/contract/photo-check'
import type { PhotoChecker } from '../services/photo-checker'
import { toApiError, type ApiClient } from '../services/api-client'
import type { PhotoService } from '../services/photo-service'
import type { InspectionsStore } from './inspections-store'
import type { OutboxStore } from './outbox-store'
import type { RootStore } from './root-store'
import { perRoot } from './per-root'
import { WizardEngine, type WizardConfig } from './wizard-engine'
import { awaited } from './awaited'

export interface InspectionDeps {
  inspections: InspectionsStore
  outbox: OutboxStore
  api: ApiClient
  photos: PhotoService
  /** Issue 26: uploads a storefront or spot photo right after capture (when online) for the server's check. */
  checker?: PhotoChecker
  scanner: ScannerPort
  location: LocationPort
  /** The phone's clock. */
  now?: () => Date
  /** Reads a scan with the Marketing Code format the session brought from the server. */
  marketingCodes: () => MarketingCodeReader
}

const taskOf = (taskId: string, deps: InspectionDeps): InspectionTask => {
  const task = deps.inspections.get(taskId)
  if (!task) throw new Error(`no task ${taskId}`)
  return task
}

/** The inspection wizard's configuration of the engine: the task's draft, store → spots → payment → summary. */
function inspectionConfig(taskId: string, deps: InspectionDeps): WizardConfig<InspectionDraft, InspectionStep> {
  const task = () => taskOf(taskId, deps)
  return {
    outboxKey: `inspection:${taskId}`,
    draft: () => deps.inspections.draft(task()),
    update: (edit) => deps.inspections.update(taskId, edit),
    steps: () => INSPECTION_STEPS,
    check: (step, d) => validateInspectionStep(step, d, toJS(task())),
    submission: (d) => {
      const plainTask = toJS(task())
      return {
        label: plainTask.store.name,
        product: plainTask.product,
        payload: toInspectionSubmission(d, plainTask),
        photos: inspectionPhotos(d),
        kind: 'inspection',
        targetId: taskId,
      }
    },
    submitted: () => {
      const status = task().status
      return status === 'SUBMITTED' || status === 'ACCEPTED' || status === 'REJECTED'
    },
    wallets: () => task().store.wallets,
    verifyPayment: (input) => deps.api.call('POST /api/inspections/:id/payment-verifications', input, { id: taskId }),
    // the inspection was begun at the store: the visit's start (drafts kept before it was recorded: none)
    visitStartedAt: (d) => d.startedAt,
  }
}

/** One Verification Task as a wizard: the engine, with the store, spot and code checks of an inspection. */
export class InspectionWizard extends WizardEngine<InspectionDraft, InspectionStep> {
  constructor(
    readonly taskId: string,
    private readonly deps: InspectionDeps,
  ) {
    super(inspectionConfig(taskId, deps), deps)
  }

  get task(): InspectionTask {
    return taskOf(this.taskId, this.deps)
  }

  get plainTask(): InspectionTask {
    return toJS(this.task)
  }

  get distance(): number | null {
    return distanceFromStore(this.draft, this.task)
  }

  get far(): boolean {
    return (this.distance ?? 0) > FAR_FROM_STORE_METERS
  }

  get spotsDone(): number {
    const errors = validateInspectionStep('spots', this.plainDraft, this.plainTask)
    return this.draft.spots.filter((_, i) => !Object.keys(errors).some((k) => k.startsWith(`spots.${i}.`))).length
  }

  comparison(index: number): CodeComparison {
    return compareCodes(this.draft.spots[index]?.scannedCode, this.task.spots[index]?.marketingCode)
  }

  protected photoPurpose(path: string): UploadPurpose {
    return photoPurpose('inspection', path)
  }

  protected photoAt(path: string, d: InspectionDraft): PhotoRef | null {
    const spot = /^spots\.(\d+)\.photoId$/.exec(path)
    return spot ? (d.spots[Number(spot[1])]?.photo ?? null) : super.photoAt(path, d)
  }

  /**
   * Issue 26: whether a Marketing Code spot's photo shows the code the inspector scanned on the material (MATCH,
   * DIFFERENT, NONE); null while unknown (no code scanned, no photo, or the photo not checked yet, e.g. offline).
   */
  codeInPhoto(index: number): PhotoCodeCheck | null {
    const spot = this.draft.spots[index]
    if (this.task.product !== 'MARKETING_CODE' || !spot) return null
    const reader = this.deps.marketingCodes()
    return codeInPhoto(spot.photo, spot.scannedCode, (text) => reader.read(text))
  }

  /** The storefront photo's place stands in for the store's location when the device gave none. */
  protected placeStorefront(d: InspectionDraft, photo: PhotoRef) {
    d.store.storefrontPhoto = photo
    if (!d.store.location && photo.location) d.store.location = photo.location
  }

  setStoreCheck(field: 'open' | 'sameStore', value: boolean) {
    this.change((d) => (d.store[field] = value))
    this.clear(`store.${field}`)
  }

  setStoreFeedback(value: string) {
    this.change((d) => (d.store.feedback = value))
    this.clear('store.feedback')
  }

  setCondition(index: number, condition: SpotCondition) {
    this.change((d) => (d.spots[index].condition = condition))
    this.clear(`spots.${index}.condition`)
    this.clear(`spots.${index}.feedback`)
    this.clear(`spots.${index}.scannedCode`)
  }

  setSpotFeedback(index: number, value: string) {
    this.change((d) => (d.spots[index].feedback = value))
    this.clear(`spots.${index}.feedback`)
  }

  async takeSpotPhoto(index: number, title: string) {
    await this.takePhoto(title, `spots.${index}.photoId`, (d, photo) => (d.spots[index].photo = photo))
  }

  /** Scans the code on the material and compares it with the code bound to the spot. */
  scanSpotCode = flow(function* (this: InspectionWizard, index: number, labels: ScanLabels) {
    let text: string | null
    try {
      text = yield* awaited(this.deps.scanner.scan(labels))
    } catch (e) {
      // the scanner failed (a cancel answers null): said at the spot's scanned code
      this.fail(`spots.${index}.scannedCode`, toApiError(e).code)
      return
    }
    if (text === null) return
    const reader = this.deps.marketingCodes()
    const code = reader.read(text)
    const kind = reader.classify(text)
    if (!code) {
      // not a Marketing Code: said what it is (a payment QR code, a web link, text)
      this.fail(`spots.${index}.scannedCode`, kind === 'MARKETING_CODE' ? 'CODE_INVALID' : NOT_A_MARKETING_CODE[kind])
      return
    }
    this.change((d) => (d.spots[index].scannedCode = code))
    this.clear(`spots.${index}.scannedCode`)
  })
}

const wizards = perRoot<InspectionWizard>()

/** The inspection wizard of a Verification Task (one instance per task). */
export function inspectionWizard(root: RootStore, taskId: string): InspectionWizard | null {
  const task = root.inspections.get(taskId)
  if (!task) return null
  // the draft exists before anything observes it (started outside any derivation)
  if (task.status === 'TO_DO' || task.status === 'IN_PROGRESS') root.inspections.draft(task)
  return wizards(
    root,
    taskId,
    () =>
      new InspectionWizard(taskId, {
        inspections: root.inspections,
        outbox: root.outbox,
        api: root.api,
        photos: root.photos,
        checker: root.photoChecker,
        scanner: root.platform.scanner,
        location: root.platform.location,
        now: root.now,
        marketingCodes: () => root.session.marketingCodeReader,
      }),
  )
}
