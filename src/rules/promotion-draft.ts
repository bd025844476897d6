/**
 * A promotion being prepared on the device: what the staff member typed, chose and photographed, with
 * photos as local paths (never image data). Pure model and rules, shared by the wizard and its tests.
 */
import type { DeploymentMethod } from '../../packages/contract/api'
import type { FieldErrors } from '../../packages/contract/schemas'
import { fieldsUnder, MerchantSchema, MarketingCodeSpotSchema, PrimaryPosmSpotSchema, StoreSchema, validate } from '../../packages/contract/schemas'
import type {
  GeoPointInput,
  MaterialType,
  MerchantInput,
  PaymentMode,
  PaymentTool,
  PaymentVerificationView,
  ProductKind,
  PromotionCreate,
  PromotionView,
  SpotPosition,
  StoreCategory,
  Wallet,
} from '../../packages/contract/promotion'
import { duplicateCodes } from '../../packages/contract/rules/marketing-code'
import { bothModesPassed } from '../../packages/contract/rules/payment'
import { pendingQualityIssue, serverPhotoPath, type PhotoRef } from './photo-ref'
import { isWithinBusinessHours, TIME_PATTERN } from '../../packages/contract/rules/policy'

export type { PhotoRef }

export type StepName = 'payment' | 'store' | 'spots' | 'merchant' | 'summary'

export interface DraftSpot {
  key: string
  position: SpotPosition | ''
  positionNote: string
  photo: PhotoRef | null
  marketingCode: string
  materialType: MaterialType | ''
}

export interface PaymentDraft {
  reference: string
  photo: PhotoRef | null
  /** The server's decision on the evidence, once asked. */
  result: PaymentVerificationView | null
}

export interface DraftStore {
  name: string
  address: string
  category: StoreCategory | ''
  wallets: Wallet[]
  managerConsent: boolean
  openingTime: string
  closingTime: string
  location: GeoPointInput | null
  storefrontPhoto: PhotoRef | null
}

export interface PromotionDraft {
  id: string
  /** Idempotency key of the submission. */
  clientId: string
  product: ProductKind
  method: DeploymentMethod
  step: StepName
  createdAt: string
  updatedAt: string
  store: DraftStore
  spots: DraftSpot[]
  merchant: MerchantInput
  payment: Record<PaymentMode, PaymentDraft>
  /** The verification tool the staff member chose; absent or null: the one the ISO's rule names (preselected). */
  paymentTool?: PaymentTool | null
  /** Modify: the submitted promotion this draft corrects (its payment was verified already). */
  modifyOf?: string | null
  /** Modify: the reviewer's reasons beside the rejected parts (the store, and spots by key). */
  rejections?: { store: string | null; spots: Record<string, string> }
}

export function newDraft(id: string, clientId: string, product: ProductKind, method: DeploymentMethod, now: string): PromotionDraft {
  return {
    id,
    clientId,
    product,
    method,
    step: stepsFor(method)[0],
    createdAt: now,
    updatedAt: now,
    store: { name: '', address: '', category: '', wallets: [], managerConsent: false, openingTime: '', closingTime: '', location: null, storefrontPhoto: null },
    spots: [newSpot(`${id}-s1`)],
    merchant: { contactName: '', contactPhone: '', legalName: '', acquirerMerchantId: '', notes: '' },
    payment: { MPM: { reference: '', photo: null, result: null }, UPM: { reference: '', photo: null, result: null } },
    paymentTool: null,
  }
}

export function newSpot(key: string): DraftSpot {
  return { key, position: '', positionNote: '', photo: null, marketingCode: '', materialType: '' }
}

/** The steps of the wizard for a deployment method, in order (a Modify has no payment step). */
export function stepsFor(method: DeploymentMethod, modify = false): StepName[] {
  return method === 'VERIFY_THEN_DEPLOY' && !modify ? ['payment', 'store', 'spots', 'merchant', 'summary'] : ['store', 'spots', 'merchant', 'summary']
}

/** The steps of this draft. */
export function stepsOf(draft: PromotionDraft): StepName[] {
  return stepsFor(draft.method, Boolean(draft.modifyOf))
}

/**
 * Moves a draft to another deployment method's steps (the ISO's method changed since the draft was started),
 * keeping everything typed and photographed: to Verify-Then-Deploy it goes to the payment step, now first; to
 * Deploy-Then-Verify the payment step goes (the payment is verified after submitting) and a draft that was on it
 * goes to the store information.
 */
export function moveDraftToMethod(draft: PromotionDraft, method: DeploymentMethod): void {
  if (draft.method === method) return
  draft.method = method
  const steps = stepsOf(draft)
  if (method === 'VERIFY_THEN_DEPLOY') draft.step = steps[0]
  else if (!steps.includes(draft.step)) draft.step = steps[0]
}

/** A placeholder id that lets the shared schemas check "a photo was taken" before it is uploaded. */
const photoId = (photo: PhotoRef | null) => (photo ? 'local' : '')

export function validateStore(draft: PromotionDraft, minuteOfDay: number): FieldErrors {
  const s = draft.store
  const r = validate(StoreSchema, { ...s, storefrontPhotoId: photoId(s.storefrontPhoto), location: s.location ?? undefined })
  const fields = r.ok ? {} : fieldsUnder('store', r.fields)
  if (!s.location) fields['store.location'] = 'LOCATION_REQUIRED'
  // issue 26: a photo the check found too dark, overexposed or blurred: Retake or Keep anyway first
  if (!fields['store.storefrontPhotoId'] && pendingQualityIssue(s.storefrontPhoto)) fields['store.storefrontPhotoId'] = 'PHOTO_QUALITY'
  if (
    !fields['store.openingTime'] &&
    !fields['store.closingTime'] &&
    TIME_PATTERN.test(s.openingTime) &&
    TIME_PATTERN.test(s.closingTime) &&
    !isWithinBusinessHours(minuteOfDay, s.openingTime, s.closingTime)
  ) {
    fields['store.openingTime'] = 'OUTSIDE_BUSINESS_HOURS'
  }
  return fields
}

export function validateSpots(draft: PromotionDraft, maxSpots: number): FieldErrors {
  const fields: FieldErrors = {}
  if (draft.spots.length === 0) fields.spots = 'SPOTS_REQUIRED'
  if (draft.spots.length > maxSpots) fields.spots = 'EXCESSIVE_POSMS'
  const schema = draft.product === 'MARKETING_CODE' ? MarketingCodeSpotSchema : PrimaryPosmSpotSchema
  draft.spots.forEach((spot, i) => {
    const input =
      draft.product === 'MARKETING_CODE'
        ? { position: spot.position, positionNote: spot.positionNote, photoId: photoId(spot.photo), marketingCode: spot.marketingCode }
        : { position: spot.position, positionNote: spot.positionNote, photoId: photoId(spot.photo), materialType: spot.materialType }
    const r = validate(schema, input)
    if (!r.ok) Object.assign(fields, fieldsUnder(`spots.${i}`, r.fields))
  })
  if (draft.product === 'MARKETING_CODE') {
    const dups = duplicateCodes(draft.spots.map((s) => s.marketingCode))
    draft.spots.forEach((spot, i) => {
      if (dups.includes(spot.marketingCode) && !fields[`spots.${i}.marketingCode`]) {
        // the first one keeps its code; every later one is the duplicate
        if (draft.spots.findIndex((s) => s.marketingCode === spot.marketingCode) !== i) fields[`spots.${i}.marketingCode`] = 'CODE_DUPLICATE'
      }
    })
  }
  const photos = [draft.store.storefrontPhoto, ...draft.spots.map((s) => s.photo)].filter((p): p is PhotoRef => p !== null).map((p) => p.localPath)
  draft.spots.forEach((spot, i) => {
    if (spot.photo && photos.filter((p) => p === spot.photo?.localPath).length > 1) fields[`spots.${i}.photoId`] = 'PHOTO_REPEATED'
    else if (!fields[`spots.${i}.photoId`] && pendingQualityIssue(spot.photo)) fields[`spots.${i}.photoId`] = 'PHOTO_QUALITY'
  })
  return fields
}

export function validateMerchant(draft: PromotionDraft): FieldErrors {
  const r = validate(MerchantSchema, draft.merchant)
  return r.ok ? {} : fieldsUnder('merchant', r.fields)
}

export function validatePayment(draft: PromotionDraft): FieldErrors {
  const fields: FieldErrors = {}
  if (draft.store.wallets.length === 0) fields['store.wallets'] = 'WALLETS_REQUIRED'
  const records = (['MPM', 'UPM'] as const).map((m) => draft.payment[m].result).filter((r): r is PaymentVerificationView => r !== null)
  if (!bothModesPassed(records)) fields.payment = 'PAYMENT_NOT_VERIFIED'
  return fields
}

/** What must hold to leave a step forward. */
export function validateStep(step: StepName, draft: PromotionDraft, ctx: { minuteOfDay: number; maxSpots: number }): FieldErrors {
  switch (step) {
    case 'payment':
      return validatePayment(draft)
    case 'store':
      return validateStore(draft, ctx.minuteOfDay)
    case 'spots':
      return validateSpots(draft, ctx.maxSpots)
    case 'merchant':
      return validateMerchant(draft)
    case 'summary': {
      const all: FieldErrors = {}
      for (const s of stepsOf(draft)) if (s !== 'summary') Object.assign(all, validateStep(s, draft, ctx))
      return all
    }
  }
}

/** The submission, with each photo named by its local path (the outbox swaps in the upload ids). */
export function toPromotionCreate(draft: PromotionDraft): PromotionCreate {
  const s = draft.store
  // issue 26: the photos whose quality warning the staff member saw and kept (sent only when there are some)
  const kept = draftPhotos(draft)
    .filter((p) => p.keptAnyway === true)
    .map((p) => p.localPath)
  return {
    ...(kept.length > 0 ? { keptPhotoIds: kept } : {}),
    clientId: draft.clientId,
    product: draft.product,
    store: {
      name: s.name,
      address: s.address,
      category: s.category as StoreCategory,
      wallets: [...s.wallets],
      managerConsent: s.managerConsent,
      openingTime: s.openingTime,
      closingTime: s.closingTime,
      location: s.location as GeoPointInput,
      storefrontPhotoId: s.storefrontPhoto?.localPath ?? '',
    },
    spots: draft.spots.map((spot) => ({
      position: spot.position as SpotPosition,
      ...(spot.position === 'OTHER' && spot.positionNote ? { positionNote: spot.positionNote } : {}),
      photoId: spot.photo?.localPath ?? '',
      ...(draft.product === 'MARKETING_CODE' ? { marketingCode: spot.marketingCode } : { materialType: spot.materialType as MaterialType }),
    })),
    merchant: { ...draft.merchant },
    // the method this draft follows: the server accepts it while it is in force, or for the grace period after a change
    ...(draft.modifyOf ? {} : { method: draft.method }),
    paymentVerificationIds:
      draft.method === 'VERIFY_THEN_DEPLOY' && !draft.modifyOf
        ? (['MPM', 'UPM'] as const)
            .map((m) => draft.payment[m].result)
            .filter((r) => r?.status === 'PASSED')
            .map((r) => (r as PaymentVerificationView).id)
        : [],
  }
}

/** Every photo of the draft (storefront, spots), for upload before the submission. */
export function draftPhotos(draft: PromotionDraft): PhotoRef[] {
  return [draft.store.storefrontPhoto, ...draft.spots.map((s) => s.photo)].filter((p): p is PhotoRef => p !== null)
}

/** A photo already on the server, named `server:<upload id>` in a draft. */
export const serverPhoto = (uploadId: string, takenAt: string): PhotoRef => ({ localPath: serverPhotoPath(uploadId), takenAt, location: null })

/**
 * Modify: a draft copy of a submitted promotion, its photos the ones on the server, the reviewer's reasons
 * kept beside the rejected parts. It starts at the store information (the payment was verified already).
 */
/**
 * The reasons of a promotion's rejected spots, by the draft's spot key (written without Object.fromEntries and
 * flatMap, ES2019 built-ins an older DingTalk engine lacks: __tests__/dd/dd-syntax.test.ts).
 */
function spotRejections(id: string, spots: PromotionView['spots']): Record<string, string> {
  const out: Record<string, string> = {}
  spots.forEach((s, i) => {
    if (s.review.status === 'REJECTED') out[`${id}-s${i + 1}`] = s.review.reason ?? ''
  })
  return out
}

export function draftFromPromotion(id: string, clientId: string, p: PromotionView, now: string): PromotionDraft {
  const draft = newDraft(id, clientId, p.product, p.method, now)
  draft.modifyOf = p.id
  draft.step = 'store'
  draft.store = {
    name: p.store.name,
    address: p.store.address,
    category: p.store.category,
    wallets: [...p.store.wallets],
    managerConsent: p.store.managerConsent,
    openingTime: p.store.openingTime,
    closingTime: p.store.closingTime,
    location: p.store.location,
    storefrontPhoto: serverPhoto(p.store.storefrontPhotoId, p.createdAt),
  }
  draft.spots = p.spots.map((s, i) => ({
    key: `${id}-s${i + 1}`,
    position: s.position,
    positionNote: s.positionNote ?? '',
    photo: serverPhoto(s.photoId, p.createdAt),
    marketingCode: s.marketingCode ?? '',
    materialType: s.materialType ?? '',
  }))
  draft.merchant = { ...p.merchant }
  draft.rejections = {
    store: p.storeReview.status === 'REJECTED' ? (p.storeReview.reason ?? '') : null,
    spots: spotRejections(id, p.spots),
  }
  return draft
}
