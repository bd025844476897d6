import { randomUUID } from 'node:crypto'
import type * as v from 'valibot'
import type { ErrorCode } from '../../../packages/contract/errors'
import type { InspectionTask } from '../../../packages/contract/inspection'
import type { PaymentVerificationView } from '../../../packages/contract/promotion'
import { InspectionSubmissionSchema } from '../../../packages/contract/schemas'
import {
  compareCodes,
  distanceMeters,
  FAR_FROM_STORE_METERS,
  feedbackMissing,
  feedbackRequired,
  storeFeedbackRequired,
} from '../../../packages/contract/rules/inspection'
import type { MarketingCodeReader } from '../../../packages/contract/rules/marketing-code'
import { bothModesPassed } from '../../../packages/contract/rules/payment'
import type { Clock } from '../clock'
import type { Db } from '../db'
import { ApiError, parseBody } from '../errors'
import type { NotificationService } from '../notifications/service'
import { storeOf, toVerificationView } from '../promotion-views'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import type { InspectionResult, InspectionTaskRow } from '../repo/inspections'
import type { PaymentVerificationRow } from '../repo/payment-verifications'
import type { PromotionRow } from '../repo/promotions'
import type { StaffRow } from '../repo/staff'
import { isUsed } from '../repo/uploads'
import { calendarDateIn, parseCalendarDate } from '../timezone'
import type { LookupLog } from '../payments/port'
import type { PaymentVerifier } from '../payments/verification'
import type { Associated, PaymentEvidenceInput } from './promotions'

export type InspectionSubmissionInput = v.InferOutput<typeof InspectionSubmissionSchema>

export interface InspectionServiceDeps {
  db: Db
  repos: Repos
  clock: Clock
  notifications: NotificationService
  /** The payment lookup's rules (payments/verification.ts). */
  payments: PaymentVerifier
  /** Which QR payloads are Alipay+ Marketing Codes (the server's configuration). */
  marketingCodes: MarketingCodeReader
}

const OPEN_STATUSES: ReadonlyArray<InspectionTaskRow['status']> = ['TO_DO', 'IN_PROGRESS']
const isOpen = (t: InspectionTaskRow) => OPEN_STATUSES.includes(t.status)

/**
 * Validates an inspection result with the shared schema. When the only failures are missing feedback (a
 * spot that is not PRESENT), the answer is 400 FEEDBACK_REQUIRED naming those fields, as for the feedback
 * the server requires itself (a code mismatch, a closed or different store).
 */
export function parseInspectionSubmission(body: unknown): InspectionSubmissionInput {
  try {
    return parseBody(InspectionSubmissionSchema, body)
  } catch (error) {
    const fields = error instanceof ApiError ? error.fields : undefined
    const codes = fields ? Object.values(fields) : []
    if (fields && codes.length > 0 && codes.every((c) => c === 'FEEDBACK_REQUIRED')) {
      throw new ApiError(400, 'FEEDBACK_REQUIRED', 'Describe what is wrong: feedback is required.', fields)
    }
    throw error
  }
}

/** Sort order of a staff member's tasks: open ones by due date, then the rest newest first. */
function byWorklist(a: InspectionTaskRow, b: InspectionTaskRow): number {
  const openA = isOpen(a)
  const openB = isOpen(b)
  if (openA !== openB) return openA ? -1 : 1
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)
  if (openA) return cmp(a.due_date, b.due_date) || cmp(a.assigned_at, b.assigned_at) || cmp(a.id, b.id)
  const latest = (t: InspectionTaskRow) => t.decided_at ?? t.submitted_at ?? t.assigned_at
  return cmp(latest(b), latest(a)) || cmp(b.id, a.id)
}

export type AssignResult =
  { ok: true; task: InspectionTaskRow } | { ok: false; problem: 'promotion' | 'not_approved' | 'staff' | 'not_associated' | 'other_iso' | 'due_date' }

export type InspectionDecision = { status: 'ACCEPTED' } | { status: 'REJECTED'; reason: string }

export type InspectionDecisionResult =
  { ok: true; task: InspectionTaskRow } | { ok: false; problem: 'not_found' } | { ok: false; problem: 'not_submitted'; task: InspectionTaskRow }

/**
 * Spot inspection (spec "Conduct spot inspection"): Verification Tasks assigned in the console, the staff
 * member's payment evidence and result, the reviewer's decision.
 */
export function createInspectionService({ db, repos, clock, notifications, payments, marketingCodes }: InspectionServiceDeps) {
  async function promotionOf(t: InspectionTaskRow): Promise<PromotionRow> {
    const p = await repos.promotions.findById(t.promotion_id)
    if (!p) throw new Error(`inspection ${t.id}: promotion ${t.promotion_id} is missing`)
    return p
  }

  async function toTaskView(t: InspectionTaskRow): Promise<InspectionTask> {
    const p = await promotionOf(t)
    const store = storeOf(p)
    return {
      id: t.id,
      promotionId: p.id,
      product: p.product,
      store: { name: store.name, address: store.address, category: store.category, wallets: store.wallets, location: store.location },
      spots: (await repos.promotions.spots(p.id)).map((s) => ({
        index: s.idx,
        position: s.position,
        positionNote: s.position_note,
        marketingCode: s.marketing_code,
        materialType: s.material_type,
        deployedPhotoId: s.photo_id,
      })),
      deployment: { storefrontPhotoId: store.storefrontPhotoId, deployedAt: p.created_at },
      dueDate: t.due_date,
      status: t.status,
      reviewerReason: t.reviewer_reason,
      assignedAt: t.assigned_at,
      submittedAt: t.submitted_at,
      paymentVerifications: (await repos.verifications.listForInspection(t.id)).map(toVerificationView),
    }
  }

  async function ownTask(staffId: string, id: string): Promise<InspectionTaskRow> {
    const t = await repos.inspections.findById(id)
    if (!t) throw new ApiError(404, 'NOT_FOUND', 'No such inspection task.')
    if (t.staff_id !== staffId) throw new ApiError(403, 'FORBIDDEN', 'This inspection task is assigned to another staff member.')
    return t
  }

  /** Every photo: this staff member's upload, used by no submission or inspection (nor its content). */
  async function checkPhotos(staffId: string, photos: Array<[field: string, id: string]>): Promise<void> {
    const missing: Record<string, ErrorCode> = {}
    const repeated: Record<string, ErrorCode> = {}
    const hashes = new Set<string>()
    for (const [field, id] of photos) {
      const upload = await repos.uploads.findById(id)
      if (!upload || upload.staff_id !== staffId) missing[field] = 'PHOTO_MISSING'
      else if (isUsed(upload) || (await repos.uploads.isHashUsed(upload.sha256)) || hashes.has(upload.sha256)) repeated[field] = 'PHOTO_REPEATED'
      else hashes.add(upload.sha256)
    }
    if (Object.keys(missing).length > 0) throw new ApiError(422, 'PHOTO_MISSING', 'A photo was not uploaded by you; upload it again.', missing)
    if (Object.keys(repeated).length > 0) throw new ApiError(409, 'PHOTO_REPEATED', 'A photo is part of a submission already; take a new one.', repeated)
  }

  /** The named verifications are this task's, and their passed records cover MPM and UPM. */
  async function usableVerifications(task: InspectionTaskRow, ids: readonly string[]): Promise<PaymentVerificationRow[]> {
    const refuse = (): never => {
      throw new ApiError(422, 'PAYMENT_NOT_VERIFIED', 'Verify both payment modes (MPM and UPM) for this store before submitting.', {
        paymentVerificationIds: 'PAYMENT_NOT_VERIFIED',
      })
    }
    const rows: PaymentVerificationRow[] = []
    for (const id of new Set(ids)) {
      const row = await repos.verifications.findById(id)
      if (!row || row.inspection_id !== task.id || row.staff_id !== task.staff_id) refuse()
      else rows.push(row)
    }
    if (!bothModesPassed(rows)) refuse()
    return rows
  }

  /** One result per spot of the promotion, each exactly once (422 SPOT_RESULTS_INCOMPLETE). */
  function checkSpotCoverage(input: InspectionSubmissionInput, indexes: ReadonlySet<number>): void {
    const fields: Record<string, ErrorCode> = {}
    const seen = new Set<number>()
    input.spots.forEach((s, i) => {
      if (!indexes.has(s.index) || seen.has(s.index)) fields[`spots.${i}.index`] = 'SPOT_RESULTS_INCOMPLETE'
      seen.add(s.index)
    })
    if ([...indexes].some((idx) => !seen.has(idx))) fields.spots = 'SPOT_RESULTS_INCOMPLETE'
    if (Object.keys(fields).length > 0) {
      throw new ApiError(
        422,
        'SPOT_RESULTS_INCOMPLETE',
        `Inspect every spot once: ${indexes.size} spot${indexes.size === 1 ? '' : 's'} (indexes ${[...indexes].join(', ')}).`,
        fields,
      )
    }
  }

  return {
    async list(staffId: string): Promise<InspectionTask[]> {
      const tasks: InspectionTask[] = []
      for (const t of (await repos.inspections.listForStaff(staffId)).sort(byWorklist)) tasks.push(await toTaskView(t))
      return tasks
    },

    async get(staffId: string, id: string): Promise<InspectionTask> {
      return toTaskView(await ownTask(staffId, id))
    },

    /** 404/403 before the body is read. */
    async requireOwn(staffId: string, id: string): Promise<void> {
      await ownTask(staffId, id)
    },

    /**
     * Payment evidence for the task's store: the store's recorded wallets decide the tool (not the wallets
     * sent). Only while the task is open (else 409 INVALID_STATE); the task is then IN_PROGRESS.
     */
    verify: async ({ staff, iso }: Associated, id: string, input: PaymentEvidenceInput, log?: LookupLog): Promise<PaymentVerificationView> => {
      const target = { promotionId: null, inspectionId: id }
      const before = await ownTask(staff.id, id)
      if (!isOpen(before)) throw new ApiError(409, 'INVALID_STATE', 'This inspection was submitted already.')
      const wallets = storeOf(await promotionOf(before)).wallets
      // the payment is looked up outside the transaction (a network call); the task is read again inside it
      const evidence = await payments.evaluate(staff.id, input, wallets, target, iso.id, log)
      return db.transaction(async () => {
        const task = await ownTask(staff.id, id)
        if (!isOpen(task)) throw new ApiError(409, 'INVALID_STATE', 'This inspection was submitted already.')
        const row = await payments.record(staff.id, input, evidence, target)
        await repos.inspections.start(task.id)
        return toVerificationView(row)
      })
    },

    /**
     * The inspection's result. Idempotent on (staff member, clientId): the same clientId for this task
     * answers the task again (created: false) without checking anything.
     */
    submit: ({ staff }: Associated, id: string, input: InspectionSubmissionInput): Promise<{ created: boolean; task: InspectionTask }> =>
      db.transaction(async () => {
        const task = await ownTask(staff.id, id)
        if (task.client_id === input.clientId) return { created: false, task: await toTaskView(task) }
        const other = await repos.inspections.findByClientId(staff.id, input.clientId)
        if (other) throw new ApiError(409, 'INVALID_STATE', 'This clientId was used for another inspection.', { clientId: 'VALIDATION_FAILED' })
        if (!isOpen(task)) throw new ApiError(409, 'INVALID_STATE', 'This inspection was submitted already.')

        const promotion = await promotionOf(task)
        const store = storeOf(promotion)
        const spots = await repos.promotions.spots(promotion.id)
        const byIndex = new Map(spots.map((s) => [s.idx, s]))
        checkSpotCoverage(input, new Set(byIndex.keys()))

        // Marketing Code spots found in place: the code must be scanned.
        const noCode: Record<string, ErrorCode> = {}
        input.spots.forEach((r, i) => {
          if (byIndex.get(r.index)?.marketing_code && r.condition === 'PRESENT' && !r.scannedCode) noCode[`spots.${i}.scannedCode`] = 'CODE_REQUIRED'
        })
        if (Object.keys(noCode).length > 0) throw new ApiError(422, 'CODE_REQUIRED', 'Scan the Marketing Code of each spot found in place.', noCode)

        const results: InspectionResult['spots'] = input.spots.map((r) => {
          const bound = byIndex.get(r.index)?.marketing_code ?? null
          const scanned = bound && r.scannedCode ? r.scannedCode : null
          return {
            index: r.index,
            condition: r.condition,
            photoId: r.photoId,
            boundCode: bound,
            scannedCode: scanned ? (marketingCodes.read(scanned) ?? scanned) : null,
            codeComparison: bound ? compareCodes(scanned, bound, marketingCodes.read) : null,
            feedback: r.feedback,
          }
        })

        const noFeedback: Record<string, ErrorCode> = {}
        results.forEach((r, i) => {
          if (feedbackMissing(r.feedback) && feedbackRequired(r.condition, r.codeComparison ?? 'NOT_SCANNED', r.boundCode !== null))
            noFeedback[`spots.${i}.feedback`] = 'FEEDBACK_REQUIRED'
        })
        if (storeFeedbackRequired(input.store) && feedbackMissing(input.store.feedback)) noFeedback['store.feedback'] = 'FEEDBACK_REQUIRED'
        if (Object.keys(noFeedback).length > 0) throw new ApiError(400, 'FEEDBACK_REQUIRED', 'Describe what is wrong: feedback is required.', noFeedback)

        await checkPhotos(staff.id, [
          ['store.storefrontPhotoId', input.store.storefrontPhotoId],
          ...input.spots.map((s, i): [string, string] => [`spots.${i}.photoId`, s.photoId]),
        ])
        const verifications = await usableVerifications(task, input.paymentVerificationIds)

        const distance = input.store.location ? distanceMeters(input.store.location, store.location) : null
        const result: InspectionResult = {
          store: {
            open: input.store.open,
            sameStore: input.store.sameStore,
            storefrontPhotoId: input.store.storefrontPhotoId,
            location: input.store.location,
            distanceMeters: distance,
            clientDistanceMeters: input.store.distanceMeters,
            farFromStore: distance !== null && distance > FAR_FROM_STORE_METERS,
            feedback: input.store.feedback,
          },
          spots: [...results].sort((a, b) => a.index - b.index),
          paymentVerificationIds: verifications.map((v) => v.id),
        }
        const at = clock.now().toISOString()
        if (!(await repos.inspections.submit(task.id, input.clientId, result, at))) {
          throw new ApiError(409, 'INVALID_STATE', 'This inspection was submitted already.')
        }
        for (const photoId of [input.store.storefrontPhotoId, ...input.spots.map((s) => s.photoId)]) await repos.uploads.markUsedByInspection(photoId, task.id)
        return { created: true, task: await toTaskView((await repos.inspections.findById(task.id)) as InspectionTaskRow) }
      }),

    /**
     * Console: assigns an inspection of an APPROVED promotion to an associated staff member of the
     * promotion's ISO, due on `dueDate` (YYYY-MM-DD, not before today in the ISO's time zone).
     */
    assign: (actor: Actor, promotionId: string, staffId: string, dueDate: string): Promise<AssignResult> =>
      db.transaction(async () => {
        const promotion = await repos.promotions.findById(promotionId)
        if (!promotion) return { ok: false, problem: 'promotion' }
        if (promotion.status !== 'APPROVED') return { ok: false, problem: 'not_approved' }
        const staff: StaffRow | undefined = await repos.staff.findById(staffId)
        if (!staff) return { ok: false, problem: 'staff' }
        if (staff.association_status !== 'associated') return { ok: false, problem: 'not_associated' }
        if (staff.iso_id !== promotion.iso_id) return { ok: false, problem: 'other_iso' }
        const iso = await repos.isos.findById(promotion.iso_id)
        const now = clock.now()
        const date = parseCalendarDate(dueDate)
        if (!date || (iso && date < calendarDateIn(now, iso.timezone))) return { ok: false, problem: 'due_date' }
        const id = `ins-${randomUUID()}`
        await repos.inspections.insert({ id, promotion_id: promotion.id, staff_id: staff.id, due_date: date, assigned_at: now.toISOString() })
        await repos.audit.append(actor, now.toISOString(), {
          action: 'inspection.assign',
          subjectType: 'inspection',
          subjectId: id,
          isoId: promotion.iso_id,
          after: { promotion: promotion.id, staff: staff.id, dueDate: date, status: 'TO_DO' },
        })
        const store = storeOf(promotion)
        await notifications.enqueue(`inspection:${id}:assigned`, staff.id, {
          kind: 'INSPECTION_ASSIGNED',
          params: { taskId: id, store: store.name, address: store.address, dueDate: date },
        })
        return { ok: true, task: (await repos.inspections.findById(id)) as InspectionTaskRow }
      }),

    /** Console: accepts or rejects a SUBMITTED inspection (once). */
    decide: (actor: Actor, id: string, decision: InspectionDecision): Promise<InspectionDecisionResult> =>
      db.transaction(async () => {
        const task = await repos.inspections.findById(id)
        if (!task) return { ok: false, problem: 'not_found' }
        const reason = decision.status === 'REJECTED' ? decision.reason : null
        const at = clock.now().toISOString()
        if (!(await repos.inspections.decide(id, decision.status, reason, at))) return { ok: false, problem: 'not_submitted', task }
        const isoId = (await repos.promotions.findById(task.promotion_id))?.iso_id ?? null
        await repos.audit.append(actor, at, {
          action: decision.status === 'ACCEPTED' ? 'inspection.accept' : 'inspection.reject',
          subjectType: 'inspection',
          subjectId: id,
          isoId,
          before: { status: task.status },
          after: { status: decision.status },
          reason,
        })
        return { ok: true, task: (await repos.inspections.findById(id)) as InspectionTaskRow }
      }),
  }
}

export type InspectionService = ReturnType<typeof createInspectionService>
