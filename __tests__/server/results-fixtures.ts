import type { LightMyRequestResponse } from 'fastify'
import type { PromotionView } from '../../packages/contract/promotion'
import type { PromotionDetail, PromotionPage, ResultsSummary } from '../../packages/contract/results'
import type { TestServer } from './helpers'
import { clientId, createPromotion, passedVerifications, promotionBody } from './promotion-fixtures'

export type Decision = 'approve' | 'reject'

/** Submits a promotion: staff-chen (Verify-Then-Deploy) with passed verifications, anyone else as is. */
export async function submit(
  server: TestServer,
  token: string,
  staffId: string,
  opts: { product?: 'MARKETING_CODE' | 'PRIMARY_POSM'; spots?: number; store?: Record<string, unknown> } = {},
): Promise<PromotionView> {
  const paymentVerificationIds = staffId === 'staff-chen' ? await passedVerifications(server, token) : []
  return createPromotion(server, token, await promotionBody(server, token, { ...opts, paymentVerificationIds }))
}

/** The reviewer decides the store and each spot in /console (reasons given for rejections). */
export async function review(server: TestServer, id: string, store: Decision, spots: Decision[]): Promise<void> {
  const post = async (url: string, decision: Decision, reason: string) => {
    const res = await server.consolePost(url, decision === 'reject' ? { reason } : {})
    if (res.statusCode !== 303) throw new Error(`${url}: ${res.statusCode}`)
  }
  await post(`/console/promotions/${id}/store/${store}`, store, 'The storefront photo is blurry.')
  for (const [i, d] of spots.entries()) await post(`/console/promotions/${id}/spots/${i}/${d}`, d, `Spot ${i + 1} cannot be seen.`)
}

export async function summary(server: TestServer, token: string, query = ''): Promise<ResultsSummary> {
  const res = await server.api('GET', `/api/results/summary${query}`, { token })
  if (res.statusCode !== 200) throw new Error(`summary: ${res.statusCode} ${res.body}`)
  return res.json() as ResultsSummary
}

export async function detail(server: TestServer, token: string, id: string): Promise<PromotionDetail> {
  const res = await server.api('GET', `/api/results/promotions/${id}`, { token })
  if (res.statusCode !== 200) throw new Error(`detail: ${res.statusCode} ${res.body}`)
  return res.json() as PromotionDetail
}

export async function page(server: TestServer, token: string, query = ''): Promise<PromotionPage> {
  const res = await server.api('GET', `/api/results/promotions${query}`, { token })
  if (res.statusCode !== 200) throw new Error(`list: ${res.statusCode} ${res.body}`)
  return res.json() as PromotionPage
}

export function appeal(server: TestServer, token: string, id: string, body: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
  return server.api('POST', `/api/promotions/${id}/appeals`, {
    token,
    body: { clientId: clientId(), reason: 'The storefront is clearly visible; please look again.', photoIds: [], ...body },
  })
}

/** The promotion as it was submitted, as a resubmission body (same content unless changed by the test). */
export function resubmissionOf(p: PromotionView, overrides: Record<string, unknown> = {}) {
  return {
    clientId: clientId(),
    product: p.product,
    store: p.store,
    merchant: p.merchant,
    spots: p.spots.map(({ position, positionNote, photoId, marketingCode, materialType }) => ({
      position,
      positionNote,
      photoId,
      marketingCode,
      materialType,
    })),
    ...overrides,
  }
}

export function resubmit(server: TestServer, token: string, id: string, body: unknown): Promise<LightMyRequestResponse> {
  return server.api('POST', `/api/promotions/${id}/resubmissions`, { token, body })
}
