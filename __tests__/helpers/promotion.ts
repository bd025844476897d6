/**
 * A whole RootStore for promotion tests: signed in as an associated staff member, with a fake workspace,
 * a fake server (uploads, promotions, payment verifications, Marketing Code checks), a fake camera and a
 * manual clock that also drives the outbox's retry timers. Nothing of @tarojs/taro is mocked.
 */
import type { DeploymentMethod } from '../../packages/contract/api'
import type {
  PaymentMode,
  PaymentVerificationInput,
  PaymentVerificationView,
  ProductKind,
  PromotionCreate,
  PromotionView,
  WorkspaceInfo,
} from '../../packages/contract/promotion'
import type { HttpRequest, HttpResponse, Platform, UploadRequest } from '../../src/platform/types'
import { RootStore } from '../../src/stores/root-store'
import { promotionWizard, type PromotionWizard } from '../../src/stores/wizard-store'
import { fakePlatform, json, memoryStorage, type Route } from './fake-platform'
import { profile, session } from './fixtures'

export const config = { apiBaseUrl: 'http://api', corpId: 'corp' }
/** 10:30 in UTC, the ISO's time zone in these tests. */
export const FIXED_NOW = new Date('2026-11-25T10:30:00.000Z')
export const labels = { title: 'Scan', placeholder: 'Code', confirm: 'OK', cancel: 'Cancel' }

export const codeUrl = (code: string) => `https://marketing.alipayplus.example/mc/${code}`
/** A well-formed Marketing Code per spot index. */
export const spotCode = (i: number) => `APMC00000000${String(i).padStart(2, '0')}`
/** Transaction references (AP + 18 digits): the fake server fails those ending in 0000. */
export const PASSING_REF = 'AP202611250000001234'
export const FAILING_REF = 'AP202611250000000000'

/** Lets every already-resolved fake answer run (uploads, calls, MobX reactions). */
export async function settle(rounds = 20) {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r))
}

/** A clock the stores read, and the outbox's timers, fired only when the test says so. */
export function manualClock(start: Date = FIXED_NOW) {
  let ms = start.getTime()
  let seq = 0
  const timers = new Map<number, { fn: () => void; at: number; wait: number }>()
  const clock = {
    now: () => ms,
    date: () => new Date(ms),
    advance(by: number) {
      ms += by
    },
    setTimer: jest.fn((fn: () => void, wait: number): unknown => {
      seq += 1
      timers.set(seq, { fn, at: ms + wait, wait })
      return seq
    }),
    clearTimer: jest.fn((handle: unknown) => void timers.delete(handle as number)),
    /** The timers still armed (at: when they fire, wait: the delay asked for). */
    armed: () => [...timers.values()],
    /** Fires the timers that are due by now, then lets the work they start finish. */
    async fireDue() {
      for (const [id, t] of [...timers]) {
        if (t.at <= ms) {
          timers.delete(id)
          t.fn()
        }
      }
      await settle()
    },
  }
  return clock
}
export type ManualClock = ReturnType<typeof manualClock>

export interface ServerOptions {
  method?: DeploymentMethod
  info?: Partial<WorkspaceInfo>
}

/** The fake workspace server; `once` queues a one-time answer for an endpoint (`UPLOAD` for uploads). */
export function fakeServer(options: ServerOptions = {}) {
  const method = options.method ?? 'DEPLOY_THEN_VERIFY'
  const info: WorkspaceInfo = {
    products: ['MARKETING_CODE', 'PRIMARY_POSM'],
    method,
    methodAgreement: { status: 'AGREED', agreed: method, proposal: null, declineReason: null, previous: null },
    maxSpotsPerStore: 3,
    timezone: 'UTC',
    testAccount: { email: 'test-iso@alipay.example', passwordSet: true },
    maxUploadBytes: 5_000_000,
    ...options.info,
  }
  const overrides = new Map<string, Array<(req: HttpRequest) => HttpResponse | Promise<HttpResponse>>>()
  const server = {
    info,
    /** What reached the server, in order: `upload <path>` and endpoint keys. */
    log: [] as string[],
    uploads: [] as UploadRequest[],
    promotionBodies: [] as PromotionCreate[],
    verificationBodies: [] as PaymentVerificationInput[],
    codeChecks: [] as string[],
    boundCodes: new Set<string>(),
    promotions: new Map<string, PromotionView>(),
    once(key: string, answer: (req: HttpRequest) => HttpResponse | Promise<HttpResponse>) {
      overrides.set(key, [...(overrides.get(key) ?? []), answer])
    },
  }
  const take = (key: string) => {
    const queue = overrides.get(key)
    return queue && queue.length > 0 ? queue.shift() : undefined
  }
  const route =
    (key: string, handler: Route): Route =>
    (req) => {
      server.log.push(key)
      // every request that reached the server is recorded, answered by an override or not
      if (key === 'POST /api/promotions') server.promotionBodies.push(req.body as PromotionCreate)
      if (key === 'POST /api/payment-verifications') server.verificationBodies.push(req.body as PaymentVerificationInput)
      if (key === 'POST /api/marketing-codes/check') server.codeChecks.push((req.body as { code: string }).code)
      const override = take(key)
      return override ? override(req) : handler(req)
    }
  let verificationSeq = 0
  const routes: Record<string, Route> = {
    'POST /api/auth/dev': route('POST /api/auth/dev', () =>
      json(200, session(profile({ status: 'associated', iso: { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: method } }))),
    ),
    'GET /api/workspace': route('GET /api/workspace', () => json(200, info)),
    'GET /api/promotions': route('GET /api/promotions', () => json(200, { promotions: [...server.promotions.values()] })),
    'POST /api/promotions': route('POST /api/promotions', (req) => {
      const body = req.body as PromotionCreate
      const known = server.promotions.get(body.clientId)
      if (known) return json(200, known)
      const view = promotionView(body, method, `pr-${server.promotions.size + 1}`)
      server.promotions.set(body.clientId, view)
      return json(201, view)
    }),
    'POST /api/payment-verifications': route('POST /api/payment-verifications', (req) => {
      const body = req.body as PaymentVerificationInput
      const view = fakeVerification(body, ++verificationSeq)
      return json(201, view)
    }),
    'POST /api/marketing-codes/check': route('POST /api/marketing-codes/check', (req) => {
      const { code } = req.body as { code: string }
      if (server.boundCodes.has(code)) return json(409, { error: { code: 'CODE_BOUND', message: 'bound elsewhere' } })
      return json(200, { code, available: true })
    }),
  }
  const upload = fakeUpload(server, take)
  return { server, routes, upload }
}

/** The fake server's decision on payment evidence: a reference ending in 0000 is not found. */
export function fakeVerification(body: PaymentVerificationInput, seq: number): PaymentVerificationView {
  const passed = !body.reference.endsWith('0000')
  return {
    id: `pv-${seq}`,
    mode: body.mode,
    tool: body.tool,
    reference: body.reference,
    photoId: body.photoId,
    status: passed ? 'PASSED' : 'FAILED',
    reason: passed ? null : 'PAYMENT_NOT_FOUND',
    createdAt: FIXED_NOW.toISOString(),
  }
}

/**
 * A fake server's photo uploads: each one logged (`upload <path>`) and kept, answered by a one-time answer
 * queued as `UPLOAD`, else with a new upload id.
 */
export function fakeUpload(server: { log: string[]; uploads: UploadRequest[] }, take: (key: string) => Route | undefined) {
  let uploadSeq = 0
  return jest.fn(async (req: UploadRequest): Promise<HttpResponse> => {
    server.log.push(`upload ${req.filePath}`)
    server.uploads.push(req)
    const override = take('UPLOAD')
    if (override) return override({ url: req.url, method: 'POST', timeoutMs: 0 })
    uploadSeq += 1
    return json(201, {
      id: `u-${uploadSeq}`,
      sha256: `sha-${uploadSeq}`,
      size: 1000,
      mime: 'image/jpeg',
      takenAt: req.formData?.takenAt ?? null,
      location: null,
      createdAt: FIXED_NOW.toISOString(),
      // issue 26: the server's check, nothing found unless a test queues another answer
      check: { issue: null, brightness: 128, overexposed: 0, sharpness: 900, codes: [] },
    })
  })
}

function promotionView(body: PromotionCreate, method: DeploymentMethod, id: string): PromotionView {
  return {
    id,
    clientId: body.clientId,
    product: body.product,
    method,
    status: method === 'VERIFY_THEN_DEPLOY' ? 'PENDING_REVIEW' : 'AWAITING_PAYMENT_VERIFICATION',
    store: body.store,
    storeReview: { status: 'PENDING', reason: null },
    spots: body.spots.map((s, index) => ({ ...s, index, review: { status: 'PENDING', reason: null } })),
    merchant: body.merchant,
    paymentVerifications: [],
    createdAt: FIXED_NOW.toISOString(),
  }
}

export interface PromotionRootOptions extends ServerOptions {
  storage?: ReturnType<typeof memoryStorage>
  clock?: ManualClock
  /** Delay before attempt n+1 of an outbox item. */
  backoff?: (attempts: number) => number
}

/**
 * A RootStore over fake ports as a device has them: the fake server's routes and uploads, a camera that
 * returns `<photoPrefix><n>.jpg`, a manual clock for the outbox. Not signed in yet.
 */
export function deviceRoot<Upload extends (req: UploadRequest) => Promise<HttpResponse>>(
  routes: Record<string, Route>,
  upload: Upload,
  options: { storage?: ReturnType<typeof memoryStorage>; clock?: ManualClock; backoff?: (attempts: number) => number; photoPrefix: string },
) {
  const storage = options.storage ?? memoryStorage()
  const clock = options.clock ?? manualClock()
  const base = fakePlatform(routes, { storage })
  let shot = 0
  const camera = {
    takePhoto: jest.fn(async (): Promise<string[] | null> => {
      shot += 1
      return [`${options.photoPrefix}${shot}.jpg`]
    }),
    compress: jest.fn(async (p: string) => p),
  }
  const platform = { ...base, uploader: { upload }, camera }
  const typed: Platform = platform
  const backoff = jest.fn(options.backoff ?? ((n: number) => 1000 * 2 ** (n - 1)))
  const root = new RootStore(typed, config, {
    retryDelaysMs: [],
    now: () => clock.date(),
    outbox: { now: clock.now, backoff, setTimer: clock.setTimer, clearTimer: clock.clearTimer },
  })
  return { root, platform, storage, clock, backoff }
}

/** A RootStore over fake ports, signed in (associated) with the workspace loaded. */
export async function promotionRoot(options: PromotionRootOptions = {}) {
  const { server, routes, upload } = fakeServer(options)
  const device = deviceRoot(routes, upload, { ...options, photoPrefix: 'p' })
  await device.root.session.devSignIn('staff-aisyah')
  await device.root.workspace.load()
  return { ...device, server }
}
export type PromotionEnv = Awaited<ReturnType<typeof promotionRoot>>

/** The kept files the app removed from the device, in order. */
export function removedPaths(env: PromotionEnv): string[] {
  return env.platform.files.remove.mock.calls.map((call) => (call as unknown[])[0] as string)
}

/** A new draft of the workspace's method and its wizard. */
export function startWizard(env: PromotionEnv, product: ProductKind = 'MARKETING_CODE'): PromotionWizard {
  const method = env.root.workspace.info?.method ?? 'DEPLOY_THEN_VERIFY'
  const draft = env.root.drafts.create(product, method)
  const wizard = promotionWizard(env.root, draft.id)
  if (!wizard) throw new Error('no wizard')
  return wizard
}

// ---- filling the steps as a staff member would ---------------------------------------------------

export async function verifyMode(wizard: PromotionWizard, mode: PaymentMode, reference = PASSING_REF) {
  wizard.payment.setReference(mode, reference)
  await wizard.payment.takePhoto(mode, 'Payment result')
  return wizard.payment.verify(mode)
}

/** Verify-Then-Deploy's first step: the store's wallets and both modes verified. */
export async function fillPayment(wizard: PromotionWizard, wallets: Array<'ALIPAY' | 'GCASH' | 'ALIPAYHK'> = ['ALIPAY', 'GCASH']) {
  for (const w of wallets) if (!wizard.draft.store.wallets.includes(w)) wizard.toggleWallet(w)
  await verifyMode(wizard, 'MPM')
  await verifyMode(wizard, 'UPM')
}

export async function fillStore(wizard: PromotionWizard, over: { openingTime?: string; closingTime?: string } = {}) {
  wizard.setStore('name', 'Kopi Corner')
  wizard.setStore('address', '12 Orchard Road, Singapore 238823')
  wizard.setCategory('FOOD_BEVERAGE')
  if (wizard.draft.store.wallets.length === 0) wizard.toggleWallet('GCASH')
  wizard.setConsent(true)
  wizard.setStore('openingTime', over.openingTime ?? '08:00')
  wizard.setStore('closingTime', over.closingTime ?? '22:00')
  await wizard.refreshLocation()
  await wizard.takeStorefrontPhoto('Storefront')
}

/** Fills every spot of the draft: a position, a photo, and a code or a material. */
export async function fillSpots(env: PromotionEnv, wizard: PromotionWizard) {
  for (let i = 0; i < wizard.draft.spots.length; i++) {
    wizard.setPosition(i, 'CASHIER_COUNTER')
    await wizard.takeSpotPhoto(i, 'Spot')
    if (wizard.draft.product === 'MARKETING_CODE') {
      env.platform.scanner.scan.mockResolvedValueOnce(codeUrl(spotCode(i)))
      await wizard.scanSpotCode(i, labels)
    } else {
      wizard.setMaterial(i, 'STICKER')
    }
  }
}

export function fillMerchant(wizard: PromotionWizard) {
  wizard.setMerchant('contactName', 'Tan Wei Ming')
  wizard.setMerchant('contactPhone', '+65 8123 4567')
  wizard.setMerchant('legalName', 'Kopi Corner Pte. Ltd.')
  wizard.setMerchant('acquirerMerchantId', 'M-100234')
}

/** Fills every step and walks to the summary (asserting each Next was accepted). */
export async function walkToSummary(env: PromotionEnv, wizard: PromotionWizard) {
  if (wizard.draft.method === 'VERIFY_THEN_DEPLOY') {
    await fillPayment(wizard)
    expectNext(wizard)
  }
  await fillStore(wizard)
  expectNext(wizard)
  await fillSpots(env, wizard)
  expectNext(wizard)
  fillMerchant(wizard)
  expectNext(wizard)
  expect(wizard.state).toBe('summary')
}

function expectNext(wizard: PromotionWizard) {
  const from = wizard.state
  const ok = wizard.next()
  if (!ok) throw new Error(`Next refused on ${from}: ${JSON.stringify(wizard.errors)}`)
}
