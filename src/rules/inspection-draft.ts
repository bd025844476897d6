/**
 * A spot inspection in progress on the device, and each step's guard: the part of the submission's schema
 * the step fills, and the rules the schema cannot tell alone (feedback where something is wrong, the code of
 * a present Marketing Code). Pure, shared by the inspection wizard and its tests.
 */
import { fieldsUnder, InspectionSpotResultSchema, InspectionSubmissionSchema, validate, type FieldErrors } from '../../packages/contract/schemas'
import type { InspectionSubmission, InspectionTask, SpotCondition } from '../../packages/contract/inspection'
import type { GeoPointInput, PaymentMode, PaymentTool, PaymentVerificationView } from '../../packages/contract/promotion'
import { compareCodes, distanceMeters, feedbackMissing, feedbackRequired, storeFeedbackRequired } from '../../packages/contract/rules/inspection'
import { bothModesPassed } from '../../packages/contract/rules/payment'
import type { PaymentDraft, PhotoRef } from './promotion-draft'
import { pendingQualityIssue } from './photo-ref'

export type InspectionStep = 'store' | 'spots' | 'payment' | 'summary'
export const INSPECTION_STEPS: InspectionStep[] = ['store', 'spots', 'payment', 'summary']

export interface InspectionSpotDraft {
  index: number
  condition: SpotCondition | ''
  photo: PhotoRef | null
  /** The code scanned now (parsed), for Marketing Code spots. */
  scannedCode: string
  feedback: string
}

export interface InspectionDraft {
  taskId: string
  clientId: string
  step: InspectionStep
  updatedAt: string
  /** The visit's start (the inspection was begun here, by the phone's clock): the payment must be made after it. */
  startedAt?: string
  store: {
    open: boolean | null
    sameStore: boolean | null
    storefrontPhoto: PhotoRef | null
    location: GeoPointInput | null
    feedback: string
  }
  spots: InspectionSpotDraft[]
  payment: Record<PaymentMode, PaymentDraft>
  /** The verification tool the staff member chose; absent or null: the one the ISO's rule names (preselected). */
  paymentTool?: PaymentTool | null
}

export function newInspectionDraft(task: InspectionTask, clientId: string, now: string): InspectionDraft {
  return {
    taskId: task.id,
    clientId,
    step: 'store',
    updatedAt: now,
    startedAt: now,
    store: { open: null, sameStore: null, storefrontPhoto: null, location: null, feedback: '' },
    spots: task.spots.map((s) => ({ index: s.index, condition: '', photo: null, scannedCode: '', feedback: '' })),
    payment: { MPM: { reference: '', photo: null, result: null }, UPM: { reference: '', photo: null, result: null } },
    paymentTool: null,
  }
}

/** Distance from the store's recorded location, when the device gave a location. */
export function distanceFromStore(draft: InspectionDraft, task: InspectionTask): number | null {
  return draft.store.location ? distanceMeters(draft.store.location, task.store.location) : null
}

/** A placeholder id that lets the schema check "a photo was taken" before it is uploaded. */
const photoId = (photo: PhotoRef | null) => (photo ? 'local' : '')

export function validateInspectionStore(draft: InspectionDraft): FieldErrors {
  const s = draft.store
  const r = validate(InspectionSubmissionSchema.entries.store, {
    open: s.open,
    sameStore: s.sameStore,
    storefrontPhotoId: photoId(s.storefrontPhoto),
    location: s.location,
    distanceMeters: null,
    feedback: s.feedback,
  })
  const fields = r.ok ? {} : fieldsUnder('store', r.fields)
  // issue 26: a photo the check found too dark, overexposed or blurred: Retake or Keep anyway first
  if (!fields['store.storefrontPhotoId'] && pendingQualityIssue(s.storefrontPhoto)) fields['store.storefrontPhotoId'] = 'PHOTO_QUALITY'
  if (storeFeedbackRequired(s) && feedbackMissing(s.feedback)) fields['store.feedback'] = 'FEEDBACK_REQUIRED'
  return fields
}

/** Every spot needs a result: what was found, a photo, the code where it applies, feedback where wrong. */
export function validateInspectionSpots(draft: InspectionDraft, task: InspectionTask): FieldErrors {
  const fields: FieldErrors = {}
  draft.spots.forEach((spot, i) => {
    const bound = task.spots[i]?.marketingCode ?? null
    const isCode = task.product === 'MARKETING_CODE'
    const r = validate(InspectionSpotResultSchema, {
      index: spot.index,
      condition: spot.condition,
      photoId: photoId(spot.photo),
      scannedCode: spot.scannedCode,
      feedback: spot.feedback,
    })
    if (!r.ok) Object.assign(fields, fieldsUnder(`spots.${i}`, r.fields))
    if (!fields[`spots.${i}.photoId`] && pendingQualityIssue(spot.photo)) fields[`spots.${i}.photoId`] = 'PHOTO_QUALITY'
    if (isCode && spot.condition === 'PRESENT' && !spot.scannedCode) fields[`spots.${i}.scannedCode`] = 'CODE_REQUIRED'
    if (feedbackRequired(spot.condition, compareCodes(spot.scannedCode, bound), isCode) && feedbackMissing(spot.feedback))
      fields[`spots.${i}.feedback`] = 'FEEDBACK_REQUIRED'
  })
  return fields
}

export function validateInspectionPayment(draft: InspectionDraft): FieldErrors {
  const records = (['MPM', 'UPM'] as const).map((m) => draft.payment[m].result).filter((r): r is PaymentVerificationView => r !== null)
  return bothModesPassed(records) ? {} : { payment: 'PAYMENT_NOT_VERIFIED' }
}

export function validateInspectionStep(step: InspectionStep, draft: InspectionDraft, task: InspectionTask): FieldErrors {
  switch (step) {
    case 'store':
      return validateInspectionStore(draft)
    case 'spots':
      return validateInspectionSpots(draft, task)
    case 'payment':
      return validateInspectionPayment(draft)
    case 'summary':
      return { ...validateInspectionStore(draft), ...validateInspectionSpots(draft, task), ...validateInspectionPayment(draft) }
  }
}

/** The result to send, each photo named by its local path (the outbox swaps in upload ids). */
export function toInspectionSubmission(draft: InspectionDraft, task: InspectionTask): InspectionSubmission {
  return {
    clientId: draft.clientId,
    store: {
      open: draft.store.open === true,
      sameStore: draft.store.sameStore === true,
      storefrontPhotoId: draft.store.storefrontPhoto?.localPath ?? '',
      location: draft.store.location,
      distanceMeters: distanceFromStore(draft, task),
      feedback: draft.store.feedback.trim(),
    },
    spots: draft.spots.map((s) => ({
      index: s.index,
      condition: s.condition as SpotCondition,
      photoId: s.photo?.localPath ?? '',
      ...(s.scannedCode ? { scannedCode: s.scannedCode } : {}),
      feedback: s.feedback.trim(),
    })),
    paymentVerificationIds: (['MPM', 'UPM'] as const)
      .map((m) => draft.payment[m].result)
      .filter((r) => r?.status === 'PASSED')
      .map((r) => (r as PaymentVerificationView).id),
  }
}

export function inspectionPhotos(draft: InspectionDraft): PhotoRef[] {
  return [draft.store.storefrontPhoto, ...draft.spots.map((s) => s.photo)].filter((p): p is PhotoRef => p !== null)
}
