import { makeAutoObservable, observable, runInAction, toJS } from 'mobx'
// the merchant step validates the contact's phone number (libphonenumber-js loads with the wizard)
import '../rules/phone-check'
import type { DeploymentMethod } from '../../types/api'
import type { ErrorCode } from '../../types/errors'
import { withoutField, type FieldErrors } from '../../types/schemas'
import type { MaterialType, MerchantInput, PaymentMode, SpotPosition, StoreCategory, Wallet } from '../../types/promotion'
import type { ScanLabels, ScannerPort } from '../platform/types'
import { parseMarketingCode } from '../rules/marketing-code'
import { requiredPaymentTool } from '../rules/payment'
import { draftPhotos, newSpot, stepsOf, toPromotionCreate, validateStep, type DraftSpot, type DraftStore, type PromotionDraft, type StepName } from '../rules/promotion-draft'
import { toApiError, type ApiClient } from '../services/api-client'
import { newId } from '../services/ids'
import type { PhotoService } from '../services/photo-service'
import type { LocationPort } from '../platform/types'
import type { DraftsStore } from './drafts-store'
import type { OutboxItem, OutboxStore } from './outbox-store'
import { PaymentVerifier } from './payment-verifier'
import { minuteOfDayIn, type RootStore } from './root-store'
import { perRoot } from './per-root'

/** The wizard's transitions, per deployment method: `next` and `back` of each step. */
export const TRANSITIONS: Record<DeploymentMethod | 'MODIFY', Partial<Record<StepName, { next?: StepName; back?: StepName }>>> = {
  VERIFY_THEN_DEPLOY: {
    payment: { next: 'store' },
    store: { back: 'payment', next: 'spots' },
    spots: { back: 'store', next: 'merchant' },
    merchant: { back: 'spots', next: 'summary' },
    summary: { back: 'merchant' },
  },
  DEPLOY_THEN_VERIFY: {
    store: { next: 'spots' },
    spots: { back: 'store', next: 'merchant' },
    merchant: { back: 'spots', next: 'summary' },
    summary: { back: 'merchant' },
  },
  /** Modify (either method): the payment was verified with the first submission. */
  MODIFY: {
    store: { next: 'spots' },
    spots: { back: 'store', next: 'merchant' },
    merchant: { back: 'spots', next: 'summary' },
    summary: { back: 'merchant' },
  },
}

/**
 * Where the wizard is: one of its steps while the staff member edits, then `submitting` (queued or on the
 * way), `submitted` (the server has it) or `refused` (kept with the reason, editable and sendable again).
 */
export type WizardState = StepName | 'submitting' | 'submitted' | 'refused'

export interface WizardDeps {
  drafts: DraftsStore
  outbox: OutboxStore
  api: ApiClient
  photos: PhotoService
  scanner: ScannerPort
  location: LocationPort
  maxSpots: () => number
  /** Minutes since midnight where the store is (business hours). */
  minuteOfDay: () => number
}

/** The promotion wizard over one draft: an explicit state machine whose guards are the shared rules. */
export class PromotionWizard {
  /** Errors shown after a refused transition, or from the server; cleared field by field as it is edited. */
  errors: FieldErrors = {}
  locating = false
  /** The spots' code fields whose code the server is checking (a set: its members come and go). */
  checkingCode = observable.set<string>()
  readonly payment: PaymentVerifier

  constructor(
    readonly draftId: string,
    private readonly deps: WizardDeps,
  ) {
    this.payment = new PaymentVerifier(
      {
        get: (mode) => this.draft.payment[mode],
        update: (mode, change) => this.change((d) => change(d.payment[mode])),
        wallets: () => this.draft.store.wallets,
      },
      deps.photos,
      deps.api,
      (input) => deps.api.call('POST /api/payment-verifications', input),
    )
    // errors are replaced whole, never edited in place: a plain object that pages may list (Object.keys)
    makeAutoObservable<this, 'deps'>(this, { deps: false, payment: false, errors: observable.ref })
  }

  get draft(): PromotionDraft {
    const draft = this.deps.drafts.get(this.draftId)
    if (!draft) throw new Error(`no draft ${this.draftId}`)
    return draft
  }

  get steps(): StepName[] {
    return stepsOf(this.draft)
  }

  /** Which transition table applies. */
  get table(): DeploymentMethod | 'MODIFY' {
    return this.draft.modifyOf ? 'MODIFY' : this.draft.method
  }

  /** Modify: the reviewer's reason beside a rejected part (`store` or a spot's key). */
  rejection(part: 'store' | { spot: string }): string | null {
    const r = this.draft.rejections
    if (!r) return null
    return part === 'store' ? r.store : r.spots[part.spot] ?? null
  }

  get stepIndex(): number {
    return this.steps.indexOf(this.draft.step)
  }

  get outboxItem(): OutboxItem | null {
    return this.deps.outbox.forDraft(this.draftId)
  }

  get state(): WizardState {
    const item = this.outboxItem
    if (item?.status === 'sent') return 'submitted'
    if (item && !this.editingAfterRefusal) {
      if (item.status === 'refused') return 'refused'
      return 'submitting'
    }
    return this.draft.step
  }

  /** After a refusal the staff member edits the draft again (Modify); submitting queues it anew. */
  editingAfterRefusal = false

  private get ctx() {
    return { minuteOfDay: this.deps.minuteOfDay(), maxSpots: this.deps.maxSpots() }
  }

  /**
   * The draft as plain data, for the shared rules and schemas: without Proxy (an older DingTalk engine) an
   * observable array is no Array to `Array.isArray`, and valibot would refuse it.
   */
  get plainDraft(): PromotionDraft {
    return toJS(this.draft)
  }

  /** The guard of a step: the shared rules' errors for it (empty when it may be left forward). */
  guard(step: StepName): FieldErrors {
    return validateStep(step, this.plainDraft, this.ctx)
  }

  fieldError(path: string): ErrorCode | null {
    return this.errors[path] ?? null
  }

  // ---- transitions ---------------------------------------------------------------------------

  /** Next, once the photos back from the camera are kept (a photo being kept is not missing). */
  async advance(): Promise<boolean> {
    await this.deps.photos.whenKept()
    return this.next()
  }

  next(): boolean {
    const step = this.state
    if (step === 'submitting' || step === 'submitted' || step === 'refused') return false
    const target = TRANSITIONS[this.table][step]?.next
    if (!target) return false
    const errors = this.guard(step)
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
      // Modify: back into the form, with the server's reasons beside the fields
      this.editingAfterRefusal = true
      this.errors = { ...(this.outboxItem?.lastErrorFields ?? {}) } as FieldErrors
      return true
    }
    const target = TRANSITIONS[this.table][state]?.back
    if (!target) return false
    this.change((d) => (d.step = target))
    return true
  }

  /** Revisit an earlier step (from the summary); going back never loses data. */
  goTo(step: StepName): boolean {
    const state = this.state
    if (state === 'submitting' || state === 'submitted') return false
    const current = this.steps.indexOf(this.draft.step)
    const target = this.steps.indexOf(step)
    if (target < 0 || target > current) return false
    this.change((d) => (d.step = step))
    return true
  }

  /** Queues the submission in the outbox (photos first, then the promotion, idempotently). */
  submit(): boolean {
    if (this.state !== 'summary') return false
    const errors = this.guard('summary')
    if (Object.keys(errors).length > 0) {
      this.errors = errors
      return false
    }
    this.errors = {}
    const draft = this.plainDraft
    const payload = toPromotionCreate(draft)
    if (draft.modifyOf) {
      const { paymentVerificationIds: _unused, ...resubmission } = payload
      void _unused
      this.deps.outbox.submit({ draftId: draft.id, label: draft.store.name, product: draft.product, payload: resubmission, photos: draftPhotos(draft), kind: 'resubmission', targetId: draft.modifyOf })
    } else {
      this.deps.outbox.submit({ draftId: draft.id, label: draft.store.name, product: draft.product, payload, photos: draftPhotos(draft) })
    }
    this.editingAfterRefusal = false
    return true
  }

  /** Sends a waiting submission now. */
  retry(): boolean {
    const item = this.outboxItem
    if (!item || this.state !== 'submitting') return false
    this.deps.outbox.retry(item.id)
    return true
  }

  // ---- edits ---------------------------------------------------------------------------------

  private change(edit: (d: PromotionDraft) => void) {
    this.deps.drafts.update(this.draftId, edit)
  }

  private clear(path: string) {
    this.errors = withoutField(this.errors, path)
  }

  setStore<K extends 'name' | 'address' | 'openingTime' | 'closingTime'>(field: K, value: string) {
    this.change((d) => (d.store[field] = value))
    this.clear(`store.${field}`)
  }

  setCategory(category: StoreCategory) {
    this.change((d) => (d.store.category = category))
    this.clear('store.category')
  }

  toggleWallet(wallet: Wallet) {
    this.change((d) => {
      const has = d.store.wallets.includes(wallet)
      d.store.wallets = has ? d.store.wallets.filter((w) => w !== wallet) : [...d.store.wallets, wallet]
      // a verification made with a tool that no longer fits is void
      for (const mode of ['MPM', 'UPM'] as PaymentMode[]) {
        const result = d.payment[mode].result
        if (result && result.tool !== requiredPaymentTool(d.store.wallets)) d.payment[mode].result = null
      }
    })
    this.clear('store.wallets')
  }

  setConsent(value: boolean) {
    this.change((d) => (d.store.managerConsent = value))
    this.clear('store.managerConsent')
  }

  async refreshLocation() {
    this.locating = true
    try {
      const location = await this.deps.location.getLocation()
      this.change((d) => (d.store.location = location))
      runInAction(() => this.clear('store.location'))
    } catch {
      runInAction(() => (this.errors = { ...this.errors, 'store.location': 'LOCATION_REQUIRED' }))
    } finally {
      runInAction(() => (this.locating = false))
    }
  }

  async takeStorefrontPhoto(title: string) {
    const photo = await this.deps.photos.take(title)
    if (!photo) return
    this.change((d) => (d.store.storefrontPhoto = photo))
    this.clear('store.storefrontPhotoId')
  }

  get canAddSpot(): boolean {
    return this.draft.spots.length < this.deps.maxSpots()
  }

  get maxSpots(): number {
    return this.deps.maxSpots()
  }

  addSpot() {
    if (!this.canAddSpot) {
      this.errors = { ...this.errors, spots: 'EXCESSIVE_POSMS' }
      return
    }
    this.change((d) => d.spots.push(newSpot(newId('s'))))
    this.clear('spots')
  }

  removeSpot(index: number) {
    this.change((d) => d.spots.splice(index, 1))
    this.errors = {}
  }

  setSpot<K extends keyof Pick<DraftSpot, 'positionNote'>>(index: number, field: K, value: string) {
    this.change((d) => (d.spots[index][field] = value))
    this.clear(`spots.${index}.${field}`)
  }

  setPosition(index: number, position: SpotPosition) {
    this.change((d) => (d.spots[index].position = position))
    this.clear(`spots.${index}.position`)
  }

  setMaterial(index: number, material: MaterialType) {
    this.change((d) => (d.spots[index].materialType = material))
    this.clear(`spots.${index}.materialType`)
  }

  async takeSpotPhoto(index: number, title: string) {
    const photo = await this.deps.photos.take(title)
    if (!photo) return
    this.change((d) => {
      if (d.spots[index]) d.spots[index].photo = photo
    })
    this.clear(`spots.${index}.photoId`)
  }

  /**
   * Scans the code printed on the material, which binds it to this spot. Refused at once when it is not
   * an Alipay+ Marketing Code or is already used for another spot here; the server says whether it is
   * bound elsewhere (when offline, the server decides at submission).
   */
  async scanSpotCode(index: number, labels: ScanLabels) {
    const text = await this.deps.scanner.scan(labels)
    if (text === null) return
    const path = `spots.${index}.marketingCode`
    const code = parseMarketingCode(text)
    const refusal: ErrorCode | null = !code ? 'CODE_INVALID' : this.draft.spots.some((s, i) => i !== index && s.marketingCode === code) ? 'CODE_DUPLICATE' : null
    if (!code || refusal) {
      runInAction(() => (this.errors = { ...this.errors, [path]: refusal ?? 'CODE_INVALID' }))
      return
    }
    runInAction(() => {
      this.change((d) => (d.spots[index].marketingCode = code))
      this.clear(path)
      this.checkingCode.add(path)
    })
    try {
      await this.deps.api.call('POST /api/marketing-codes/check', { code })
    } catch (e) {
      const err = toApiError(e)
      if (err.code === 'CODE_BOUND' || err.code === 'CODE_INVALID') {
        // a code the server refused is not kept: the spot needs another scan
        this.change((d) => {
          if (d.spots[index]?.marketingCode === code) d.spots[index].marketingCode = ''
        })
        runInAction(() => (this.errors = { ...this.errors, [path]: err.code }))
      }
    } finally {
      runInAction(() => this.checkingCode.delete(path))
    }
  }

  setMerchant(field: keyof MerchantInput, value: string) {
    this.change((d) => (d.merchant[field] = value))
    this.clear(`merchant.${field}`)
  }
}

export type { DraftStore }

const wizards = perRoot<PromotionWizard>()

/** The wizard of a draft (one instance per draft, so its transient state survives page changes). */
export function promotionWizard(root: RootStore, draftId: string): PromotionWizard | null {
  if (!root.drafts.get(draftId) && !root.outbox.forDraft(draftId)) return null
  return wizards(
    root,
    draftId,
    () =>
      new PromotionWizard(draftId, {
        drafts: root.drafts,
        outbox: root.outbox,
        api: root.api,
        photos: root.photos,
        scanner: root.platform.scanner,
        location: root.platform.location,
        maxSpots: () => root.workspace.info?.maxSpotsPerStore ?? 1,
        minuteOfDay: () => minuteOfDayIn(root.workspace.info?.timezone, root.now()),
      }),
  )
}
