import { randomUUID } from 'node:crypto'
import type * as v from 'valibot'
import type { ErrorCode } from '../../../packages/contract/errors'
import { PRODUCTS, type PaymentVerificationView, type PromotionView, type StoreInput, type WorkspaceInfo } from '../../../packages/contract/promotion'
import { PromotionCreateSchema } from '../../../packages/contract/schemas'
import { duplicateCodes, MAX_SCANNED_LENGTH, type MarketingCodeReader } from '../../../packages/contract/rules/marketing-code'
import { notAMarketingCode, readSubmissionCodes } from '../marketing-codes'
import { bothModesPassed, latestPerMode, requiredPaymentTool } from '../../../packages/contract/rules/payment'
import { isWithinBusinessHours, minuteOfDayIn } from '../../../packages/contract/rules/policy'
import { methodAccepted, toAgreementView } from '../../../packages/contract/rules/method-agreement'
import type { DeploymentMethod } from '../../../packages/contract/api'
import type { Clock } from '../clock'
import type { Db } from '../db'
import type { LookupLog } from '../payments/port'
import type { PaymentEvidenceInput, PaymentVerifier } from '../payments/verification'
import { ApiError, parseBody } from '../errors'
import { toPromotionView, toVerificationView, storeOf } from '../promotion-views'
import type { Repos } from '../repo'
import { agreementOf, type IsoRow } from '../repo/isos'
import type { PaymentVerificationRow } from '../repo/payment-verifications'
import type { NewSpot, PromotionRow } from '../repo/promotions'
import type { StaffRow } from '../repo/staff'
import { isUsed } from '../repo/uploads'
import type { EvidenceChecks, KnownPhotos } from '../evidence/checks'
import type { PhotoCheckService } from '../photo-checks/service'
import { refreshEvidenceSummary } from '../evidence/summary-store'
import { testAccountOf } from '../views'

export type PromotionCreateInput = v.InferOutput<typeof PromotionCreateSchema>
export type { PaymentEvidenceInput }

export interface PromotionServiceDeps {
  db: Db
  repos: Repos
  clock: Clock
  maxUploadBytes: number
  /** The payment lookup's rules (payments/verification.ts). */
  payments: PaymentVerifier
  /** Which QR payloads are Alipay+ Marketing Codes (the server's configuration). */
  marketingCodes: MarketingCodeReader
  /** Near-duplicate photos and location trust at submit (issue 26). */
  evidence: EvidenceChecks
  /** Photo quality and the code in the photo, recorded at submit (issue 26). */
  photoChecks: PhotoCheckService
}

/** A staff member who may run promotions, with their ISO. */
export interface Associated {
  staff: StaffRow
  iso: IsoRow
}

/** 422 EXCESSIVE_POSMS when a submission has more spots than the ISO allows. */
export function checkSpotLimit(iso: IsoRow, spotCount: number): void {
  if (spotCount > iso.max_spots_per_store) {
    throw new ApiError(422, 'EXCESSIVE_POSMS', `At most ${iso.max_spots_per_store} spots per store.`, { spots: 'EXCESSIVE_POSMS' })
  }
}

/** 422 OUTSIDE_BUSINESS_HOURS unless `now`, in the ISO's time zone, is within the store's hours. */
export function checkBusinessHours(iso: IsoRow, now: Date, store: Pick<StoreInput, 'openingTime' | 'closingTime'>): void {
  if (!isWithinBusinessHours(minuteOfDayIn(iso.timezone, now), store.openingTime, store.closingTime)) {
    throw new ApiError(422, 'OUTSIDE_BUSINESS_HOURS', 'Deploy within the store’s business hours.', {
      'store.openingTime': 'OUTSIDE_BUSINESS_HOURS',
    })
  }
}

/**
 * The method a piece of work follows, when the ISO's agreement accepts it now (rules/method-agreement.ts):
 * 403 METHOD_NOT_AGREED before any method is agreed; 409 METHOD_CHANGED for a method replaced by a newly
 * agreed one after its grace period. `method` absent: the method in force.
 */
export function acceptedMethod(iso: IsoRow, now: Date, method: DeploymentMethod | undefined): DeploymentMethod {
  const view = toAgreementView(agreementOf(iso))
  const wanted = method ?? view.agreed ?? iso.deployment_method
  switch (methodAccepted(view, wanted, now)) {
    case 'ok':
      return wanted
    case 'not_agreed':
      throw new ApiError(403, 'METHOD_NOT_AGREED', 'Your ISO has not agreed its deployment method with the Alipay+ regional coordinator yet.')
    case 'changed':
      throw new ApiError(409, 'METHOD_CHANGED', `Your ISO now follows ${view.agreed}: continue this promotion under the new method.`, {
        method: 'METHOD_CHANGED',
      })
  }
}

/** Validated spots as rows (without the promotion id). */
export function spotRows(spots: PromotionCreateInput['spots']): Array<Omit<NewSpot, 'promotion_id'>> {
  return spots.map((s, idx) => ({
    idx,
    position: s.position,
    position_note: s.positionNote ? s.positionNote : null,
    photo_id: s.photoId,
    marketing_code: 'marketingCode' in s ? s.marketingCode : null,
    material_type: 'materialType' in s ? s.materialType : null,
  }))
}

const WHOLE_SUBMISSION_STATUS: Partial<Record<ErrorCode, number>> = { PHOTO_REPEATED: 409, CODE_DUPLICATE: 422 }

function spotsOf(body: unknown): Array<Record<string, unknown>> {
  const spots = (body as { spots?: unknown } | null)?.spots
  return Array.isArray(spots) ? spots.map((s) => (s && typeof s === 'object' ? (s as Record<string, unknown>) : {})) : []
}

/** The fields a whole-submission failure comes from (which photos repeat, which codes occur twice). */
function wholeSubmissionFields(code: ErrorCode, body: unknown): Record<string, ErrorCode> {
  const fields: Record<string, ErrorCode> = {}
  const spots = spotsOf(body)
  if (code === 'CODE_DUPLICATE') {
    // as the schema compares them (trimmed); codes that differ only in form are found by readSubmissionCodes
    const codes = spots.map((s) => (typeof s.marketingCode === 'string' ? s.marketingCode.trim() : null))
    const dup = new Set(duplicateCodes(codes))
    codes.forEach((c, i) => {
      if (c && dup.has(c)) fields[`spots.${i}.marketingCode`] = code
    })
  } else if (code === 'PHOTO_REPEATED') {
    const storefront = (body as { store?: { storefrontPhotoId?: unknown } }).store?.storefrontPhotoId
    const ids: Array<[string, unknown]> = [
      ['store.storefrontPhotoId', storefront],
      ...spots.map((s, i): [string, unknown] => [`spots.${i}.photoId`, s.photoId]),
    ]
    for (const [key, id] of ids) if (ids.filter(([, other]) => other === id).length > 1) fields[key] = code
  }
  return fields
}

/**
 * Validates a submission with the shared schema. Failures of the submission as a whole (the schema reports
 * them at `_`) answer with their own code when they are the only failure: 409 PHOTO_REPEATED (the same
 * photo twice) or 422 CODE_DUPLICATE (the same Marketing Code on two spots), naming the fields involved.
 */
export function parsePromotionCreate(body: unknown, codes: MarketingCodeReader): PromotionCreateInput {
  return parseSubmission(PromotionCreateSchema, body, codes)
}

/**
 * parsePromotionCreate for any submission schema (first submission, resubmission); each spot's Marketing Code is
 * then read with the server's format (marketing-codes.ts: readSubmissionCodes).
 */
export function parseSubmission<S extends v.GenericSchema>(schema: S, body: unknown, codes: MarketingCodeReader): v.InferOutput<S> {
  let parsed: v.InferOutput<S>
  try {
    parsed = parseBody(schema, body)
  } catch (error) {
    const fields = error instanceof ApiError ? error.fields : undefined
    const keys = fields ? Object.keys(fields) : []
    const code = keys.length === 1 && keys[0] === '_' ? fields?._ : undefined
    const status = code ? WHOLE_SUBMISSION_STATUS[code] : undefined
    if (code && status) {
      const message = code === 'PHOTO_REPEATED' ? 'The same photo is used twice in this submission.' : 'The same Marketing Code is on two spots.'
      throw new ApiError(status, code, message, wholeSubmissionFields(code, body))
    }
    throw error
  }
  return readSubmissionCodes(codes, parsed as { product: string; spots: object[] }) as v.InferOutput<S>
}

/** Promotions (spec "Promote and verify Alipay+ POSMs"): workspace, code check, payment evidence, submissions. */
export function createPromotionService({ db, repos, clock, maxUploadBytes, payments, marketingCodes, evidence, photoChecks }: PromotionServiceDeps) {
  async function ownPromotion(staffId: string, id: string): Promise<PromotionRow> {
    const p = await repos.promotions.findById(id)
    if (!p) throw new ApiError(404, 'NOT_FOUND', 'No such promotion.')
    if (p.staff_id !== staffId) throw new ApiError(403, 'FORBIDDEN', 'This promotion belongs to another staff member.')
    return p
  }

  /**
   * Every photo of the submission: this staff member's upload, never part of a submission (nor its content). Read in
   * one query, within the submission's transaction (whether a photo is used can change until its lock is held).
   */
  async function checkPhotos(staffId: string, photos: Array<[field: string, id: string]>): Promise<void> {
    const missing: Record<string, ErrorCode> = {}
    const repeated: Record<string, ErrorCode> = {}
    const hashes = new Map<string, string>()
    const uploads = new Map((await repos.uploads.findManyWithUse(photos.map(([, id]) => id))).map((u) => [u.id, u]))
    for (const [field, id] of photos) {
      const upload = uploads.get(id)
      if (!upload || upload.staff_id !== staffId) missing[field] = 'PHOTO_MISSING'
      else if (isUsed(upload) || upload.hash_used === 1 || hashes.has(upload.sha256)) repeated[field] = 'PHOTO_REPEATED'
      else hashes.set(upload.sha256, field)
    }
    if (Object.keys(missing).length > 0) throw new ApiError(422, 'PHOTO_MISSING', 'A photo was not uploaded by you; upload it again.', missing)
    if (Object.keys(repeated).length > 0) throw new ApiError(409, 'PHOTO_REPEATED', 'A photo is part of a submission already; take a new one.', repeated)
  }

  /** A payment counts once (issue 25): its id's key, while evidence of it is recorded. */
  const paymentLocks = (evidence: { row: { payment_id?: string | null } }): string[] => (evidence.row.payment_id ? [`payment:${evidence.row.payment_id}`] : [])

  /**
   * What a submission's rules are about, locked on PostgreSQL while it is checked and stored (README "Running at
   * scale", Replicas): its idempotency key, its Marketing Codes, its photos' contents and fingerprints, the
   * verifications it names. Read before the transaction: an upload's content and fingerprint never change.
   */
  async function submissionLocks(staffId: string, input: PromotionCreateInput, photoIds: readonly string[], known: KnownPhotos): Promise<string[]> {
    const keys = [`promotion-client:${staffId}:${input.clientId}`, ...input.paymentVerificationIds.map((id) => `verification:${id}`)]
    for (const spot of input.spots) if ('marketingCode' in spot && spot.marketingCode) keys.push(`code:${spot.marketingCode}`)
    for (const upload of known.uploads.values()) keys.push(`photo:${upload.sha256}`)
    keys.push(...(await evidence.lockKeys(photoIds, known)))
    return keys
  }

  /** Verify-Then-Deploy: the named verifications are this staff member's, unused, and passed both modes with the right tool. */
  async function usableVerifications(staffId: string, ids: readonly string[], store: StoreInput): Promise<PaymentVerificationRow[]> {
    const refuse = () => {
      throw new ApiError(422, 'PAYMENT_NOT_VERIFIED', 'Verify both payment modes (MPM and UPM) for this store before submitting.', {
        paymentVerificationIds: 'PAYMENT_NOT_VERIFIED',
      })
    }
    const rows: PaymentVerificationRow[] = []
    for (const id of new Set(ids)) {
      const row = await repos.verifications.findById(id)
      if (!row || row.staff_id !== staffId || row.promotion_id !== null || row.inspection_id !== null) refuse()
      else rows.push(row)
    }
    const tool = requiredPaymentTool(store.wallets)
    if (!bothModesPassed(rows.filter((r) => r.tool === tool))) refuse()
    return rows
  }

  return {
    /** 403 NOT_ASSOCIATED unless the staff member has joined their ISO. */
    async requireAssociated(staff: StaffRow | null): Promise<Associated> {
      if (!staff) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first.')
      const iso = staff.association_status === 'associated' && staff.iso_id ? await repos.isos.findById(staff.iso_id) : undefined
      if (!iso) throw new ApiError(403, 'NOT_ASSOCIATED', 'Join your ISO in DingTalk before promoting Alipay+ POSMs.')
      return { staff, iso }
    },

    async workspaceInfo({ staff, iso }: Associated): Promise<WorkspaceInfo> {
      return {
        products: [...PRODUCTS],
        method: iso.deployment_method,
        methodAgreement: toAgreementView(agreementOf(iso)),
        maxSpotsPerStore: iso.max_spots_per_store,
        timezone: iso.timezone,
        testAccount: testAccountOf(staff, await repos.testAccounts.findByStaff(staff.id)),
        maxUploadBytes,
      }
    },

    /**
     * A scanned Marketing Code: 422 CODE_INVALID when it is not one (the field saying what it is: a payment QR
     * code, a web link, text), 409 CODE_BOUND when a spot has it.
     */
    async checkCode(scanned: unknown): Promise<{ code: string; available: true }> {
      const code = typeof scanned === 'string' ? marketingCodes.read(scanned) : null
      if (!code) {
        // what it is, for a scan of a length a QR holds (longer: only that it is not one)
        const what =
          typeof scanned === 'string' && scanned.trim() && scanned.length <= MAX_SCANNED_LENGTH ? notAMarketingCode(marketingCodes, scanned) : 'CODE_INVALID'
        throw new ApiError(422, 'CODE_INVALID', 'This QR code is not an Alipay+ Marketing Code.', { code: what })
      }
      if (await repos.codes.findBinding(code)) throw new ApiError(409, 'CODE_BOUND', 'This Marketing Code is bound to a spot already.', { code: 'CODE_BOUND' })
      return { code, available: true }
    },

    /** Verify-Then-Deploy: evidence recorded before the promotion exists (PASSED or FAILED with a reason). */
    verifyBeforePromotion: async ({ staff, iso }: Associated, input: PaymentEvidenceInput, log?: LookupLog): Promise<PaymentVerificationView> => {
      const target = { promotionId: null, inspectionId: null }
      // Verify-Then-Deploy in force, or still accepted for a draft started under it (the grace period)
      const view = toAgreementView(agreementOf(iso))
      if (view.agreed && view.agreed !== 'VERIFY_THEN_DEPLOY' && view.previous?.method !== 'VERIFY_THEN_DEPLOY') {
        throw new ApiError(409, 'INVALID_STATE', 'Your ISO follows Deploy-Then-Verify: verify the payment after submitting the promotion.')
      }
      acceptedMethod(iso, clock.now(), 'VERIFY_THEN_DEPLOY')
      // the payment is looked up outside the transaction (a network call)
      const evidence = await payments.evaluate(staff.id, input, input.wallets, target, iso.id, log)
      return db.transaction(async () => toVerificationView(await payments.record(staff.id, input, evidence, target)), { locks: paymentLocks(evidence) })
    },

    /**
     * Submits a promotion. Idempotent on (staff member, clientId): a repeat answers the first promotion
     * (created: false) without checking anything again.
     */
    create: async (
      { staff, iso }: Associated,
      input: PromotionCreateInput,
      keptPhotoIds: readonly string[] = [],
    ): Promise<{ created: boolean; promotion: PromotionView }> => {
      // a repeat (its answer was lost): the first promotion, read without a lock (what is committed stays)
      const earlier = await repos.promotions.findByClientId(staff.id, input.clientId)
      if (earlier) return { created: false, promotion: await toPromotionView(repos, earlier) }
      const photoIds = [input.store.storefrontPhotoId, ...input.spots.map((s) => s.photoId)]
      // what never changes once stored (the photos' contents and fingerprints), read once, before the transaction;
      // and the codes of spot photos not decoded at upload (CPU work, never inside the transaction)
      const known = await evidence.known(photoIds)
      await photoChecks.prepareSubmission(input)
      return db.transaction(
        async () => {
          const existing = await repos.promotions.findByClientId(staff.id, input.clientId)
          if (existing) return { created: false, promotion: await toPromotionView(repos, existing) }

          const now = clock.now()
          const method = acceptedMethod(iso, now, input.method)
          checkSpotLimit(iso, input.spots.length)
          const { store } = input
          checkBusinessHours(iso, now, store)
          const photos = [
            ['store.storefrontPhotoId', store.storefrontPhotoId],
            ...input.spots.map((s, i): [string, string] => [`spots.${i}.photoId`, s.photoId]),
          ] satisfies Array<[string, string]>
          await checkPhotos(staff.id, photos)
          // near-duplicates (409 PHOTO_REUSED) and location trust: evidence/checks.ts
          const flags = await evidence.beforeSubmit(store, photos, undefined, known)

          const spots = spotRows(input.spots)
          const bound: Record<string, ErrorCode> = {}
          for (const s of spots) {
            if (s.marketing_code && (await repos.codes.findBinding(s.marketing_code))) bound[`spots.${s.idx}.marketingCode`] = 'CODE_BOUND'
          }
          if (Object.keys(bound).length > 0) throw new ApiError(409, 'CODE_BOUND', 'A Marketing Code is bound to another spot already.', bound)

          const verifyFirst = method === 'VERIFY_THEN_DEPLOY'
          const verifications = verifyFirst ? await usableVerifications(staff.id, input.paymentVerificationIds, store) : []

          const id = `prm-${randomUUID()}`
          const at = now.toISOString()
          await repos.promotions.insert({
            id,
            client_id: input.clientId,
            staff_id: staff.id,
            iso_id: iso.id,
            product: input.product,
            method,
            status: verifyFirst ? 'PENDING_REVIEW' : 'AWAITING_PAYMENT_VERIFICATION',
            store_json: JSON.stringify(store),
            merchant_json: JSON.stringify(input.merchant),
            created_at: at,
            submitted_at: verifyFirst ? at : null,
          })
          for (const spot of spots) {
            await repos.promotions.insertSpot({ promotion_id: id, ...spot })
            if (spot.marketing_code) await repos.codes.bind(spot.marketing_code, id, spot.idx, at)
          }
          await repos.uploads.markManyUsed(photoIds, id)
          for (const v of verifications) await repos.verifications.attach(v.id, id)
          await evidence.record(id, flags)
          // issue 26: photos kept after a quality warning, each spot photo's code against the scanned one, and the
          // evidence summary the review queue sorts and filters by, from what was just recorded
          const checks = await photoChecks.recordSubmission(input, keptPhotoIds)
          // in the order listForPromotion reads them (oldest first)
          const payments = verifications.map((v) => ({ ...v, promotion_id: id })).sort((a, b) => a.created_at.localeCompare(b.created_at))
          await refreshEvidenceSummary(repos, id, now, { staffId: staff.id, store, spots, flags, checks, payments })
          return { created: true, promotion: await toPromotionView(repos, (await repos.promotions.findById(id)) as PromotionRow) }
        },
        { locks: await submissionLocks(staff.id, input, photoIds, known) },
      )
    },

    async list(staffId: string): Promise<PromotionView[]> {
      const views: PromotionView[] = []
      for (const p of await repos.promotions.listForStaff(staffId)) views.push(await toPromotionView(repos, p))
      return views
    },

    /** 404 when missing, 403 when another staff member's. */
    async requireOwn(staffId: string, id: string): Promise<void> {
      await ownPromotion(staffId, id)
    },

    async get(staffId: string, id: string): Promise<PromotionView> {
      return toPromotionView(repos, await ownPromotion(staffId, id))
    },

    /**
     * Deploy-Then-Verify: evidence for a submitted promotion, checked against the store as submitted (its
     * wallets decide the tool), one mode at a time. Once the latest verification of each mode passed
     * (latestPerMode), the promotion goes to review: after a reviewer rejected a mode's payment, new evidence
     * for that mode alone sends it back, only that evidence undecided.
     */
    verifyForPromotion: async ({ staff, iso }: Associated, promotionId: string, input: PaymentEvidenceInput, log?: LookupLog): Promise<PromotionView> => {
      const target = { promotionId, inspectionId: null }
      const sameEvidence = (rows: PaymentVerificationRow[]) =>
        rows.some((r) => r.mode === input.mode && r.tool === input.tool && r.reference === input.reference.trim() && r.photo_id === input.photoId)
      const before = await ownPromotion(staff.id, promotionId)
      // the same evidence again (its answer was lost, e.g. the server stopped before answering): the
      // promotion as it stands, already in review when that evidence completed it, nothing recorded twice
      if (sameEvidence(await repos.verifications.listForPromotion(before.id))) return toPromotionView(repos, before)
      if (before.status !== 'AWAITING_PAYMENT_VERIFICATION') throw new ApiError(409, 'INVALID_STATE', 'This promotion does not await payment verification.')
      // the payment is looked up outside the transaction (a network call); the promotion is read again inside it
      const evidence = await payments.evaluate(staff.id, input, storeOf(before).wallets, target, iso.id, log)
      return db.transaction(
        async () => {
          const p = await ownPromotion(staff.id, promotionId)
          if (sameEvidence(await repos.verifications.listForPromotion(p.id))) return toPromotionView(repos, p)
          if (p.status !== 'AWAITING_PAYMENT_VERIFICATION') throw new ApiError(409, 'INVALID_STATE', 'This promotion does not await payment verification.')
          await payments.record(staff.id, input, evidence, target)
          const at = clock.now().toISOString()
          if (bothModesPassed(latestPerMode(await repos.verifications.listForPromotion(p.id))))
            await repos.promotions.setStatus(p.id, 'PENDING_REVIEW', at, null, at)
          else await repos.promotions.touch(p.id, at)
          await refreshEvidenceSummary(repos, p.id, clock.now())
          return toPromotionView(repos, (await repos.promotions.findById(p.id)) as PromotionRow)
        },
        { locks: [`promotion:${promotionId}`, ...paymentLocks(evidence)] },
      )
    },
  }
}

export type PromotionService = ReturnType<typeof createPromotionService>
