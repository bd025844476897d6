import type { PhotoCheckView } from '../../packages/contract/photo-check'
import type { MerchantInput, PaymentVerificationView, PromotionView, SpotView, StoreInput, UploadView } from '../../packages/contract/promotion'
import type { Repos } from './repo'
import type { PaymentVerificationRow } from './repo/payment-verifications'
import type { PromotionRow, SpotRow } from './repo/promotions'
import type { UploadRow } from './repo/uploads'

export function toUploadView(u: UploadRow, check: PhotoCheckView | null = null): UploadView {
  const location =
    u.latitude !== null && u.longitude !== null ? { latitude: u.latitude, longitude: u.longitude, accuracy: u.accuracy, mocked: u.mocked === 1 } : null
  return { id: u.id, sha256: u.sha256, size: u.size, mime: u.mime, takenAt: u.taken_at, location, createdAt: u.created_at, check }
}

export function toVerificationView(r: PaymentVerificationRow): PaymentVerificationView {
  return {
    id: r.id,
    mode: r.mode,
    tool: r.tool,
    reference: r.reference,
    photoId: r.photo_id,
    status: r.status,
    reason: r.reason,
    createdAt: r.created_at,
    ...(r.checked_by ? { checkedBy: r.checked_by } : {}),
    ...(r.payment_id
      ? {
          payment: {
            paymentId: r.payment_id,
            time: r.payment_time ?? null,
            amount: r.amount_value && r.amount_currency ? { value: r.amount_value, currency: r.amount_currency } : null,
            wallet: r.wallet_brand ?? null,
          },
        }
      : {}),
    ...(r.review_status ? { review: { status: r.review_status, reason: r.review_reason ?? null } } : {}),
  }
}

export function toSpotView(s: SpotRow): SpotView {
  return {
    index: s.idx,
    position: s.position,
    ...(s.position_note !== null ? { positionNote: s.position_note } : {}),
    photoId: s.photo_id,
    ...(s.marketing_code !== null ? { marketingCode: s.marketing_code } : {}),
    ...(s.material_type !== null ? { materialType: s.material_type } : {}),
    review: { status: s.review_status, reason: s.review_reason },
  }
}

export function storeOf(p: PromotionRow): StoreInput {
  return JSON.parse(p.store_json) as StoreInput
}

export function merchantOf(p: PromotionRow): MerchantInput {
  return JSON.parse(p.merchant_json) as MerchantInput
}

export async function toPromotionView(repos: Repos, p: PromotionRow): Promise<PromotionView> {
  return {
    id: p.id,
    clientId: p.client_id,
    product: p.product,
    method: p.method,
    status: p.status,
    store: storeOf(p),
    storeReview: { status: p.store_review_status, reason: p.store_review_reason },
    spots: (await repos.promotions.spots(p.id)).map(toSpotView),
    merchant: merchantOf(p),
    paymentVerifications: (await repos.verifications.listForPromotion(p.id)).map(toVerificationView),
    createdAt: p.created_at,
  }
}
