import { makeAutoObservable, remove, flow, toJS } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { PaymentMode, PaymentTool, PaymentVerificationInput, PaymentVerificationView, Wallet } from '../../packages/contract/promotion'
import { validate, PaymentVerificationSchema } from '../../packages/contract/schemas'
import { requiredPaymentTool } from '../../packages/contract/rules/payment'
import type { PaymentDraft, PhotoRef } from '../rules/promotion-draft'
import { toApiError, type ApiClient } from '../services/api-client'
import type { PhotoService } from '../services/photo-service'
import { awaited } from './awaited'

export interface PaymentRecordAccess {
  get(mode: PaymentMode): PaymentDraft
  update(mode: PaymentMode, change: (p: PaymentDraft) => void): void
  wallets(): Wallet[]
  /** Where the staff member's choice of tool is kept (a draft's `paymentTool`); absent: in memory only. */
  chosenTool?: { get(): PaymentTool | null | undefined; set(tool: PaymentTool): void }
  /**
   * When the visit started (the wizard's draft was begun), by the phone's clock: a payment made before it is not
   * this visit's. Absent (evidence given later for a submitted promotion): the server's window alone decides.
   */
  visitStartedAt?(): string | null | undefined
}

/**
 * Payment verification for both modes, the same in the promotion wizard (Verify-Then-Deploy), for a
 * submitted promotion (Deploy-Then-Verify) and in an inspection: the staff member chooses the tool (Alipay or
 * Alipay+ Linker), preselected from the ISO's rule for the store's wallets with its reason; each mode is
 * recorded with its transaction reference and a photo of the result, and the server decides (the other tool
 * is refused there, WRONG_PAYMENT_TOOL, with everything entered kept).
 */
export class PaymentVerifier {
  busy: Record<PaymentMode, boolean> = { MPM: false, UPM: false }
  errors: Record<PaymentMode, Partial<Record<'reference' | 'photo' | '_', ErrorCode>>> = { MPM: {}, UPM: {} }
  /** The server refused the tool chosen (WRONG_PAYMENT_TOOL), until another is chosen. */
  toolError: ErrorCode | null = null
  /** The choice when the access keeps none (Deploy-Then-Verify's evidence lives in memory). */
  private memoryTool: PaymentTool | null = null

  constructor(
    private readonly records: PaymentRecordAccess,
    private readonly photos: PhotoService,
    private readonly api: ApiClient,
    /** Sends the evidence: to /api/payment-verifications, or to a submitted promotion. */
    private readonly send: (input: PaymentVerificationInput) => Promise<PaymentVerificationView>,
    /** The phone's clock. */
    private readonly now: () => Date = () => new Date(),
  ) {
    makeAutoObservable<this, 'records' | 'photos' | 'api' | 'send' | 'now'>(
      this,
      { records: false, photos: false, api: false, send: false, now: false },
      { autoBind: true },
    )
  }

  /** The tool the ISO's rule names for the store's wallets (null until a wallet is chosen): the preselection. */
  get ruleTool(): PaymentTool | null {
    return requiredPaymentTool(this.records.wallets())
  }

  /** The tool the staff member verifies with: their choice, else the rule's. */
  get tool(): PaymentTool | null {
    if (!this.ruleTool) return null
    const chosen = this.records.chosenTool ? this.records.chosenTool.get() : this.memoryTool
    return chosen ?? this.ruleTool
  }

  /** The staff member chose a tool. */
  chooseTool(tool: PaymentTool) {
    if (this.records.chosenTool) this.records.chosenTool.set(tool)
    else this.memoryTool = tool
    this.toolError = null
    for (const mode of ['MPM', 'UPM'] as const) if (this.errors[mode]._ === 'WRONG_PAYMENT_TOOL') remove(this.errors[mode], '_')
  }

  record(mode: PaymentMode): PaymentDraft {
    return this.records.get(mode)
  }

  setReference(mode: PaymentMode, reference: string) {
    this.records.update(mode, (p) => {
      p.reference = reference
      if (p.result?.status === 'FAILED') p.result = null
    })
    remove(this.errors[mode], 'reference')
    remove(this.errors[mode], '_')
  }

  takePhoto = flow(function* (this: PaymentVerifier, mode: PaymentMode, title: string) {
    let photo: PhotoRef | null
    try {
      photo = yield* awaited(this.photos.take(title))
    } catch (e) {
      // the camera failed or the photo could not be kept on the phone: said at the photo, to retake it
      this.errors[mode] = { ...this.errors[mode], photo: toApiError(e).code }
      return
    }
    if (!photo) return
    const replaced = this.records.get(mode).photo?.localPath ?? null
    this.records.update(mode, (p) => {
      p.photo = photo
      if (p.result?.status === 'FAILED') p.result = null
    })
    // the evidence photo it replaced (evidence never travels in the outbox): its saved file is freed
    if (replaced !== null && replaced !== photo.localPath) void this.photos.forget(replaced)
    remove(this.errors[mode], 'photo')
  })

  verify = flow(function* (this: PaymentVerifier, mode: PaymentMode) {
    if (this.busy[mode]) return false
    const record = this.records.get(mode)
    const tool = this.tool
    // the schema reads plain data (without Proxy an observable array is no Array to valibot)
    const wallets = toJS(this.records.wallets())
    const check = validate(PaymentVerificationSchema, { mode, tool: tool ?? '', reference: record.reference, photoId: record.photo ? 'local' : '', wallets })
    if (!check.ok || !tool || !record.photo) {
      this.errors[mode] = {
        ...(check.ok ? {} : { reference: check.fields.reference, photo: check.fields.photoId }),
        ...(tool ? {} : { _: 'WALLETS_REQUIRED' as ErrorCode }),
      }
      return false
    }
    this.busy[mode] = true
    this.errors[mode] = {}
    try {
      const photo: PhotoRef = record.photo
      const upload = yield* awaited(this.api.upload(photo.localPath, { takenAt: photo.takenAt, purpose: 'payment' }))
      // the visit's start and the moment of sending, both by the phone's clock: the server counts the visit's
      // length back from its own clock, so a phone whose clock is wrong does not misplace the visit
      const startedAt = this.records.visitStartedAt?.()
      const visit = startedAt ? { startedAt, sentAt: this.now().toISOString() } : {}
      const result = yield* awaited(this.send({ mode, tool, reference: record.reference.trim(), photoId: upload.id, wallets, ...visit }))
      this.records.update(mode, (p) => (p.result = result))
      return result.status === 'PASSED'
    } catch (e) {
      const err = toApiError(e)
      // what was entered stays (reference, photo): only the refusal is shown, at the tool when it is the tool
      this.errors[mode] = { _: err.code }
      if (err.code === 'WRONG_PAYMENT_TOOL') this.toolError = err.code
      return false
    } finally {
      this.busy[mode] = false
    }
  })
}
