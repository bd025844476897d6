/**
 * Review results on a whole RootStore: the promotion test server (uploads, workspace, sign-in) plus the
 * results endpoints (summary, list with pages, detail), appeals and resubmissions, and a fixture of a
 * submitted promotion whose store and one spot were rejected.
 */
import type { DeploymentMethod } from '../../packages/contract/api'
import type { PromotionView } from '../../packages/contract/promotion'
import type { AppealInput, PromotionDetail, PromotionPage, ResubmissionInput, ResultsSummary } from '../../packages/contract/results'
import type { HttpRequest, HttpResponse, Platform } from '../../src/platform/types'
import { RootStore } from '../../src/stores/root-store'
import { fakePlatform, json, memoryStorage, overTheWire } from './fake-platform'
import { config, fakeServer, manualClock, type ManualClock } from './promotion'

export const PROMOTION_ID = 'pr-7'
export const STORE_REJECTION = 'The storefront photo is blurry'
export const SPOT_REJECTION = 'The Marketing Code is not visible'

/** A submitted Marketing Code promotion (Verify-Then-Deploy) as the server shows it. */
export function rejectedView(over: Partial<PromotionView> = {}): PromotionView {
  return {
    id: PROMOTION_ID,
    clientId: 'c-original-0001',
    product: 'MARKETING_CODE',
    method: 'VERIFY_THEN_DEPLOY',
    status: 'REJECTED',
    store: {
      name: 'Kopi Corner',
      address: '12 Orchard Road, Singapore 238823',
      category: 'FOOD_BEVERAGE',
      wallets: ['ALIPAY', 'GCASH'],
      managerConsent: true,
      openingTime: '08:00',
      closingTime: '22:00',
      location: { latitude: 1.3, longitude: 103.8, accuracy: 10, mocked: false },
      storefrontPhotoId: 'u-store',
    },
    storeReview: { status: 'REJECTED', reason: STORE_REJECTION },
    spots: [
      { index: 0, position: 'CASHIER_COUNTER', photoId: 'u-spot0', marketingCode: 'APMC0000000000', review: { status: 'APPROVED', reason: null } },
      {
        index: 1,
        position: 'OTHER',
        positionNote: 'Beside the fridge',
        photoId: 'u-spot1',
        marketingCode: 'APMC0000000001',
        review: { status: 'REJECTED', reason: SPOT_REJECTION },
      },
    ],
    merchant: { contactName: 'Tan Wei Ming', contactPhone: '+65 8123 4567', legalName: 'Kopi Corner Pte. Ltd.', acquirerMerchantId: 'M-100234', notes: '' },
    paymentVerifications: [
      {
        id: 'pv-1',
        mode: 'MPM',
        tool: 'ALIPAY',
        reference: 'AP202611200000001234',
        photoId: 'u-pay1',
        status: 'PASSED',
        reason: null,
        createdAt: '2026-11-20T08:50:00.000Z',
      },
      {
        id: 'pv-2',
        mode: 'UPM',
        tool: 'ALIPAY',
        reference: 'AP202611200000005678',
        photoId: 'u-pay2',
        status: 'PASSED',
        reason: null,
        createdAt: '2026-11-20T08:55:00.000Z',
      },
    ],
    createdAt: '2026-11-20T09:00:00.000Z',
    ...over,
  }
}

/** The same promotion as the results endpoints show it. */
export function rejectedDetail(over: Partial<PromotionDetail> = {}): PromotionDetail {
  return {
    ...rejectedView(),
    eligibility: { eligible: false, missing: ['store', 'spots'] },
    listStatus: 'REJECTED',
    appeals: [],
    actions: { appeal: true, modify: true, verifyPayment: false },
    counted: true,
    updatedAt: '2026-11-21T09:00:00.000Z',
    ...over,
  }
}

/** `n` listed promotions, newest first, with ids `pr-1`..`pr-n`. */
export function listed(n: number, over: Partial<PromotionDetail> = {}): PromotionDetail[] {
  return Array.from({ length: n }, (_, i) => rejectedDetail({ id: `pr-${i + 1}`, clientId: `c-listed-${String(i + 1).padStart(4, '0')}`, ...over }))
}

type Answer = (req: HttpRequest, params: { id: string; query: URLSearchParams }) => HttpResponse | Promise<HttpResponse>

const PATTERNS: Array<[string, RegExp]> = [
  ['GET /api/results/summary', /^GET \/api\/results\/summary$/],
  ['GET /api/results/promotions', /^GET \/api\/results\/promotions$/],
  ['GET /api/results/promotions/:id', /^GET \/api\/results\/promotions\/([^/]+)$/],
  ['POST /api/promotions/:id/appeals', /^POST \/api\/promotions\/([^/]+)\/appeals$/],
  ['POST /api/promotions/:id/resubmissions', /^POST \/api\/promotions\/([^/]+)\/resubmissions$/],
]

/** The results part of the fake server; `once` queues a one-time answer for one of its endpoint keys. */
function resultsServer(log: string[], promotions: PromotionDetail[]) {
  const overrides = new Map<string, Answer[]>()
  const state = {
    /** Every listed promotion, newest first (the list endpoint pages over it). */
    promotions,
    appealBodies: [] as AppealInput[],
    resubmissionBodies: [] as ResubmissionInput[],
    once(key: string, answer: Answer) {
      overrides.set(key, [...(overrides.get(key) ?? []), answer])
    },
  }
  const find = (id: string) => state.promotions.find((p) => p.id === id)
  const replace = (detail: PromotionDetail) => {
    state.promotions = state.promotions.map((p) => (p.id === detail.id ? detail : p))
    return detail
  }
  const handlers: Record<string, Answer> = {
    'GET /api/results/summary': (_req, { query }) => {
      const summary: ResultsSummary = {
        acceptedInspections: 0,
        from: query.get('from') ?? '',
        to: query.get('to') ?? '',
        asOf: '2026-11-24',
        timezone: 'UTC',
        products: [
          { product: 'MARKETING_CODE', promotedStores: 3, spotsSubmitted: 5, spotsApproved: 3, spotsRejected: 1, spotsPending: 1, eligiblePromotions: 1 },
        ],
        notYetCounted: 1,
      }
      return json(200, summary)
    },
    'GET /api/results/promotions': (_req, { query }) => {
      const status = query.get('status')
      const all = status ? state.promotions.filter((p) => p.listStatus === status) : state.promotions
      const start = Number(query.get('cursor') ?? '0')
      const limit = Number(query.get('limit') ?? '20')
      const page: PromotionPage = { items: all.slice(start, start + limit), nextCursor: start + limit < all.length ? String(start + limit) : null }
      return json(200, page)
    },
    'GET /api/results/promotions/:id': (_req, { id }) => {
      const p = find(id)
      return p ? json(200, p) : json(404, { error: { code: 'NOT_FOUND', message: id } })
    },
    'POST /api/promotions/:id/appeals': (req, { id }) => {
      const p = find(id)
      if (!p) return json(404, { error: { code: 'NOT_FOUND', message: id } })
      const body = req.body as AppealInput
      const appeal = {
        id: `ap-${state.appealBodies.length}`,
        reason: body.reason,
        photoIds: body.photoIds,
        status: 'OPEN' as const,
        reviewerReason: null,
        createdAt: '2026-11-25T10:30:00.000Z',
        decidedAt: null,
      }
      return json(201, replace({ ...p, listStatus: 'APPEALED', appeals: [...p.appeals, appeal], actions: { ...p.actions, appeal: false } }))
    },
    'POST /api/promotions/:id/resubmissions': (req, { id }) => {
      const p = find(id)
      if (!p) return json(404, { error: { code: 'NOT_FOUND', message: id } })
      const body = req.body as ResubmissionInput
      return json(
        201,
        replace({
          ...p,
          status: 'PENDING_REVIEW',
          listStatus: 'PENDING_REVIEW',
          store: body.store,
          storeReview: { status: 'PENDING', reason: null },
          spots: body.spots.map((s, index) => ({ ...s, index, review: { status: 'PENDING', reason: null } })),
          merchant: body.merchant,
          actions: { appeal: false, modify: false, verifyPayment: false },
          updatedAt: '2026-11-25T10:30:00.000Z',
        }),
      )
    },
  }
  /** Answers a request of one of these endpoints, or null when it is for another one. */
  const handle = async (req: HttpRequest): Promise<HttpResponse | null> => {
    const url = new URL(req.url)
    const path = `${req.method} ${url.pathname}`
    for (const [key, pattern] of PATTERNS) {
      const match = pattern.exec(path)
      if (!match) continue
      log.push(key)
      if (key === 'POST /api/promotions/:id/appeals') state.appealBodies.push(req.body as AppealInput)
      if (key === 'POST /api/promotions/:id/resubmissions') state.resubmissionBodies.push(req.body as ResubmissionInput)
      const params = { id: decodeURIComponent(match[1] ?? ''), query: url.searchParams }
      const queue = overrides.get(key)
      const override = queue && queue.length > 0 ? queue.shift() : undefined
      return (override ?? handlers[key])(req, params)
    }
    return null
  }
  return { state, handle }
}

export interface ResultsRootOptions {
  method?: DeploymentMethod
  storage?: ReturnType<typeof memoryStorage>
  clock?: ManualClock
  backoff?: (attempts: number) => number
  /** What the results endpoints list (default: the rejected promotion only). */
  promotions?: PromotionDetail[]
}

/** A RootStore over fake ports, signed in (associated) with the workspace loaded, serving review results. */
export async function resultsRoot(options: ResultsRootOptions = {}) {
  const storage = options.storage ?? memoryStorage()
  const clock = options.clock ?? manualClock()
  const { server, routes, upload } = fakeServer({ method: options.method ?? 'VERIFY_THEN_DEPLOY' })
  const results = resultsServer(server.log, options.promotions ?? [rejectedDetail()])
  const base = fakePlatform(routes, { storage })
  const fallback = base.http.request.getMockImplementation()
  base.http.request.mockImplementation(async (req: HttpRequest) => {
    const answer = await results.handle(overTheWire(req))
    if (answer) return answer
    if (!fallback) throw new Error('no fake http')
    return fallback(req)
  })
  let shot = 0
  const camera = {
    takePhoto: jest.fn(async (): Promise<string[] | null> => {
      shot += 1
      return [`p${shot}.jpg`]
    }),
    compress: jest.fn(async (p: string) => p),
  }
  const platform = { ...base, uploader: { upload }, camera }
  const typed: Platform = platform
  const root = new RootStore(typed, config, {
    retryDelaysMs: [],
    now: () => clock.date(),
    outbox: { now: clock.now, backoff: options.backoff ?? ((n: number) => 1000 * 2 ** (n - 1)), setTimer: clock.setTimer, clearTimer: clock.clearTimer },
  })
  await root.session.devSignIn('staff-aisyah')
  await root.workspace.load()
  server.log.length = 0
  return { root, platform, server, results: results.state, upload, storage, clock }
}
export type ResultsEnv = Awaited<ReturnType<typeof resultsRoot>>

/** The URLs (path and query, without the base) the fake http port received, optionally only those starting with `prefix`. */
export function requestedUrls(env: ResultsEnv, prefix = ''): string[] {
  return env.platform.http.request.mock.calls
    .map((call) => (call as unknown[])[0] as HttpRequest)
    .map((req) => req.url.replace(/^https?:\/\/[^/]+/, ''))
    .filter((u) => u.startsWith(prefix))
}

/** The query parameters of a requested URL. */
export function queryOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url, 'http://api').searchParams.entries())
}

/** The kept files the app asked the device to remove. */
export function removedFiles(env: ResultsEnv): string[] {
  return env.platform.files.remove.mock.calls.map((call) => (call as unknown[])[0] as string)
}
