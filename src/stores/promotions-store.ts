import { makeAutoObservable, runInAction } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { PaymentMode, PromotionView } from '../../packages/contract/promotion'
import type { PaymentDraft } from '../rules/promotion-draft'
import { requestIdOf, toApiError, type ApiClient } from '../services/api-client'
import type { PhotoService } from '../services/photo-service'
import { PaymentVerifier } from './payment-verifier'

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
    makeAutoObservable<this, 'api' | 'photos' | 'verifiers' | 'evidence'>(this, { api: false, photos: false, verifiers: false, evidence: false })
  }

  get awaitingPayment(): PromotionView[] {
    return this.list.filter((p) => p.status === 'AWAITING_PAYMENT_VERIFICATION')
  }

  byId(id: string): PromotionView | null {
    return this.list.find((p) => p.id === id) ?? null
  }

  async load() {
    this.loading = true
    try {
      const { promotions } = await this.api.call('GET /api/promotions')
      runInAction(() => {
        this.list = promotions
        this.error = null
        this.errorRequestId = null
      })
    } catch (e) {
      runInAction(() => {
        this.error = toApiError(e).code
        this.errorRequestId = requestIdOf(e)
      })
    } finally {
      runInAction(() => (this.loading = false))
    }
  }

  async loadOne(id: string) {
    try {
      const promotion = await this.api.call('GET /api/promotions/:id', undefined, { id })
      this.put(promotion)
    } catch (e) {
      runInAction(() => {
        this.error = toApiError(e).code
        this.errorRequestId = requestIdOf(e)
      })
    }
  }

  /** Whether evidence was sent from this device in this session (its results stay on screen). */
  verifiedHere(id: string): boolean {
    const evidence = this.evidence.get(id)
    return Boolean(evidence && (evidence.MPM.result || evidence.UPM.result))
  }

  /** Deploy-Then-Verify: the verifier of a submitted promotion; its evidence is sent to that promotion. */
  verifierFor(id: string): PaymentVerifier {
    const existing = this.verifiers.get(id)
    if (existing) return existing
    const evidence = makeAutoObservable<Record<PaymentMode, PaymentDraft>>({
      MPM: { reference: '', photo: null, result: null },
      UPM: { reference: '', photo: null, result: null },
    })
    this.evidence.set(id, evidence)
    const verifier = new PaymentVerifier(
      {
        get: (mode) => evidence[mode],
        update: (mode, change) => runInAction(() => change(evidence[mode])),
        wallets: () => this.byId(id)?.store.wallets ?? [],
      },
      this.photos,
      this.api,
      async (input) => {
        const promotion = await this.api.call('POST /api/promotions/:id/payment-verifications', input, { id })
        this.put(promotion)
        const records = promotion.paymentVerifications.filter((r) => r.mode === input.mode)
        return records[records.length - 1]
      },
    )
    this.verifiers.set(id, verifier)
    return verifier
  }

  private put(promotion: PromotionView) {
    runInAction(() => {
      const i = this.list.findIndex((p) => p.id === promotion.id)
      if (i >= 0) this.list[i] = promotion
      else this.list.unshift(promotion)
    })
  }
}
