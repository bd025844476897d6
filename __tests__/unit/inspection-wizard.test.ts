/**
 * The inspection wizard without its page: verify the store, each spot, the payment, then the summary.
 * Next is refused (with the errors to show) until the step is complete; Back never loses anything.
 */
import { toJS } from 'mobx'
import { DeviceError } from '../../src/platform/types'
import { inspectionWizard } from '../../src/stores/inspection-wizard'
import type { InspectionDraft } from '../../src/rules/inspection-draft'
import { distanceMeters, FAR_FROM_STORE_METERS } from '../../packages/contract/rules/inspection'
import {
  BOUND_CODES,
  codeUrl,
  DEVICE_LOCATION,
  endpoint,
  expectNext,
  FAILING_REF,
  fillInspectionPayment,
  fillInspectionSpots,
  fillInspectionStore,
  inspectionRoot,
  labels,
  MC_STORE_LOCATION,
  MC_TASK,
  openTask,
  PASSING_REF,
  POSM_TASK,
  verifyInspectionMode,
  walkInspectionToSummary,
  type InspectionEnv,
} from '../helpers/inspection'

/** The draft without what changes with every step (step and time). */
const values = (d: InspectionDraft) => {
  const { step: _step, updatedAt: _updatedAt, ...rest } = toJS(d)
  return rest
}

async function onSpots(env: InspectionEnv, taskId = MC_TASK) {
  const wizard = openTask(env, taskId)
  await fillInspectionStore(wizard)
  expectNext(wizard)
  expect(wizard.state).toBe('spots')
  return wizard
}

describe('the inspection wizard: store step', () => {
  it('one wizard per task, none for an unknown task; it starts on the store step', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    expect(inspectionWizard(env.root, MC_TASK)).toBe(wizard)
    expect(inspectionWizard(env.root, 't-unknown')).toBeNull()
    expect(wizard.state).toBe('store')
    expect(wizard.stepIndex).toBe(0)
    expect(wizard.task.store.name).toBe('Kopi Corner')
    expect(wizard.draft.spots.map((s) => s.index)).toEqual([0, 1])
    expect(wizard.distance).toBeNull()
    expect(wizard.far).toBe(false)
  })

  it('refuses Next until open and same store are chosen and a storefront photo is taken', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    expect(wizard.next()).toBe(false)
    expect(wizard.state).toBe('store')
    expect(wizard.errors).toEqual({ 'store.open': 'CHOICE_REQUIRED', 'store.sameStore': 'CHOICE_REQUIRED', 'store.storefrontPhotoId': 'PHOTO_REQUIRED' })
    expect(wizard.fieldError('store.open')).toBe('CHOICE_REQUIRED')

    wizard.setStoreCheck('open', true)
    expect(wizard.fieldError('store.open')).toBeNull()
    wizard.setStoreCheck('sameStore', true)
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'store.storefrontPhotoId': 'PHOTO_REQUIRED' })

    await wizard.takeStorefrontPhoto('Storefront')
    expect(wizard.errors).toEqual({})
    expect(wizard.draft.store.storefrontPhoto?.localPath).toBe('kept:i1.jpg')
    expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('spots')
    expect(wizard.stepIndex).toBe(1)
  })

  it('Next tapped while a photo back from the camera is still being kept waits for it instead of asking for a photo', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    wizard.setStoreCheck('open', true)
    wizard.setStoreCheck('sameStore', true)
    let compressed!: (path: string) => void
    env.platform.camera.compress.mockImplementationOnce(() => new Promise<string>((resolve) => (compressed = resolve)))
    const taking = wizard.takeStorefrontPhoto('Storefront')
    await new Promise((r) => setTimeout(r, 0))
    expect(env.root.photos.keeping).toBe(1)
    const advancing = wizard.advance()
    await new Promise((r) => setTimeout(r, 0))
    // still keeping the photo: no step change, no "take a photo" error
    expect(wizard.state).toBe('store')
    expect(wizard.errors).toEqual({})
    compressed('i1.jpg')
    await taking
    await expect(advancing).resolves.toBe(true)
    expect(env.root.photos.keeping).toBe(0)
    expect(wizard.state).toBe('spots')
    // nothing pending: at once
    wizard.back()
    await expect(wizard.advance()).resolves.toBe(true)
    expect(wizard.state).toBe('spots')
  })

  it('a location fix that never comes does not hold a photo (nor Next) forever: it is kept without a location', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    env.root.photos.locationWaitMs = 20
    env.platform.location.getLocation.mockImplementationOnce(() => new Promise(() => undefined))
    await wizard.takeStorefrontPhoto('Storefront')
    expect(wizard.draft.store.storefrontPhoto?.localPath).toBe('kept:i1.jpg')
    expect(wizard.draft.store.storefrontPhoto?.location).toBeNull()
    expect(env.root.photos.keeping).toBe(0)
  })

  it('a cancelled photo changes nothing', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    env.platform.camera.takePhoto.mockResolvedValueOnce(null)
    await wizard.takeStorefrontPhoto('Storefront')
    expect(wizard.draft.store.storefrontPhoto).toBeNull()
  })

  it.each(['open', 'sameStore'] as const)('%s = no needs store feedback (blank is not feedback)', async (field) => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    await fillInspectionStore(wizard)
    wizard.setStoreCheck(field, false)
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'store.feedback': 'FEEDBACK_REQUIRED' })
    wizard.setStoreFeedback('   ')
    expect(wizard.errors).toEqual({})
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'store.feedback': 'FEEDBACK_REQUIRED' })
    wizard.setStoreFeedback('The shop is closed; a neighbour says it opens at noon')
    expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('spots')
  })

  it('records the device location and the distance from the store; far away is flagged but never blocks', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    await fillInspectionStore(wizard)
    expect(wizard.draft.store.location).toEqual(DEVICE_LOCATION)
    expect(wizard.distance).toBe(distanceMeters(DEVICE_LOCATION, MC_STORE_LOCATION))
    expect(wizard.distance).toBeGreaterThan(FAR_FROM_STORE_METERS)
    expect(wizard.far).toBe(true)
    expect(wizard.locating).toBe(false)
    expect(wizard.next()).toBe(true)
  })

  it('near the store is not flagged', async () => {
    const env = await inspectionRoot()
    env.platform.location.getLocation.mockResolvedValue({ latitude: 1.3005, longitude: 103.85, accuracy: 5, mocked: false })
    const wizard = openTask(env)
    await fillInspectionStore(wizard)
    expect(wizard.distance).toBeGreaterThan(0)
    expect(wizard.distance).toBeLessThan(FAR_FROM_STORE_METERS)
    expect(wizard.far).toBe(false)
  })

  it('without a location: no distance, not flagged, and Next is still allowed', async () => {
    const env = await inspectionRoot()
    env.platform.location.getLocation.mockRejectedValue(new Error('denied'))
    const wizard = openTask(env)
    await fillInspectionStore(wizard)
    expect(wizard.draft.store.location).toBeNull()
    expect(wizard.distance).toBeNull()
    expect(wizard.far).toBe(false)
    expect(wizard.locating).toBe(false)
    expect(wizard.next()).toBe(true)
  })

  it('a location that cannot be had is shown on the store step (not swallowed), and a later fix clears it', async () => {
    const env = await inspectionRoot()
    env.platform.location.getLocation.mockRejectedValueOnce(new Error('denied'))
    const wizard = openTask(env)
    await wizard.refreshLocation()
    expect(wizard.fieldError('store.location')).toBe('LOCATION_REQUIRED')
    await wizard.refreshLocation()
    expect(wizard.fieldError('store.location')).toBeNull()
    expect(wizard.distance).not.toBeNull()
  })

  it('the storefront photo’s location stands in when the location was not refreshed', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    await wizard.takeStorefrontPhoto('Storefront')
    expect(wizard.draft.store.location).toEqual(DEVICE_LOCATION)
  })
})

describe('the inspection wizard: spots step', () => {
  it('Next only when every spot has a result: a condition and a photo for each', async () => {
    const env = await inspectionRoot()
    const wizard = await onSpots(env)
    expect(wizard.spotsDone).toBe(0)
    expect(wizard.next()).toBe(false)
    expect(wizard.state).toBe('spots')
    expect(wizard.errors).toEqual({
      'spots.0.condition': 'CHOICE_REQUIRED',
      'spots.0.photoId': 'PHOTO_REQUIRED',
      'spots.1.condition': 'CHOICE_REQUIRED',
      'spots.1.photoId': 'PHOTO_REQUIRED',
    })
    await fillInspectionSpots(env, wizard)
    expect(wizard.errors).toEqual({})
    expect(wizard.spotsDone).toBe(2)
    expect(wizard.comparison(0)).toBe('MATCH')
    expect(wizard.comparison(1)).toBe('MATCH')
    expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('payment')
  })

  it('a present Marketing Code needs its code scanned', async () => {
    const env = await inspectionRoot()
    const wizard = await onSpots(env)
    await fillInspectionSpots(env, wizard)
    wizard.setCondition(1, 'MISSING')
    wizard.setSpotFeedback(1, 'Gone')
    // spot 0: present with a photo but nothing scanned (a cancelled scan changes nothing)
    env.root.inspections.update(MC_TASK, (d) => (d.spots[0].scannedCode = ''))
    env.platform.scanner.scan.mockResolvedValueOnce(null)
    await wizard.scanSpotCode(0, labels)
    expect(wizard.comparison(0)).toBe('NOT_SCANNED')
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'spots.0.scannedCode': 'CODE_REQUIRED' })
    expect(wizard.spotsDone).toBe(1)
    // a failed scan (DingTalk's error 11) is said at the spot's code
    env.platform.scanner.scan.mockRejectedValueOnce(new DeviceError('SCAN_FAILED'))
    await wizard.scanSpotCode(0, labels)
    expect(wizard.errors).toEqual({ 'spots.0.scannedCode': 'SCAN_FAILED' })
    env.platform.scanner.scan.mockResolvedValueOnce(BOUND_CODES[0])
    await wizard.scanSpotCode(0, labels)
    expect(wizard.errors).toEqual({})
    expect(wizard.draft.spots[0].scannedCode).toBe(BOUND_CODES[0])
    expect(wizard.next()).toBe(true)
  })

  it.each(['MISSING', 'DAMAGED', 'MOVED'] as const)('%s needs feedback (and no code)', async (condition) => {
    const env = await inspectionRoot()
    const wizard = await onSpots(env)
    await fillInspectionSpots(env, wizard)
    wizard.setCondition(0, condition)
    env.root.inspections.update(MC_TASK, (d) => (d.spots[0].scannedCode = ''))
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'spots.0.feedback': 'FEEDBACK_REQUIRED' })
    wizard.setSpotFeedback(0, 'Only the stand is left')
    expect(wizard.fieldError('spots.0.feedback')).toBeNull()
    expect(wizard.next()).toBe(true)
  })

  it('a code that differs from the bound one is a mismatch and needs feedback', async () => {
    const env = await inspectionRoot()
    const wizard = await onSpots(env)
    await fillInspectionSpots(env, wizard)
    env.platform.scanner.scan.mockResolvedValueOnce(codeUrl(BOUND_CODES[1]))
    await wizard.scanSpotCode(0, labels)
    expect(wizard.draft.spots[0].scannedCode).toBe(BOUND_CODES[1])
    expect(wizard.comparison(0)).toBe('MISMATCH')
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'spots.0.feedback': 'FEEDBACK_REQUIRED' })
    wizard.setSpotFeedback(0, 'The codes of the two spots were swapped')
    expect(wizard.next()).toBe(true)
  })

  it('a scan that is not a Marketing Code says what it is (a web link) and keeps the code scanned before', async () => {
    const env = await inspectionRoot()
    const wizard = await onSpots(env)
    await fillInspectionSpots(env, wizard)
    env.platform.scanner.scan.mockResolvedValueOnce('https://example.com/menu')
    await wizard.scanSpotCode(1, labels)
    expect(wizard.errors).toEqual({ 'spots.1.scannedCode': 'CODE_IS_WEB_LINK' })
    expect(wizard.draft.spots[1].scannedCode).toBe(BOUND_CODES[1])
    // a good scan clears it
    env.platform.scanner.scan.mockResolvedValueOnce(codeUrl(BOUND_CODES[1]))
    await wizard.scanSpotCode(1, labels)
    expect(wizard.errors).toEqual({})
  })

  it('a first scan that is not a code leaves the spot without a code', async () => {
    const env = await inspectionRoot()
    const wizard = await onSpots(env)
    wizard.setCondition(0, 'PRESENT')
    await wizard.takeSpotPhoto(0, 'Spot')
    env.platform.scanner.scan.mockResolvedValueOnce('WIFI:S:guest;;')
    await wizard.scanSpotCode(0, labels)
    expect(wizard.fieldError('spots.0.scannedCode')).toBe('CODE_IS_TEXT')
    expect(wizard.draft.spots[0].scannedCode).toBe('')
    expect(wizard.comparison(0)).toBe('NOT_SCANNED')
  })

  it('a Primary POSM spot needs no code', async () => {
    const env = await inspectionRoot()
    const wizard = await onSpots(env, POSM_TASK)
    wizard.setCondition(0, 'PRESENT')
    await wizard.takeSpotPhoto(0, 'Spot')
    expect(env.platform.scanner.scan).not.toHaveBeenCalled()
    expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('payment')
  })
})

describe('the inspection wizard: payment step', () => {
  it('verifies with Alipay+ Linker (GCash store) at the task’s endpoint; Next only when both modes passed', async () => {
    const env = await inspectionRoot()
    const wizard = await onSpots(env)
    await fillInspectionSpots(env, wizard)
    expectNext(wizard)
    expect(wizard.payment.tool).toBe('ALIPAY_PLUS_LINKER')

    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ payment: 'PAYMENT_NOT_VERIFIED' })

    await expect(verifyInspectionMode(wizard, 'MPM')).resolves.toBe(true)
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ payment: 'PAYMENT_NOT_VERIFIED' })

    await expect(verifyInspectionMode(wizard, 'UPM', FAILING_REF)).resolves.toBe(false)
    expect(wizard.draft.payment.UPM.result?.status).toBe('FAILED')
    expect(wizard.next()).toBe(false)

    // a new reference clears the failed result; then it passes
    wizard.payment.setReference('UPM', PASSING_REF)
    expect(wizard.draft.payment.UPM.result).toBeNull()
    await expect(wizard.payment.verify('UPM')).resolves.toBe(true)
    expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('summary')

    expect(env.server.log.filter((l) => l === endpoint(MC_TASK, 'payment-verifications'))).toHaveLength(3)
    expect(env.server.verificationBodies.map((b) => [b.mode, b.tool, b.wallets])).toEqual([
      ['MPM', 'ALIPAY_PLUS_LINKER', ['GCASH']],
      ['UPM', 'ALIPAY_PLUS_LINKER', ['GCASH']],
      ['UPM', 'ALIPAY_PLUS_LINKER', ['GCASH']],
    ])
    // the evidence is an upload id, not a local path
    for (const b of env.server.verificationBodies) expect(b.photoId).toMatch(/^u-\d+$/)
    // each with the inspection's start (the visit's) and the moment it was sent, by the phone's clock
    expect(wizard.draft.startedAt).toEqual(expect.any(String))
    for (const b of env.server.verificationBodies) expect([b.startedAt, typeof b.sentAt]).toEqual([wizard.draft.startedAt, 'string'])
  })

  it('an Alipay-only store is verified with the Alipay app', async () => {
    const env = await inspectionRoot()
    const wizard = await onSpots(env, POSM_TASK)
    expect(wizard.payment.tool).toBe('ALIPAY')
    await expect(verifyInspectionMode(wizard, 'MPM')).resolves.toBe(true)
    expect(env.server.verificationBodies[0]).toMatchObject({ tool: 'ALIPAY', wallets: ['ALIPAY'] })
    expect(env.server.log).toContain(endpoint(POSM_TASK, 'payment-verifications'))
  })

  it('evidence is checked before it is sent: no reference, no photo → nothing reaches the server', async () => {
    const env = await inspectionRoot()
    const wizard = await onSpots(env)
    await expect(wizard.payment.verify('MPM')).resolves.toBe(false)
    expect(wizard.payment.errors.MPM.reference).toBeDefined()
    expect(wizard.payment.errors.MPM.photo).toBe('PHOTO_REQUIRED')
    expect(env.server.verificationBodies).toEqual([])
  })
})

describe('the inspection wizard: moving back and forth', () => {
  it('Back never loses data, and Next is accepted again at once', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    await fillInspectionStore(wizard)
    expectNext(wizard)
    await fillInspectionSpots(env, wizard)
    wizard.setCondition(1, 'DAMAGED')
    wizard.setSpotFeedback(1, 'Torn at the corner')
    expectNext(wizard)
    await fillInspectionPayment(wizard)
    expectNext(wizard)
    expect(wizard.state).toBe('summary')
    const before = values(wizard.draft)

    expect(wizard.back()).toBe(true)
    expect(wizard.state).toBe('payment')
    expect(wizard.back()).toBe(true)
    expect(wizard.state).toBe('spots')
    expect(wizard.back()).toBe(true)
    expect(wizard.state).toBe('store')
    expect(wizard.back()).toBe(false)
    expect(wizard.state).toBe('store')
    expect(values(wizard.draft)).toEqual(before)

    for (const step of ['spots', 'payment', 'summary']) {
      expectNext(wizard)
      expect(wizard.state).toBe(step)
    }
    expect(values(wizard.draft)).toEqual(before)
  })

  it('the summary has no Next, and Submit only works on the summary', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    expect(wizard.submit()).toBe(false)
    await walkInspectionToSummary(env, wizard)
    expect(wizard.next()).toBe(false)
    expect(wizard.state).toBe('summary')
    expect(env.root.outbox.items).toEqual([])
  })

  it('Submit re-checks every step on the summary', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    await walkInspectionToSummary(env, wizard)
    env.root.inspections.update(MC_TASK, (d) => (d.spots[0].photo = null))
    expect(wizard.submit()).toBe(false)
    expect(wizard.errors).toEqual({ 'spots.0.photoId': 'PHOTO_REQUIRED' })
    expect(env.root.outbox.items).toEqual([])
  })
})
