/**
 * A whole RootStore for spot-inspection tests: signed in as an associated staff member, with a fake server
 * for Verification Tasks (two tasks), their payment verifications and submissions, uploads through the
 * platform's uploader, a fake camera and a manual clock that also drives the outbox's retry timers.
 */
import type { InspectionSubmission, InspectionTask } from '../../packages/contract/inspection'
import type { GeoPointInput, PaymentMode, PaymentVerificationInput } from '../../packages/contract/promotion'
import type { HttpRequest, HttpResponse, UploadRequest } from '../../src/platform/types'
import { inspectionWizard, type InspectionWizard } from '../../src/stores/inspection-wizard'
import { json, memoryStorage, type Route } from './fake-platform'
import { profile, session } from './fixtures'
import { codeUrl, deviceRoot, fakeUpload, fakeVerification, FIXED_NOW, labels, PASSING_REF, type ManualClock } from './promotion'

export { codeUrl, FAILING_REF, FIXED_NOW, labels, PASSING_REF, settle } from './promotion'

export const MC_TASK = 't-mc'
export const POSM_TASK = 't-posm'
export const BOUND_CODES = ['APMC0000000002', 'APMC0000000003'] as const

/** Where the Marketing Code task's store was recorded at promotion. */
export const MC_STORE_LOCATION: GeoPointInput = { latitude: 1.3, longitude: 103.85, accuracy: 12, mocked: false }
/** The fake device's location (fake-platform's default). */
export const DEVICE_LOCATION: GeoPointInput = { latitude: 1.3, longitude: 103.8, accuracy: 10, mocked: false }

export function mcTask(over: Partial<InspectionTask> = {}): InspectionTask {
  return {
    id: MC_TASK,
    promotionId: 'pr-1',
    product: 'MARKETING_CODE',
    store: {
      name: 'Kopi Corner',
      address: '12 Orchard Road, Singapore 238823',
      category: 'FOOD_BEVERAGE',
      wallets: ['GCASH'],
      location: { ...MC_STORE_LOCATION },
    },
    spots: [
      { index: 0, position: 'CASHIER_COUNTER', positionNote: null, marketingCode: BOUND_CODES[0], materialType: null, deployedPhotoId: 'up-mc-spot-0' },
      { index: 1, position: 'ENTRANCE', positionNote: null, marketingCode: BOUND_CODES[1], materialType: null, deployedPhotoId: 'up-mc-spot-1' },
    ],
    deployment: { storefrontPhotoId: 'up-mc-storefront', deployedAt: '2026-10-02T03:00:00.000Z' },
    dueDate: '2026-11-30',
    status: 'TO_DO',
    reviewerReason: null,
    assignedAt: '2026-11-20T02:00:00.000Z',
    submittedAt: null,
    paymentVerifications: [],
    ...over,
  }
}

export function posmTask(over: Partial<InspectionTask> = {}): InspectionTask {
  return {
    id: POSM_TASK,
    promotionId: 'pr-2',
    product: 'PRIMARY_POSM',
    // about 17 km from the device, farther than the Marketing Code task's store (about 5.6 km)
    store: {
      name: 'Mee Pok Stall',
      address: '1 Tampines Ave, Singapore 529684',
      category: 'FOOD_BEVERAGE',
      wallets: ['ALIPAY'],
      location: { latitude: 1.35, longitude: 103.95, accuracy: 8, mocked: false },
    },
    spots: [{ index: 0, position: 'WALL', positionNote: null, marketingCode: null, materialType: 'STICKER', deployedPhotoId: 'up-posm-spot-0' }],
    deployment: { storefrontPhotoId: 'up-posm-storefront', deployedAt: '2026-09-15T04:00:00.000Z' },
    // due earlier than the Marketing Code task
    dueDate: '2026-11-27',
    status: 'IN_PROGRESS',
    reviewerReason: null,
    assignedAt: '2026-11-20T02:00:00.000Z',
    submittedAt: null,
    paymentVerifications: [],
    ...over,
  }
}

export interface InspectionServerOptions {
  tasks?: InspectionTask[]
}

/** The fake server; `once` queues a one-time answer for an endpoint key (`UPLOAD` for uploads). */
export function fakeInspectionServer(options: InspectionServerOptions = {}) {
  const tasks = new Map<string, InspectionTask>((options.tasks ?? [mcTask(), posmTask()]).map((t) => [t.id, t]))
  const overrides = new Map<string, Array<(req: HttpRequest) => HttpResponse | Promise<HttpResponse>>>()
  const server = {
    tasks,
    /** What reached the server, in order: `upload <path>` and endpoint keys (with the task id). */
    log: [] as string[],
    uploads: [] as UploadRequest[],
    verificationBodies: [] as PaymentVerificationInput[],
    submissionBodies: [] as Array<{ taskId: string; body: InspectionSubmission }>,
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
      // every body that reached the server is recorded, answered by an override or not
      const submission = /^POST \/api\/inspections\/([^/]+)\/submissions$/.exec(key)
      if (submission) server.submissionBodies.push({ taskId: decodeURIComponent(submission[1]), body: req.body as InspectionSubmission })
      if (key.endsWith('/payment-verifications')) server.verificationBodies.push(req.body as PaymentVerificationInput)
      const override = take(key)
      return override ? override(req) : handler(req)
    }
  let verificationSeq = 0
  const routes: Record<string, Route> = {
    'POST /api/auth/dev': route('POST /api/auth/dev', () =>
      json(
        200,
        session(profile({ status: 'associated', iso: { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'DEPLOY_THEN_VERIFY' } })),
      ),
    ),
    'GET /api/inspections': route('GET /api/inspections', () => json(200, { tasks: [...tasks.values()] })),
  }
  for (const task of tasks.values()) {
    const verifications = `POST /api/inspections/${task.id}/payment-verifications`
    routes[verifications] = route(verifications, (req) => {
      const body = req.body as PaymentVerificationInput
      const current = tasks.get(task.id) as InspectionTask
      // the tool follows from the store's wallets: only Alipay → the Alipay app, any other → Alipay+ Linker
      const onlyAlipay = current.store.wallets.length === 1 && current.store.wallets[0] === 'ALIPAY'
      if (body.tool !== (onlyAlipay ? 'ALIPAY' : 'ALIPAY_PLUS_LINKER'))
        return json(422, { error: { code: 'VALIDATION_FAILED', message: 'wrong tool', fields: { tool: 'VALIDATION_FAILED' } } })
      const view = fakeVerification(body, ++verificationSeq)
      tasks.set(task.id, { ...current, paymentVerifications: [...current.paymentVerifications, view] })
      return json(201, view)
    })
    const submissions = `POST /api/inspections/${task.id}/submissions`
    routes[submissions] = route(submissions, () => {
      const current = tasks.get(task.id) as InspectionTask
      const answered: InspectionTask = { ...current, status: 'SUBMITTED', submittedAt: FIXED_NOW.toISOString() }
      tasks.set(task.id, answered)
      return json(201, answered)
    })
  }
  const upload = fakeUpload(server, take)
  return { server, routes, upload }
}
export type InspectionServer = ReturnType<typeof fakeInspectionServer>['server']

export interface InspectionRootOptions extends InspectionServerOptions {
  storage?: ReturnType<typeof memoryStorage>
  clock?: ManualClock
  /** Delay before attempt n+1 of an outbox item. */
  backoff?: (attempts: number) => number
  /** Load the task list at start (default true). */
  load?: boolean
}

/** A RootStore over fake ports, signed in (associated), with the Verification Tasks loaded. */
export async function inspectionRoot(options: InspectionRootOptions = {}) {
  const { server, routes, upload } = fakeInspectionServer(options)
  const device = deviceRoot(routes, upload, { ...options, photoPrefix: 'i' })
  await device.root.session.devSignIn('staff-aisyah')
  if (options.load !== false) await device.root.inspections.load()
  return { ...device, server }
}
export type InspectionEnv = Awaited<ReturnType<typeof inspectionRoot>>

/** The wizard of a task, its draft started (as the page does when it first renders). */
export function openTask(env: InspectionEnv, taskId: string = MC_TASK): InspectionWizard {
  const wizard = inspectionWizard(env.root, taskId)
  if (!wizard) throw new Error(`no task ${taskId}`)
  // the page reads the state (and so the draft) before any edit
  void wizard.state
  return wizard
}

// ---- filling the steps as an inspector would --------------------------------------------------

/** The store step: open, the same store, the location and a storefront photo. */
export async function fillInspectionStore(wizard: InspectionWizard) {
  wizard.setStoreCheck('open', true)
  wizard.setStoreCheck('sameStore', true)
  await wizard.refreshLocation()
  await wizard.takeStorefrontPhoto('Storefront')
}

/** Every spot present with a photo, and for Marketing Codes the bound code scanned. */
export async function fillInspectionSpots(env: InspectionEnv, wizard: InspectionWizard) {
  for (let i = 0; i < wizard.draft.spots.length; i++) {
    wizard.setCondition(i, 'PRESENT')
    await wizard.takeSpotPhoto(i, 'Spot')
    const bound = wizard.task.spots[i].marketingCode
    if (bound) {
      env.platform.scanner.scan.mockResolvedValueOnce(codeUrl(bound))
      await wizard.scanSpotCode(i, labels)
    }
  }
}

export async function verifyInspectionMode(wizard: InspectionWizard, mode: PaymentMode, reference = PASSING_REF) {
  wizard.payment.setReference(mode, reference)
  await wizard.payment.takePhoto(mode, 'Payment result')
  return wizard.payment.verify(mode)
}

export async function fillInspectionPayment(wizard: InspectionWizard) {
  await verifyInspectionMode(wizard, 'MPM')
  await verifyInspectionMode(wizard, 'UPM')
}

export function expectNext(wizard: InspectionWizard) {
  const from = wizard.state
  if (!wizard.next()) throw new Error(`Next refused on ${from}: ${JSON.stringify(wizard.errors)}`)
}

/** Fills every step and walks to the summary. */
export async function walkInspectionToSummary(env: InspectionEnv, wizard: InspectionWizard) {
  await fillInspectionStore(wizard)
  expectNext(wizard)
  await fillInspectionSpots(env, wizard)
  expectNext(wizard)
  await fillInspectionPayment(wizard)
  expectNext(wizard)
  if (wizard.state !== 'summary') throw new Error(`not on the summary: ${wizard.state}`)
}

export const endpoint = (taskId: string, what: 'submissions' | 'payment-verifications') => `POST /api/inspections/${taskId}/${what}`
