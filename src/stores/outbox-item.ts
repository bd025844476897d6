import type { ErrorCode } from '../../packages/contract/errors'
import type { ProductKind, PromotionCreate, PromotionView } from '../../packages/contract/promotion'
import type { AppealInput, PromotionDetail, ResubmissionInput } from '../../packages/contract/results'
import type { InspectionSubmission, InspectionTask } from '../../packages/contract/inspection'
import type { PhotoRef } from '../rules/photo-ref'

export type OutboxStatus = 'pending' | 'sending' | 'refused' | 'sent'

/** What every item has, whatever it sends. */
export interface OutboxItemFields {
  id: string
  draftId: string
  /** The promotion's idempotency key: resending never creates a second promotion. */
  clientId: string
  label: string
  product: ProductKind
  photos: PhotoRef[]
  status: OutboxStatus
  attempts: number
  nextAttemptAt: number
  lastError: ErrorCode | null
  /** The server's id of the request behind `lastError` (shown under it, for staff to quote); absent in items saved before. */
  lastErrorRequestId?: string | null
  /** Where the server's refusal points (e.g. `spots.1.marketingCode`). */
  lastErrorFields: Partial<Record<string, ErrorCode>> | null
  createdAt: string
}

// Every variant has every key (`targetId`, `promotion`, `task`), null where its kind has none: MobX without
// Proxy sees no key added later.

/** A first submission of a promotion; the server answers with the promotion. */
export interface PromotionOutboxItem extends OutboxItemFields {
  kind: 'promotion'
  targetId: null
  /** What is sent, each photo named by its local path until uploaded. */
  payload: PromotionCreate
  promotion: PromotionView | null
  task: null
}

/** A Modify of a promotion (`targetId`); the server answers with the promotion's whole detail. */
export interface ResubmissionOutboxItem extends OutboxItemFields {
  kind: 'resubmission'
  targetId: string
  payload: ResubmissionInput
  promotion: PromotionDetail | null
  task: null
}

/** An Appeal of a promotion (`targetId`); the server answers with the promotion's whole detail. */
export interface AppealOutboxItem extends OutboxItemFields {
  kind: 'appeal'
  targetId: string
  payload: AppealInput
  promotion: PromotionDetail | null
  task: null
}

/** An inspection of a Verification Task (`targetId`); the server answers with the task. */
export interface InspectionOutboxItem extends OutboxItemFields {
  kind: 'inspection'
  targetId: string
  payload: InspectionSubmission
  promotion: null
  task: InspectionTask | null
}

/** One item of the outbox: its kind says what its payload is, where it goes and what the server answers. */
export type OutboxItem = PromotionOutboxItem | ResubmissionOutboxItem | AppealOutboxItem | InspectionOutboxItem
export type OutboxKind = OutboxItem['kind']
export type OutboxPayload = OutboxItem['payload']

/** What is queued: the kind with its payload and what it is about (a first submission is the default kind). */
export type OutboxSubmission =
  | { kind?: 'promotion'; targetId?: null; payload: PromotionCreate }
  | { kind: 'resubmission'; targetId: string; payload: ResubmissionInput }
  | { kind: 'appeal'; targetId: string; payload: AppealInput }
  | { kind: 'inspection'; targetId: string; payload: InspectionSubmission }

/** The item of a submission, with the fields every kind shares. */
export function outboxItem(submission: OutboxSubmission, state: OutboxItemFields): OutboxItem {
  switch (submission.kind) {
    case undefined:
    case 'promotion':
      return { ...state, kind: 'promotion', targetId: null, payload: submission.payload, promotion: null, task: null }
    case 'resubmission':
      return { ...state, kind: 'resubmission', targetId: submission.targetId, payload: submission.payload, promotion: null, task: null }
    case 'appeal':
      return { ...state, kind: 'appeal', targetId: submission.targetId, payload: submission.payload, promotion: null, task: null }
    case 'inspection':
      return { ...state, kind: 'inspection', targetId: submission.targetId, payload: submission.payload, promotion: null, task: null }
    default:
      return unreachable(submission)
  }
}

/**
 * An item as any earlier version kept it: the first kept no kind (every item was a promotion), the next named
 * the promotion of an Appeal or a Modify `promotionId` (since: `targetId`), `task` came with inspections and
 * `lastErrorRequestId` later still.
 */
type Kept<T extends OutboxItem> = Omit<T, 'targetId' | 'promotion' | 'task'> &
  Partial<Pick<T, 'targetId' | 'promotion' | 'task'>> & { promotionId?: string | null }
export type KeptOutboxItem =
  (Omit<Kept<PromotionOutboxItem>, 'kind'> & { kind?: 'promotion' }) | Kept<ResubmissionOutboxItem> | Kept<AppealOutboxItem> | Kept<InspectionOutboxItem>

/**
 * The item of a kept one, every key present. One being sent when the app stopped is simply sent again
 * (idempotent). A Modify or an Appeal kept with no promotion at all (never written so) keeps an empty target:
 * the server refuses it (NOT_FOUND) and it stays on the phone, shown, until discarded.
 */
export function restoreOutboxItem(kept: KeptOutboxItem): OutboxItem {
  const { promotionId, ...rest } = kept
  const common = {
    ...rest,
    lastErrorRequestId: kept.lastErrorRequestId ?? null,
    status: kept.status === 'sending' ? 'pending' : kept.status,
  } as const
  const target = kept.targetId ?? promotionId ?? ''
  switch (kept.kind) {
    case undefined:
    case 'promotion':
      return { ...common, kind: 'promotion', targetId: null, payload: kept.payload, promotion: kept.promotion ?? null, task: null }
    case 'resubmission':
      return { ...common, kind: 'resubmission', targetId: target, payload: kept.payload, promotion: kept.promotion ?? null, task: null }
    case 'appeal':
      return { ...common, kind: 'appeal', targetId: target, payload: kept.payload, promotion: kept.promotion ?? null, task: null }
    case 'inspection':
      return { ...common, kind: 'inspection', targetId: kept.targetId ?? '', payload: kept.payload, promotion: null, task: kept.task ?? null }
    default:
      return unreachable(kept)
  }
}

/** The exhaustive check of a switch over kinds: a kind added to the union and not handled does not compile. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled outbox kind: ${JSON.stringify(value)}`)
}
