import { makeAutoObservable, flow } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { PaymentMode, PaymentVerificationInput, PaymentVerificationView, PromotionView } from '../../packages/contract/promotion'
import { latestPerMode, PAYMENT_MODES } from '../../packages/contract/rules/payment'
import type { PaymentDraft } from '../rules/promotion-draft'
import { requestIdOf, toApiError, type ApiClient } from '../services/api-client'
import type { PhotoService } from '../services/photo-service'
import { PaymentVerifier } from './payment-verifier'
import { awaited } from './awaited'

/** The staff member's submitted promotions, and payment verification of Deploy-Then-Verify ones. */
export class PromotionsStore {
  list: PromotionView[] = []
  loading = false
  error: ErrorCode | null = null
  /** The server's id of the request behind `error` (shown under it, for staff to quote to support). */
  errorRequestId: string | null = null
  private verifiers = new Map<string, PaymentVerifier>()
  private evidence = new Map<string, Record<PaymentMode, PaymentDraft>>()

  constructor(
    private readonly api: ApiClient,
    private readonly photos: PhotoService,
  ) {
    makeAutoObservable<this, 'api' | 'photos' | 'verifiers' | 'evidence'>(
      this,
      { api: false, photos: false, verifiers: false, evidence: false },
      { autoBind: true },
    )
  }

  get awaitingPayment(): PromotionView[] {
    return this.list.filter((p) => p.status === 'AWAITING_PAYMENT_VERIFICATION')
  }

  byId(id: string): PromotionView | null {
    return this.list.find((p) => p.id === id) ?? null
  }

  load = flow(function* (this: PromotionsStore) {
    this.loading = true
    try {
      const { promotions } = yield* awaited(this.api.call('GET /api/promotions'))
      this.list = promotions
      for (const p of promotions) this.reconcile(p)
      this.error = null
      this.errorRequestId = null
    } catch (e) {
      this.error = toApiError(e).code
      this.errorRequestId = requestIdOf(e)
    } finally {
      this.loading = false
    }
  })

  loadOne = flow(function* (this: PromotionsStore, id: string) {
    try {
      const promotion = yield* awaited(this.api.call('GET /api/promotions/:id', undefined, { id }))
      this.put(promotion)
    } catch (e) {
      this.error = toApiError(e).code
      this.errorRequestId = requestIdOf(e)
    }
  })

  /** Whether evidence was sent from this device in this session (its results stay on screen). */
  verifiedHere(id: string): boolean {
    const evidence = this.evidence.get(id)
    return Boolean(evidence && (evidence.MPM.result || evidence.UPM.result))
  }

  /** The verification that counts for a mode of a promotion (the latest: rules/payment.ts latestPerMode), if any. */
  latestVerification(id: string, mode: PaymentMode): PaymentVerificationView | null {
    return latestPerMode(this.byId(id)?.paymentVerifications ?? []).find((r) => r.mode === mode) ?? null
  }

  /**
   * Deploy-Then-Verify: the verifier of a submitted promotion; its evidence is sent to that promotion. A mode
   * shows what was entered here; else the server's latest verification of that mode: passed (and not rejected),
   * the mode is done and asks for nothing; rejected by the reviewer (or failed), its reason until new evidence
   * is entered. So after a rejected payment only that mode asks for new evidence.
   */
  verifierFor(id: string): PaymentVerifier {
    const existing = this.verifiers.get(id)
    if (existing) return existing
    const evidence = makeAutoObservable<Record<PaymentMode, PaymentDraft>>({
      MPM: { reference: '', photo: null, result: null },
      UPM: { reference: '', photo: null, result: null },
    })
    this.evidence.set(id, evidence)
    const shown = (mode: PaymentMode): PaymentDraft => {
      const here = evidence[mode]
      if (here.result) return here
      const latest = this.latestVerification(id, mode)
      if (latest?.status === 'PASSED') return { reference: latest.reference, photo: null, result: latest }
      // written out: an observable object is not spread on an engine without Proxy
      if (latest && !here.reference && !here.photo) return { reference: here.reference, photo: here.photo, result: latest }
      return here
    }
    const verifier = new PaymentVerifier(
      {
        get: shown,
        update: (mode, change) => this.editEvidence(evidence, mode, change),
        wallets: () => this.byId(id)?.store.wallets ?? [],
      },
      this.photos,
      this.api,
      (input) => this.sendEvidence(id, evidence, input),
    )
    this.verifiers.set(id, verifier)
    return verifier
  }

  private editEvidence(evidence: Record<PaymentMode, PaymentDraft>, mode: PaymentMode, change: (p: PaymentDraft) => void) {
    change(evidence[mode])
  }

  /** Payment evidence of a submitted promotion, sent to it; the evidence entered here becomes the record the server made. */
  private sendEvidence = flow(function* (this: PromotionsStore, id: string, evidence: Record<PaymentMode, PaymentDraft>, input: PaymentVerificationInput) {
    const promotion = yield* awaited(this.api.call('POST /api/promotions/:id/payment-verifications', input, { id }))
    const records = promotion.paymentVerifications.filter((r) => r.mode === input.mode)
    const result = records[records.length - 1]
    // the evidence entered here is now that record (before the promotion replaces the one in the list)
    evidence[input.mode].result = result ?? null
    this.put(promotion)
    return result
  })

  /**
   * The evidence sent from here, against the promotion as the server now has it: the record's current state (a
   * reviewer's decision); evidence the reviewer rejected, or replaced by a later verification, is cleared so that
   * the mode asks for new evidence (its photo's saved file freed).
   */
  private reconcile(promotion: PromotionView) {
    const evidence = this.evidence.get(promotion.id)
    if (!evidence) return
    const latest = latestPerMode(promotion.paymentVerifications)
    for (const mode of PAYMENT_MODES) {
      const here = evidence[mode]
      const now = latest.find((r) => r.mode === mode)
      if (!here.result || !now) continue
      if (now.id === here.result.id && now.review?.status !== 'REJECTED') {
        here.result = now
        continue
      }
      const photo = here.photo?.localPath ?? null
      evidence[mode] = { reference: '', photo: null, result: null }
      if (photo) void this.photos.forget(photo)
    }
  }

  private put(promotion: PromotionView) {
    const i = this.list.findIndex((p) => p.id === promotion.id)
    if (i >= 0) this.list[i] = promotion
    else this.list.unshift(promotion)
    this.reconcile(promotion)
  }
}
