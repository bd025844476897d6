import { flow, get, observable, set, toJS } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import { withoutField, type FieldErrors } from '../../packages/contract/schemas'
import type { GeoPointInput, PaymentMode, PaymentTool, PaymentVerificationInput, PaymentVerificationView, Wallet } from '../../packages/contract/promotion'
import { DeviceError, type LocationPort } from '../platform/types'
import type { PaymentDraft, PhotoRef } from '../rules/promotion-draft'
import { devicePhotoPaths, photoPurpose, type PhotoCheckRef } from '../rules/photo-ref'
import type { UploadPurpose } from '../../packages/contract/photo-check'
import type { PhotoChecker } from '../services/photo-checker'
import { toApiError, type ApiClient } from '../services/api-client'
import type { PhotoService } from '../services/photo-service'
import type { OutboxItem, OutboxStore, OutboxSubmission } from './outbox-store'
import { awaited } from './awaited'
import { makeClassObservable } from './observable-class'
import { PaymentVerifier } from './payment-verifier'

/** What every wizard's draft holds: where it is, the store's place and photo, and the payment evidence. */
export interface WizardDraft<S extends string> {
  step: S
  store: { location: GeoPointInput | null; storefrontPhoto: PhotoRef | null }
  payment: Record<PaymentMode, PaymentDraft>
  /** The verification tool the staff member chose (absent or null: the ISO's rule's). */
  paymentTool?: PaymentTool | null
}

/**
 * Where a wizard is: one of its steps while the staff member edits, then `submitting` (queued or on the
 * way), `submitted` (the server has it) or `refused` (kept with the reason, editable and sendable again).
 */
export type WizardState<S extends string> = S | 'submitting' | 'submitted' | 'refused'

/** What the outbox is given on Submit (the draft's id is the engine's `outboxKey`). */
export type WizardSubmission = OutboxSubmission & {
  label: string
  product: OutboxItem['product']
  photos: PhotoRef[]
}

/** One wizard as a configuration of the engine: its draft, its steps and their checks, its submission. */
export interface WizardConfig<D extends WizardDraft<S>, S extends string> {
  /** The key of the draft's submission in the outbox. */
  outboxKey: string
  /** The draft being edited (observable). */
  draft(): D
  /** Applies an edit to the draft and keeps it. */
  update(edit: (d: D) => void): void
  /** The steps of this draft, in order; the last one is the summary, where Submit is. */
  steps(draft: D): readonly S[]
  /** The errors that keep a step from being left forward (on the summary: every step's). */
  check(step: S, draft: D): FieldErrors
  /** The submission of a draft that passed every check. */
  submission(draft: D): WizardSubmission
  /** The server has the work already (besides the outbox having sent it). */
  submitted?(): boolean
  /** The store's wallets, which decide the payment tool. */
  wallets(): Wallet[]
  /** Sends payment evidence to the wizard's endpoint. */
  verifyPayment(input: PaymentVerificationInput): Promise<PaymentVerificationView>
  /** When the visit began (the draft was begun, by the phone's clock); undefined when the draft does not know. */
  visitStartedAt(draft: D): string | undefined
}

export interface WizardPorts {
  outbox: OutboxStore
  api: ApiClient
  photos: PhotoService
  location: LocationPort
  /** Issue 26: uploads a storefront or spot photo right after capture (when online) for the server's check; absent: no check at capture. */
  checker?: PhotoChecker
  /** The phone's clock (the moment payment evidence is sent); default: Date. */
  now?: () => Date
}

/**
 * The one wizard state machine: named steps whose transitions follow their order, each step's check run
 * before it is left forward, Submit through the outbox (photos first, idempotently), Retry, editing again
 * after a refusal, the storefront photo and the device's location (a failure shown on `store.location`),
 * and the payment evidence. The promotion and inspection wizards configure it and add their own edits.
 */
export class WizardEngine<D extends WizardDraft<S>, S extends string> {
  /** Errors shown after a refused transition, or from the server; cleared field by field as it is edited. */
  errors: FieldErrors = {}
  locating = false
  /** After a refusal the staff member edits the draft again; submitting queues it anew. */
  editingAfterRefusal = false
  readonly payment: PaymentVerifier

  constructor(
    protected readonly config: WizardConfig<D, S>,
    protected readonly ports: WizardPorts,
  ) {
    this.payment = new PaymentVerifier(
      {
        get: (mode) => this.draft.payment[mode],
        update: (mode, change) => this.change((d) => change(d.payment[mode])),
        wallets: () => config.wallets(),
        // mobx's get/set: a draft kept before the choice existed has no such key (no Proxy on DingTalk)
        chosenTool: {
          get: () => get(this.draft, 'paymentTool') as PaymentTool | null | undefined,
          set: (tool) => this.change((d) => set(d, 'paymentTool', tool)),
        },
        visitStartedAt: () => config.visitStartedAt(this.draft),
      },
      ports.photos,
      ports.api,
      (input) => config.verifyPayment(input),
      ports.now,
    )
    // every member of the engine and of the wizard that extends it, with no list: its getters computed, its
    // methods actions; errors are replaced whole, never edited in place (a plain object that pages may list)
    makeClassObservable(this, { errors: observable.ref, payment: false, config: false, ports: false })
  }

  get draft(): D {
    return this.config.draft()
  }

  /**
   * The draft as plain data, for the shared rules and schemas: without Proxy (an older DingTalk engine) an
   * observable array is no Array to `Array.isArray`, and valibot would refuse it.
   */
  get plainDraft(): D {
    return toJS(this.draft)
  }

  get steps(): readonly S[] {
    return this.config.steps(this.draft)
  }

  get stepIndex(): number {
    return this.steps.indexOf(this.draft.step)
  }

  get outboxItem(): OutboxItem | null {
    return this.ports.outbox.forDraft(this.config.outboxKey)
  }

  get state(): WizardState<S> {
    const item = this.outboxItem
    if (item?.status === 'sent' || this.config.submitted?.()) return 'submitted'
    if (item && !this.editingAfterRefusal) return item.status === 'refused' ? 'refused' : 'submitting'
    return this.draft.step
  }

  /** On one of the steps (not submitted, on its way or refused). */
  get editing(): boolean {
    const state = this.state
    return state !== 'submitting' && state !== 'submitted' && state !== 'refused'
  }

  /** The check of a step: its errors (empty when it may be left forward). */
  guard(step: S): FieldErrors {
    return this.config.check(step, this.plainDraft)
  }

  fieldError(path: string): ErrorCode | null {
    return this.errors[path] ?? null
  }

  // ---- transitions ---------------------------------------------------------------------------

  /** Next, once the photos back from the camera are kept (a photo being kept is not missing) and their checks answered. */
  async advance(): Promise<boolean> {
    await this.ports.photos.whenKept()
    await this.ports.checker?.whenChecked()
    return this.next()
  }

  next(): boolean {
    if (!this.editing) return false
    const step = this.draft.step
    const target = this.steps[this.stepIndex + 1]
    if (target === undefined) return false
    if (!this.passes(step)) return false
    this.change((d) => (d.step = target))
    return true
  }

  back(): boolean {
    const state = this.state
    if (state === 'submitting' || state === 'submitted') return false
    if (state === 'refused') {
      // back into the form, with the server's reasons beside the fields
      this.editingAfterRefusal = true
      this.errors = { ...(this.outboxItem?.lastErrorFields ?? {}) } as FieldErrors
      return true
    }
    const target = this.steps[this.stepIndex - 1]
    if (target === undefined) return false
    this.change((d) => (d.step = target))
    return true
  }

  /** Revisit an earlier step (from the summary); going back never loses data. */
  goTo(step: S): boolean {
    if (!this.editing) return false
    const target = this.steps.indexOf(step)
    if (target < 0 || target > this.stepIndex) return false
    this.change((d) => (d.step = step))
    return true
  }

  /** On the last step: every check again, then the submission goes to the outbox. */
  submit(): boolean {
    if (!this.editing || this.stepIndex !== this.steps.length - 1) return false
    if (!this.passes(this.draft.step)) return false
    this.ports.outbox.submit({ draftId: this.config.outboxKey, ...this.config.submission(this.plainDraft) })
    this.editingAfterRefusal = false
    return true
  }

  /** Sends a waiting submission now. */
  retry(): boolean {
    const item = this.outboxItem
    if (!item || this.state !== 'submitting') return false
    this.ports.outbox.retry(item.id)
    return true
  }

  private passes(step: S): boolean {
    const errors = this.guard(step)
    this.errors = Object.keys(errors).length > 0 ? errors : {}
    return Object.keys(errors).length === 0
  }

  // ---- edits shared by every wizard ----------------------------------------------------------

  protected change(edit: (d: D) => void) {
    this.config.update(edit)
  }

  /** The error of a field goes once it is edited. */
  protected clear(path: string) {
    this.errors = withoutField(this.errors, path)
  }

  /** An error on one field, the others kept. */
  protected fail(path: string, code: ErrorCode) {
    this.errors = { ...this.errors, [path]: code }
  }

  /** The device's location for the store; when it cannot be had, `store.location` says so. */
  refreshLocation = flow(function* (this: WizardEngine<D, S>) {
    this.locating = true
    try {
      const location = yield* awaited(this.ports.location.getLocation())
      this.change((d) => (d.store.location = location))
      this.clear('store.location')
    } catch (e) {
      // the permission off or no fix: the device's own message (how to turn the permission on)
      this.fail('store.location', e instanceof DeviceError ? e.code : 'LOCATION_REQUIRED')
    } finally {
      this.locating = false
    }
  })

  /** Issue 26: a photo's check is under way (its upload right after capture). */
  get checkingPhotos(): boolean {
    return (this.ports.checker?.checking ?? 0) > 0
  }

  /**
   * The photo of a field (`store.storefrontPhotoId`; a wizard adds its own), where a check's answer goes and Keep
   * anyway applies; null when none.
   */
  protected photoAt(path: string, d: D): PhotoRef | null {
    return path === 'store.storefrontPhotoId' ? d.store.storefrontPhoto : null
  }

  /** What the photo of a field is for (its upload's `purpose`: QR codes are decoded only in spot photos). */
  protected photoPurpose(path: string): UploadPurpose {
    return photoPurpose('promotion', path)
  }

  /** Keep anyway: the staff member saw the check's warning at this photo and keeps it (recorded, sent with the submission). */
  keepPhotoAnyway(path: string) {
    if (!this.photoAt(path, this.draft)) return
    this.change((d) => {
      const photo = this.photoAt(path, d)
      // mobx's set: a photo kept before the choice existed has no such key (no Proxy on DingTalk)
      if (photo) set(photo, 'keptAnyway', true)
    })
    this.clear(path)
  }

  /**
   * Issue 26: the server's check of a photo just taken (uploaded at once when online), placed on the photo if
   * it is still the field's; a refusal of the upload (e.g. PHOTO_REPEATED) is shown at the field.
   */
  private async checkPhoto(path: string, photo: PhotoRef) {
    const checker = this.ports.checker
    if (!checker) return
    let check: PhotoCheckRef | null
    try {
      check = await checker.check(photo, this.photoPurpose(path))
    } catch (e) {
      if (this.photoAt(path, this.draft)?.localPath === photo.localPath) this.fail(path, toApiError(e).code)
      return
    }
    if (!check || this.photoAt(path, this.draft)?.localPath !== photo.localPath) return
    const answer = check
    this.change((d) => {
      const current = this.photoAt(path, d)
      if (current?.localPath === photo.localPath) set(current, 'check', answer)
    })
  }

  /** A photo from the camera, placed in the draft; its field's error goes. A cancelled photo changes nothing. */
  protected async takePhoto(title: string, path: string, place: (d: D, photo: PhotoRef) => void) {
    let photo: PhotoRef | null
    try {
      photo = await this.ports.photos.take(title)
    } catch (e) {
      // the camera failed or the photo could not be kept on the phone: said at the photo, to retake it
      this.fail(path, toApiError(e).code)
      return
    }
    if (!photo) return
    const before = devicePhotoPaths(this.plainDraft)
    this.change((d) => place(d, photo))
    // the photo it replaced: its saved file is freed unless a queued submission still sends it
    const after = devicePhotoPaths(this.plainDraft)
    const replaced = [...before].filter((file) => !after.has(file))
    if (replaced.length > 0) {
      // toJS of each item's photos: without Proxy (older DingTalk engines) MobX's arrays are no Arrays to devicePhotoPaths
      const queued = devicePhotoPaths(this.ports.outbox.items.map((i) => toJS(i.photos)))
      for (const file of replaced) if (!queued.has(file)) void this.ports.photos.forget(file)
    }
    this.clear(path)
    await this.checkPhoto(path, photo)
  }

  async takeStorefrontPhoto(title: string) {
    await this.takePhoto(title, 'store.storefrontPhotoId', (d, photo) => this.placeStorefront(d, photo))
  }

  /** Where a storefront photo goes (a wizard may take more from it). */
  protected placeStorefront(d: D, photo: PhotoRef) {
    d.store.storefrontPhoto = photo
  }
}
