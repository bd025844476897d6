import { flow, observable, set } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { DeploymentMethod, MaterialType, MerchantInput, PaymentMode, SpotPosition, StoreCategory, Wallet } from '../../packages/contract/promotion'
import { methodAccepted } from '../../packages/contract/rules/method-agreement'
import type { LocationPort, ScanLabels, ScannerPort } from '../platform/types'
import { NOT_A_MARKETING_CODE, type MarketingCodeReader } from '../../packages/contract/rules/marketing-code'
import { requiredPaymentTool } from '../../packages/contract/rules/payment'
import {
  draftPhotos,
  moveDraftToMethod,
  newSpot,
  stepsOf,
  toPromotionCreate,
  validateStep,
  type DraftSpot,
  type DraftStore,
  type PromotionDraft,
  type StepName,
} from '../rules/promotion-draft'
import { toApiError, type ApiClient } from '../services/api-client'
import { newId } from '../services/ids'
import type { PhotoService } from '../services/photo-service'
import type { PhotoChecker } from '../services/photo-checker'
import { codeInPhoto, type PhotoRef } from '../rules/photo-ref'
import type { PhotoCodeCheck } from '../../packages/contract/photo-check'
import type { DraftsStore } from './drafts-store'
import type { OutboxStore } from './outbox-store'
import { minuteOfDayIn } from '../../packages/contract/rules/policy'
import type { RootStore } from './root-store'
import { perRoot } from './per-root'
import { WizardEngine, type WizardConfig } from './wizard-engine'
import { enablePhoneValidation } from '../../packages/contract/rules/phone-check'
import { awaited } from './awaited'

// the merchant step validates the contact's phone number (libphonenumber-js loads with the wizard)
enablePhoneValidation()

export interface WizardDeps {
  drafts: DraftsStore
  outbox: OutboxStore
  api: ApiClient
  photos: PhotoService
  /** Issue 26: the check of a photo right after capture (when online). */
  checker?: PhotoChecker
  scanner: ScannerPort
  location: LocationPort
  /** The phone's clock. */
  now?: () => Date
  maxSpots: () => number
  /** Minutes since midnight where the store is (business hours). */
  minuteOfDay: () => number
  /** Why the draft's method cannot be submitted now (rules/method-agreement.ts), or null. */
  methodProblem: (draft: PromotionDraft) => ErrorCode | null
  /** The ISO's method in force, once agreed (null: not agreed, or not known yet). */
  agreedMethod: () => DeploymentMethod | null
  /** Reads a scan with the Marketing Code format the session brought from the server. */
  marketingCodes: () => MarketingCodeReader
}

/** The promotion wizard's configuration of the engine: a draft on the device, its steps per method. */
function promotionConfig(draftId: string, deps: WizardDeps): WizardConfig<PromotionDraft, StepName> {
  const draft = () => {
    const d = deps.drafts.get(draftId)
    if (!d) throw new Error(`no draft ${draftId}`)
    return d
  }
  return {
    outboxKey: draftId,
    draft,
    update: (edit) => deps.drafts.update(draftId, edit),
    steps: stepsOf,
    check: (step, d) => {
      const fields = validateStep(step, d, { minuteOfDay: deps.minuteOfDay(), maxSpots: deps.maxSpots() })
      const problem = step === 'summary' ? deps.methodProblem(d) : null
      return problem ? { ...fields, method: problem } : fields
    },
    submission: (d) => {
      const common = { label: d.store.name, product: d.product, photos: draftPhotos(d) }
      const payload = toPromotionCreate(d)
      if (!d.modifyOf) return { ...common, payload }
      // Modify: the payment was verified with the first submission
      const { paymentVerificationIds: _unused, ...resubmission } = payload
      void _unused
      return { ...common, payload: resubmission, kind: 'resubmission', targetId: d.modifyOf }
    },
    wallets: () => draft().store.wallets,
    verifyPayment: (input) => deps.api.call('POST /api/payment-verifications', input),
    // the draft was begun at the store: the visit's start
    visitStartedAt: (d) => d.createdAt,
  }
}

/** The promotion wizard over one draft: the engine, with the store, spots and merchant edits. */
export class PromotionWizard extends WizardEngine<PromotionDraft, StepName> {
  /** The spots' code fields whose code the server is checking (a set: its members come and go). */
  checkingCode = observable.set<string>()

  constructor(
    readonly draftId: string,
    private readonly deps: WizardDeps,
  ) {
    super(promotionConfig(draftId, deps), deps)
  }

  /** Modify: the reviewer's reason beside a rejected part (`store` or a spot's key). */
  rejection(part: 'store' | { spot: string }): string | null {
    const r = this.draft.rejections
    if (!r) return null
    return part === 'store' ? r.store : (r.spots[part.spot] ?? null)
  }

  /**
   * The ISO's method changed since this draft was started: the method it follows now, and whether the draft
   * may still be submitted as it was started (the grace period). null: the draft follows the method in force.
   */
  get methodChange(): { from: DeploymentMethod; to: DeploymentMethod; mustMove: boolean } | null {
    const agreed = this.deps.agreedMethod()
    const d = this.draft
    if (!agreed || d.modifyOf || d.method === agreed) return null
    return { from: d.method, to: agreed, mustMove: this.deps.methodProblem(d) === 'METHOD_CHANGED' }
  }

  /** Continues the draft under the method in force, keeping everything in it (moveDraftToMethod). */
  continueUnderAgreedMethod() {
    const agreed = this.deps.agreedMethod()
    if (!agreed) return
    this.change((d) => moveDraftToMethod(d, agreed))
    this.errors = {}
  }

  // ---- edits ---------------------------------------------------------------------------------

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
      // the rule's tool for the new wallets is proposed again; a verification made with a tool that no longer fits is void
      if (d.paymentTool) set(d, 'paymentTool', null)
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

  get canAddSpot(): boolean {
    return this.draft.spots.length < this.deps.maxSpots()
  }

  get maxSpots(): number {
    return this.deps.maxSpots()
  }

  addSpot() {
    if (!this.canAddSpot) {
      this.fail('spots', 'EXCESSIVE_POSMS')
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

  protected photoAt(path: string, d: PromotionDraft): PhotoRef | null {
    const spot = /^spots\.(\d+)\.photoId$/.exec(path)
    return spot ? (d.spots[Number(spot[1])]?.photo ?? null) : super.photoAt(path, d)
  }

  /**
   * Issue 26: whether a Marketing Code spot's photo shows the code scanned for it (MATCH, DIFFERENT, NONE); null
   * while unknown (no code, no photo, or the photo not checked yet, e.g. offline).
   */
  codeInPhoto(index: number): PhotoCodeCheck | null {
    const spot = this.draft.spots[index]
    if (this.draft.product !== 'MARKETING_CODE' || !spot) return null
    const reader = this.deps.marketingCodes()
    return codeInPhoto(spot.photo, spot.marketingCode, (text) => reader.read(text))
  }

  async takeSpotPhoto(index: number, title: string) {
    await this.takePhoto(title, `spots.${index}.photoId`, (d, photo) => {
      if (d.spots[index]) d.spots[index].photo = photo
    })
  }

  /**
   * Scans the code printed on the material, which binds it to this spot. Refused at once when it is not
   * an Alipay+ Marketing Code or is already used for another spot here; the server says whether it is
   * bound elsewhere (when offline, the server decides at submission).
   */
  scanSpotCode = flow(function* (this: PromotionWizard, index: number, labels: ScanLabels) {
    const path = `spots.${index}.marketingCode`
    let text: string | null
    try {
      text = yield* awaited(this.deps.scanner.scan(labels))
    } catch (e) {
      // the scanner failed (a cancel answers null): said at the spot's code
      this.fail(path, toApiError(e).code)
      return
    }
    if (text === null) return
    const reader = this.deps.marketingCodes()
    const code = reader.read(text)
    const kind = reader.classify(text)
    // not a Marketing Code: said what it is (a payment QR code, a web link, text)
    const refusal: ErrorCode | null = !code
      ? kind === 'MARKETING_CODE'
        ? 'CODE_INVALID'
        : NOT_A_MARKETING_CODE[kind]
      : this.draft.spots.some((s, i) => i !== index && s.marketingCode === code)
        ? 'CODE_DUPLICATE'
        : null
    if (!code || refusal) {
      this.fail(path, refusal ?? 'CODE_INVALID')
      return
    }
    this.change((d) => (d.spots[index].marketingCode = code))
    this.clear(path)
    this.checkingCode.add(path)
    try {
      yield* awaited(this.deps.api.call('POST /api/marketing-codes/check', { code }))
    } catch (e) {
      const err = toApiError(e)
      if (err.code === 'CODE_BOUND' || err.code === 'CODE_INVALID') {
        // a code the server refused is not kept: the spot needs another scan
        this.change((d) => {
          if (d.spots[index]?.marketingCode === code) d.spots[index].marketingCode = ''
        })
        // the server says what the scan is when it is not a Marketing Code (its field `code`)
        this.fail(path, err.code === 'CODE_INVALID' ? (err.fields?.code ?? err.code) : err.code)
      }
    } finally {
      this.checkingCode.delete(path)
    }
  })

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
        checker: root.photoChecker,
        scanner: root.platform.scanner,
        location: root.platform.location,
        now: root.now,
        maxSpots: () => root.workspace.info?.maxSpotsPerStore ?? 1,
        minuteOfDay: () => minuteOfDayIn(root.workspace.info?.timezone, root.now()),
        methodProblem: (d) => {
          const agreement = root.workspace.info?.methodAgreement
          // not known (offline, first use): the server decides when the submission arrives
          if (!agreement || d.modifyOf) return null
          const accepted = methodAccepted(agreement, d.method, root.now())
          return accepted === 'changed' ? 'METHOD_CHANGED' : accepted === 'not_agreed' ? 'METHOD_NOT_AGREED' : null
        },
        agreedMethod: () => root.workspace.info?.methodAgreement?.agreed ?? null,
        marketingCodes: () => root.session.marketingCodeReader,
      }),
  )
}
