import { makeAutoObservable, observable, runInAction, toJS } from 'mobx'
import type { ErrorCode } from '../../types/errors'
import type { InspectionTask, SpotCondition } from '../../types/inspection'
import { withoutField, type FieldErrors } from '../../types/schemas'
import type { LocationPort, ScanLabels, ScannerPort } from '../platform/types'
import { compareCodes, FAR_FROM_STORE_METERS, type CodeComparison } from '../rules/inspection'
import {
  distanceFromStore,
  INSPECTION_STEPS,
  inspectionPhotos,
  toInspectionSubmission,
  validateInspectionStep,
  type InspectionDraft,
  type InspectionStep,
} from '../rules/inspection-draft'
import { parseMarketingCode } from '../rules/marketing-code'
import type { ApiClient } from '../services/api-client'
import type { PhotoService } from '../services/photo-service'
import type { InspectionsStore } from './inspections-store'
import type { OutboxItem, OutboxStore } from './outbox-store'
import { PaymentVerifier } from './payment-verifier'
import type { RootStore } from './root-store'
import { perRoot } from './per-root'

/** The inspection wizard's transitions: the same pattern as the promotion wizard. */
export const INSPECTION_TRANSITIONS: Record<InspectionStep, { next?: InspectionStep; back?: InspectionStep }> = {
  store: { next: 'spots' },
  spots: { back: 'store', next: 'payment' },
  payment: { back: 'spots', next: 'summary' },
  summary: { back: 'payment' },
}

export type InspectionState = InspectionStep | 'submitting' | 'submitted' | 'refused'

export interface InspectionDeps {
  inspections: InspectionsStore
  outbox: OutboxStore
  api: ApiClient
  photos: PhotoService
  scanner: ScannerPort
  location: LocationPort
}

/** One Verification Task as a wizard: verify the store, each spot, the payment; summary and Submit. */
export class InspectionWizard {
  errors: FieldErrors = {}
  locating = false
  readonly payment: PaymentVerifier

  constructor(
    readonly taskId: string,
    private readonly deps: InspectionDeps,
  ) {
    this.payment = new PaymentVerifier(
      {
        get: (mode) => this.draft.payment[mode],
        update: (mode, change) => this.change((d) => change(d.payment[mode])),
        wallets: () => this.task.store.wallets,
      },
      deps.photos,
      deps.api,
      (input) => deps.api.call('POST /api/inspections/:id/payment-verifications', input, { id: taskId }),
    )
    // errors are replaced whole, never edited in place: a plain object that pages may list (Object.keys)
    makeAutoObservable<this, 'deps'>(this, { deps: false, payment: false, errors: observable.ref })
  }

  get task(): InspectionTask {
    const task = this.deps.inspections.get(this.taskId)
    if (!task) throw new Error(`no task ${this.taskId}`)
    return task
  }

  get draft(): InspectionDraft {
    return this.deps.inspections.draft(this.task)
  }

  /**
   * The draft and the task as plain data, for the shared rules and schemas: without Proxy (an older DingTalk
   * engine) an observable array is no Array to `Array.isArray`, and valibot would refuse it.
   */
  get plainDraft(): InspectionDraft {
    return toJS(this.draft)
  }

  get plainTask(): InspectionTask {
    return toJS(this.task)
  }

  get outboxItem(): OutboxItem | null {
    return this.deps.outbox.forDraft(`inspection:${this.taskId}`)
  }

  get state(): InspectionState {
    const item = this.outboxItem
    if (item?.status === 'sent' || this.task.status === 'SUBMITTED' || this.task.status === 'ACCEPTED' || this.task.status === 'REJECTED') return 'submitted'
    if (item?.status === 'refused' && !this.editingAfterRefusal) return 'refused'
    if (item && item.status !== 'refused' && !this.editingAfterRefusal) return 'submitting'
    return this.draft.step
  }

  editingAfterRefusal = false

  get stepIndex(): number {
    return INSPECTION_STEPS.indexOf(this.draft.step)
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

  fieldError(path: string): ErrorCode | null {
    return this.errors[path] ?? null
  }

  /** Next, once the photos back from the camera are kept (a photo being kept is not missing). */
  async advance(): Promise<boolean> {
    await this.deps.photos.whenKept()
    return this.next()
  }

  next(): boolean {
    const state = this.state
    if (state === 'submitting' || state === 'submitted' || state === 'refused') return false
    const target = INSPECTION_TRANSITIONS[state].next
    if (!target) return false
    const errors = validateInspectionStep(state, this.plainDraft, this.plainTask)
    if (Object.keys(errors).length > 0) {
      this.errors = errors
      return false
    }
    this.errors = {}
    this.change((d) => (d.step = target))
    return true
  }

  back(): boolean {
    const state = this.state
    if (state === 'submitting' || state === 'submitted') return false
    if (state === 'refused') {
      this.editingAfterRefusal = true
      this.errors = { ...(this.outboxItem?.lastErrorFields ?? {}) } as FieldErrors
      return true
    }
    const target = INSPECTION_TRANSITIONS[state].back
    if (!target) return false
    this.change((d) => (d.step = target))
    return true
  }

  submit(): boolean {
    if (this.state !== 'summary') return false
    const errors = validateInspectionStep('summary', this.plainDraft, this.plainTask)
    if (Object.keys(errors).length > 0) {
      this.errors = errors
      return false
    }
    this.errors = {}
    this.deps.outbox.submit({
      draftId: `inspection:${this.taskId}`,
      label: this.task.store.name,
      product: this.task.product,
      payload: toInspectionSubmission(this.plainDraft, this.plainTask),
      photos: inspectionPhotos(this.plainDraft),
      kind: 'inspection',
      targetId: this.taskId,
    })
    this.editingAfterRefusal = false
    return true
  }

  retry(): boolean {
    const item = this.outboxItem
    if (!item || this.state !== 'submitting') return false
    this.deps.outbox.retry(item.id)
    return true
  }

  // ---- edits ---------------------------------------------------------------------------------

  private change(edit: (d: InspectionDraft) => void) {
    this.deps.inspections.update(this.taskId, edit)
  }

  private clear(path: string) {
    this.errors = withoutField(this.errors, path)
  }

  setStoreCheck(field: 'open' | 'sameStore', value: boolean) {
    this.change((d) => (d.store[field] = value))
    this.clear(`store.${field}`)
  }

  setStoreFeedback(value: string) {
    this.change((d) => (d.store.feedback = value))
    this.clear('store.feedback')
  }

  async refreshLocation() {
    this.locating = true
    try {
      const location = await this.deps.location.getLocation()
      this.change((d) => (d.store.location = location))
    } catch {
      // recorded without a location; the page says so
    } finally {
      runInAction(() => (this.locating = false))
    }
  }

  async takeStorefrontPhoto(title: string) {
    const photo = await this.deps.photos.take(title)
    if (!photo) return
    this.change((d) => {
      d.store.storefrontPhoto = photo
      if (!d.store.location && photo.location) d.store.location = photo.location
    })
    this.clear('store.storefrontPhotoId')
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
    const photo = await this.deps.photos.take(title)
    if (!photo) return
    this.change((d) => (d.spots[index].photo = photo))
    this.clear(`spots.${index}.photoId`)
  }

  /** Scans the code on the material and compares it with the code bound to the spot. */
  async scanSpotCode(index: number, labels: ScanLabels) {
    const text = await this.deps.scanner.scan(labels)
    if (text === null) return
    const code = parseMarketingCode(text)
    runInAction(() => {
      if (!code) {
        this.errors = { ...this.errors, [`spots.${index}.scannedCode`]: 'CODE_INVALID' }
        return
      }
      this.change((d) => (d.spots[index].scannedCode = code))
      this.clear(`spots.${index}.scannedCode`)
    })
  }
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
        scanner: root.platform.scanner,
        location: root.platform.location,
      }),
  )
}
