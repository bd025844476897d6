/**
 * The promotion wizard as a staff member drives it: transitions and their guards for both deployment
 * methods, the deployment policy, spots and Marketing Code scanning, and payment verification.
 */
import { toJS } from 'mobx'
import type { DeploymentMethod } from '../../packages/contract/api'
import { DeviceError, TransportError } from '../../src/platform/types'
import { stepsFor, toPromotionCreate, type StepName } from '../../src/rules/promotion-draft'
import type { PromotionWizard } from '../../src/stores/wizard-store'
import {
  codeUrl,
  FAILING_REF,
  fillMerchant,
  fillPayment,
  fillSpots,
  fillStore,
  labels,
  manualClock,
  PASSING_REF,
  promotionRoot,
  spotCode,
  startWizard,
  verifyMode,
  walkToSummary,
  type PromotionEnv,
} from '../helpers/promotion'

const METHODS: DeploymentMethod[] = ['VERIFY_THEN_DEPLOY', 'DEPLOY_THEN_VERIFY']

const EMPTY_STORE_ERRORS = {
  'store.name': 'REQUIRED',
  'store.address': 'REQUIRED',
  'store.category': 'CHOICE_REQUIRED',
  'store.managerConsent': 'NO_MANAGER_CONSENT',
  'store.openingTime': 'TIME_INVALID',
  'store.closingTime': 'TIME_INVALID',
  'store.location': 'LOCATION_REQUIRED',
  'store.storefrontPhotoId': 'PHOTO_REQUIRED',
}
const EMPTY_MERCHANT_ERRORS = {
  'merchant.contactName': 'REQUIRED',
  'merchant.contactPhone': 'REQUIRED',
  'merchant.legalName': 'REQUIRED',
  'merchant.acquirerMerchantId': 'REQUIRED',
}

/** Every transition that must be refused in the current state leaves state, step and data untouched. */
function expectLaterStepsRefused(wizard: PromotionWizard) {
  const before = JSON.stringify(toJS(wizard.draft))
  const here = wizard.state as StepName
  const later = wizard.steps.slice(wizard.steps.indexOf(here) + 1)
  for (const step of later) expect(wizard.goTo(step)).toBe(false)
  if (here !== 'summary') expect(wizard.submit()).toBe(false)
  expect(wizard.state).toBe(here)
  expect(JSON.stringify(toJS(wizard.draft))).toBe(before)
}

describe.each(METHODS)('wizard transitions (%s)', (method) => {
  let env: PromotionEnv
  beforeEach(async () => {
    env = await promotionRoot({ method })
  })

  it('has the steps of the method, the payment first for Verify-Then-Deploy', () => {
    expect(stepsFor(method)).toEqual(
      method === 'VERIFY_THEN_DEPLOY' ? ['payment', 'store', 'spots', 'merchant', 'summary'] : ['store', 'spots', 'merchant', 'summary'],
    )
  })

  it('starts on the first step, where Back, Submit and jumping ahead are refused', () => {
    const wizard = startWizard(env)
    expect(wizard.draft.method).toBe(method)
    expect(wizard.state).toBe(stepsFor(method)[0])
    expect(wizard.stepIndex).toBe(0)
    expect(wizard.back()).toBe(false)
    expectLaterStepsRefused(wizard)
    expect(wizard.errors).toEqual({})
  })

  it('refuses Next on every empty step with the fields to fix, and accepts it once they are filled', async () => {
    const wizard = startWizard(env)
    const steps = stepsFor(method)

    if (method === 'VERIFY_THEN_DEPLOY') {
      expect(wizard.next()).toBe(false)
      expect(wizard.state).toBe('payment')
      expect(wizard.errors).toEqual({ 'store.wallets': 'WALLETS_REQUIRED', payment: 'PAYMENT_NOT_VERIFIED' })
      expectLaterStepsRefused(wizard)
      await fillPayment(wizard)
      expect(wizard.next()).toBe(true)
      expect(wizard.errors).toEqual({})
    }

    expect(wizard.state).toBe('store')
    expect(wizard.next()).toBe(false)
    expect(wizard.state).toBe('store')
    // on Verify-Then-Deploy the wallets were chosen on the payment step
    expect(wizard.errors).toEqual(method === 'VERIFY_THEN_DEPLOY' ? EMPTY_STORE_ERRORS : { ...EMPTY_STORE_ERRORS, 'store.wallets': 'WALLETS_REQUIRED' })
    expectLaterStepsRefused(wizard)
    await fillStore(wizard)
    expect(wizard.errors).toEqual({}) // each edit cleared its own error
    expect(wizard.next()).toBe(true)

    expect(wizard.state).toBe('spots')
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'spots.0.position': 'CHOICE_REQUIRED', 'spots.0.photoId': 'PHOTO_REQUIRED', 'spots.0.marketingCode': 'CODE_INVALID' })
    expectLaterStepsRefused(wizard)
    await fillSpots(env, wizard)
    expect(wizard.next()).toBe(true)

    expect(wizard.state).toBe('merchant')
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual(EMPTY_MERCHANT_ERRORS)
    expectLaterStepsRefused(wizard)
    fillMerchant(wizard)
    expect(wizard.next()).toBe(true)

    expect(wizard.state).toBe('summary')
    expect(wizard.stepIndex).toBe(steps.length - 1)
    expect(wizard.errors).toEqual({})
    // the summary has no Next
    expect(wizard.next()).toBe(false)
    expect(wizard.state).toBe('summary')
  })

  it('Back walks to the previous step each time, down to the first, and never loses what was typed', async () => {
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    const filled = JSON.stringify(toJS({ ...wizard.draft, step: null, updatedAt: null }))
    const steps = stepsFor(method)
    for (let i = steps.length - 1; i > 0; i--) {
      expect(wizard.state).toBe(steps[i])
      expect(wizard.back()).toBe(true)
      expect(wizard.state).toBe(steps[i - 1])
    }
    expect(wizard.back()).toBe(false)
    expect(JSON.stringify(toJS({ ...wizard.draft, step: null, updatedAt: null }))).toBe(filled)
    // and forward again without typing anything
    for (let i = 1; i < steps.length; i++) expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('summary')
  })

  it('values typed on the store step are still there after Back and Next', async () => {
    const wizard = startWizard(env)
    if (method === 'VERIFY_THEN_DEPLOY') {
      await fillPayment(wizard)
      wizard.next()
    }
    await fillStore(wizard)
    wizard.setStore('name', 'Kedai Runcit Ah Seng')
    expect(wizard.next()).toBe(true)
    expect(wizard.back()).toBe(true)
    expect(wizard.state).toBe('store')
    expect(wizard.draft.store).toMatchObject({
      name: 'Kedai Runcit Ah Seng',
      address: '12 Orchard Road, Singapore 238823',
      category: 'FOOD_BEVERAGE',
      managerConsent: true,
      openingTime: '08:00',
      closingTime: '22:00',
    })
    expect(wizard.draft.store.storefrontPhoto?.localPath).toBe('kept:p' + (method === 'VERIFY_THEN_DEPLOY' ? '3' : '1') + '.jpg')
    expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('spots')
  })

  it('from the summary, goTo revisits any earlier step; Next then leads back to the summary with the change', async () => {
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    for (const step of stepsFor(method).slice(0, -1)) {
      expect(wizard.goTo(step)).toBe(true)
      expect(wizard.state).toBe(step)
      expect(wizard.goTo('summary')).toBe(false) // no skipping ahead, even back to where we were
      while (wizard.state !== 'summary') expect(wizard.next()).toBe(true)
    }
    expect(wizard.goTo('store')).toBe(true)
    wizard.setStore('address', '1 Raffles Place, Singapore 048616')
    while (wizard.state !== 'summary') expect(wizard.next()).toBe(true)
    expect(toPromotionCreate(wizard.draft).store.address).toBe('1 Raffles Place, Singapore 048616')
    expect(wizard.goTo('summary')).toBe(true) // the current step itself
  })

  it('an error is cleared by editing its field; the others stay until fixed', async () => {
    const wizard = startWizard(env)
    if (method === 'VERIFY_THEN_DEPLOY') {
      await fillPayment(wizard)
      wizard.next()
    }
    wizard.next()
    wizard.setStore('name', 'Kopi Corner')
    expect(wizard.fieldError('store.name')).toBeNull()
    expect(wizard.fieldError('store.address')).toBe('REQUIRED')
    wizard.setConsent(true)
    expect(wizard.fieldError('store.managerConsent')).toBeNull()
    expect(wizard.fieldError('store.storefrontPhotoId')).toBe('PHOTO_REQUIRED')
  })
})

describe('deployment policy', () => {
  async function storeStep(at: string, timezone = 'UTC') {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', clock: manualClock(new Date(at)), info: { timezone } })
    return { env, wizard: startWizard(env) }
  }

  it('refuses Next outside the store’s business hours, with only that reason', async () => {
    const { wizard } = await storeStep('2026-11-25T10:30:00.000Z')
    await fillStore(wizard, { openingTime: '12:00', closingTime: '20:00' })
    expect(wizard.next()).toBe(false)
    expect(wizard.state).toBe('store')
    expect(wizard.errors).toEqual({ 'store.openingTime': 'OUTSIDE_BUSINESS_HOURS' })
  })

  it('accepts Next within business hours; the closing minute is already outside', async () => {
    const inside = await storeStep('2026-11-25T19:59:00.000Z')
    await fillStore(inside.wizard, { openingTime: '12:00', closingTime: '20:00' })
    expect(inside.wizard.next()).toBe(true)
    const closing = await storeStep('2026-11-25T20:00:00.000Z')
    await fillStore(closing.wizard, { openingTime: '12:00', closingTime: '20:00' })
    expect(closing.wizard.next()).toBe(false)
    expect(closing.wizard.fieldError('store.openingTime')).toBe('OUTSIDE_BUSINESS_HOURS')
  })

  it('accepts overnight hours (22:00–02:00) at 23:30 and at 01:30, refuses them at 10:30', async () => {
    for (const [at, ok] of [
      ['2026-11-25T23:30:00.000Z', true],
      ['2026-11-26T01:30:00.000Z', true],
      ['2026-11-25T10:30:00.000Z', false],
    ] as const) {
      const { wizard } = await storeStep(at)
      await fillStore(wizard, { openingTime: '22:00', closingTime: '02:00' })
      expect(wizard.next()).toBe(ok)
      expect(wizard.state).toBe(ok ? 'spots' : 'store')
    }
  })

  it('checks the hours in the ISO’s time zone, not in UTC', async () => {
    // 10:30 UTC is 18:30 in Singapore
    const { wizard } = await storeStep('2026-11-25T10:30:00.000Z', 'Asia/Singapore')
    await fillStore(wizard, { openingTime: '08:00', closingTime: '18:00' })
    expect(wizard.next()).toBe(false)
    expect(wizard.fieldError('store.openingTime')).toBe('OUTSIDE_BUSINESS_HOURS')
    wizard.setStore('closingTime', '21:00')
    expect(wizard.next()).toBe(true)
  })

  it('refuses Next without the manager’s consent', async () => {
    const { wizard } = await storeStep('2026-11-25T10:30:00.000Z')
    await fillStore(wizard)
    wizard.setConsent(false)
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'store.managerConsent': 'NO_MANAGER_CONSENT' })
  })

  it('an unavailable location is shown on the field and blocks Next', async () => {
    const { env, wizard } = await storeStep('2026-11-25T10:30:00.000Z')
    env.platform.location.getLocation.mockRejectedValue(new Error('denied'))
    await fillStore(wizard)
    expect(wizard.locating).toBe(false)
    expect(wizard.fieldError('store.location')).toBe('LOCATION_REQUIRED')
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'store.location': 'LOCATION_REQUIRED' })
  })

  it('an invalid time is reported as such, not as outside business hours', async () => {
    const { wizard } = await storeStep('2026-11-25T10:30:00.000Z')
    await fillStore(wizard, { openingTime: '8am', closingTime: '22:00' })
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'store.openingTime': 'TIME_INVALID' })
  })
})

describe('spots', () => {
  async function onSpots(product: 'MARKETING_CODE' | 'PRIMARY_POSM' = 'MARKETING_CODE') {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const wizard = startWizard(env, product)
    await fillStore(wizard)
    expect(wizard.next()).toBe(true)
    return { env, wizard }
  }

  it('adds spots up to the workspace limit (3), then refuses with EXCESSIVE_POSMS', async () => {
    const { wizard } = await onSpots()
    expect(wizard.maxSpots).toBe(3)
    wizard.addSpot()
    wizard.addSpot()
    expect(wizard.draft.spots).toHaveLength(3)
    expect(new Set(wizard.draft.spots.map((s) => s.key)).size).toBe(3)
    expect(wizard.canAddSpot).toBe(false)
    wizard.addSpot()
    expect(wizard.draft.spots).toHaveLength(3)
    expect(wizard.fieldError('spots')).toBe('EXCESSIVE_POSMS')
    wizard.removeSpot(2)
    expect(wizard.canAddSpot).toBe(true)
    wizard.addSpot()
    expect(wizard.fieldError('spots')).toBeNull()
  })

  it('a valid Marketing Code URL is stored as its code, after the server said it is free', async () => {
    const { env, wizard } = await onSpots()
    env.platform.scanner.scan.mockResolvedValueOnce(' https://marketing.alipayplus.example/mc/APMC0123456789 ')
    await wizard.scanSpotCode(0, labels)
    expect(wizard.draft.spots[0].marketingCode).toBe('APMC0123456789')
    expect(env.server.codeChecks).toEqual(['APMC0123456789'])
    expect(wizard.fieldError('spots.0.marketingCode')).toBeNull()
    expect([...wizard.checkingCode]).toEqual([])
    expect(env.platform.scanner.scan).toHaveBeenCalledWith(labels)
  })

  it('a QR that is not a Marketing Code is refused at once, saying what it is; nothing stored or sent', async () => {
    const { env, wizard } = await onSpots()
    for (const [text, what] of [
      ['https://example.com/pay?id=1', 'CODE_IS_WEB_LINK'],
      ['https://marketing.alipayplus.example/mc/APMC012345678', 'CODE_IS_WEB_LINK'],
      ['http://marketing.alipayplus.example/mc/APMC0123456789', 'CODE_IS_WEB_LINK'],
      ['00020101021126330014A000000615000101061234565204581253034585802MY5910Nasi Lemak6012Kuala Lumpur63041A2B', 'CODE_IS_PAYMENT_QR'],
      ['Table 12', 'CODE_IS_TEXT'],
    ]) {
      env.platform.scanner.scan.mockResolvedValueOnce(text)
      await wizard.scanSpotCode(0, labels)
      expect(wizard.fieldError('spots.0.marketingCode')).toBe(what)
      expect(wizard.draft.spots[0].marketingCode).toBe('')
    }
    expect(env.server.codeChecks).toEqual([])
  })

  it('the same code on a second spot is refused (CODE_DUPLICATE); the first spot keeps it', async () => {
    const { env, wizard } = await onSpots()
    wizard.addSpot()
    env.platform.scanner.scan.mockResolvedValueOnce(codeUrl('APMC0123456789')).mockResolvedValueOnce('APMC0123456789')
    await wizard.scanSpotCode(0, labels)
    await wizard.scanSpotCode(1, labels)
    expect(wizard.draft.spots.map((s) => s.marketingCode)).toEqual(['APMC0123456789', ''])
    expect(wizard.fieldError('spots.1.marketingCode')).toBe('CODE_DUPLICATE')
    expect(wizard.fieldError('spots.0.marketingCode')).toBeNull()
    expect(env.server.codeChecks).toEqual(['APMC0123456789'])
  })

  it('rescanning the same code on the same spot is not a duplicate', async () => {
    const { env, wizard } = await onSpots()
    env.platform.scanner.scan.mockResolvedValue(codeUrl('APMC0123456789'))
    await wizard.scanSpotCode(0, labels)
    await wizard.scanSpotCode(0, labels)
    expect(wizard.fieldError('spots.0.marketingCode')).toBeNull()
    expect(wizard.draft.spots[0].marketingCode).toBe('APMC0123456789')
  })

  it('a code the server says is bound elsewhere (409 CODE_BOUND) is marked on that spot and cannot be carried forward', async () => {
    const { env, wizard } = await onSpots()
    wizard.addSpot()
    await fillSpots(env, wizard)
    env.server.boundCodes.add('APMC9999999999')
    env.platform.scanner.scan.mockResolvedValueOnce(codeUrl('APMC9999999999'))
    await wizard.scanSpotCode(1, labels)
    expect(wizard.fieldError('spots.1.marketingCode')).toBe('CODE_BOUND')
    expect(wizard.fieldError('spots.0.marketingCode')).toBeNull()
    expect([...wizard.checkingCode]).toEqual([])
    // a code known to be bound must not pass the step (nor be submitted)
    expect(wizard.next()).toBe(false)
    expect(wizard.state).toBe('spots')
    expect(wizard.fieldError('spots.1.marketingCode')).not.toBeNull()
  })

  it('offline, a scanned code is kept without error (the server decides at submission)', async () => {
    const { env, wizard } = await onSpots()
    env.platform.http.request.mockRejectedValueOnce(new TransportError('network', 'offline'))
    env.platform.scanner.scan.mockResolvedValueOnce(codeUrl('APMC0123456789'))
    await wizard.scanSpotCode(0, labels)
    expect(wizard.draft.spots[0].marketingCode).toBe('APMC0123456789')
    expect(wizard.fieldError('spots.0.marketingCode')).toBeNull()
  })

  it('a cancelled scan changes nothing', async () => {
    const { env, wizard } = await onSpots()
    env.platform.scanner.scan.mockResolvedValueOnce(null)
    await wizard.scanSpotCode(0, labels)
    expect(wizard.draft.spots[0].marketingCode).toBe('')
    expect(wizard.errors).toEqual({})
    expect(env.server.codeChecks).toEqual([])
  })

  it('a cancelled photo keeps the spot without a photo', async () => {
    const { env, wizard } = await onSpots()
    env.platform.camera.takePhoto.mockResolvedValueOnce(null)
    await wizard.takeSpotPhoto(0, 'Spot')
    expect(wizard.draft.spots[0].photo).toBeNull()
  })

  it('a spot photo carries its capture time and place and is kept on the device (and, online, its check at once)', async () => {
    const { env, wizard } = await onSpots()
    await wizard.takeSpotPhoto(0, 'Spot')
    expect(wizard.draft.spots[0].photo).toEqual({
      localPath: 'kept:p2.jpg',
      takenAt: '2026-11-25T10:30:00.000Z',
      location: { latitude: 1.3, longitude: 103.8, accuracy: 10, mocked: false },
      check: { uploadId: expect.stringMatching(/^u-\d+$/), issue: null, codes: [] },
    })
    expect(env.platform.camera.takePhoto).toHaveBeenLastCalledWith({ count: 1, title: 'Spot' })
    expect(env.platform.files.persist).toHaveBeenLastCalledWith('p2.jpg')
  })

  it('a retaken spot photo frees the saved file of the one it replaced; the other photos are kept', async () => {
    const { env, wizard } = await onSpots()
    await wizard.takeSpotPhoto(0, 'Spot')
    const first = wizard.draft.spots[0].photo?.localPath
    const storefront = wizard.draft.store.storefrontPhoto?.localPath
    env.platform.files.remove.mockClear()
    await wizard.takeSpotPhoto(0, 'Spot')
    expect(wizard.draft.spots[0].photo?.localPath).not.toBe(first)
    expect(env.platform.files.remove.mock.calls).toEqual([[first]])
    expect(env.platform.files.remove.mock.calls.flat()).not.toContain(storefront)
  })

  it('a failed scan (DingTalk error 11) is said at the spot’s code; a photo that cannot be kept at its photo', async () => {
    const { env, wizard } = await onSpots()
    env.platform.scanner.scan.mockRejectedValueOnce(new DeviceError('SCAN_FAILED'))
    await wizard.scanSpotCode(0, labels)
    expect(wizard.fieldError('spots.0.marketingCode')).toBe('SCAN_FAILED')
    env.platform.files.persist.mockRejectedValueOnce(new DeviceError('PHOTO_NOT_SAVED'))
    await wizard.takeSpotPhoto(0, 'Spot')
    expect(wizard.fieldError('spots.0.photoId')).toBe('PHOTO_NOT_SAVED')
    expect(wizard.draft.spots[0].photo).toBeNull()
  })

  it('Primary POSM spots need a material type and carry no code', async () => {
    const { env, wizard } = await onSpots('PRIMARY_POSM')
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'spots.0.position': 'CHOICE_REQUIRED', 'spots.0.photoId': 'PHOTO_REQUIRED', 'spots.0.materialType': 'CHOICE_REQUIRED' })
    wizard.setPosition(0, 'ENTRANCE')
    await wizard.takeSpotPhoto(0, 'Spot')
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ 'spots.0.materialType': 'CHOICE_REQUIRED' })
    wizard.setMaterial(0, 'STAND')
    expect(wizard.fieldError('spots.0.materialType')).toBeNull()
    expect(wizard.next()).toBe(true)
    expect(env.platform.scanner.scan).not.toHaveBeenCalled()
    const spot = toPromotionCreate(wizard.draft).spots[0]
    expect(spot).toEqual({ position: 'ENTRANCE', photoId: 'kept:p2.jpg', materialType: 'STAND' })
    expect(spot).not.toHaveProperty('marketingCode')
  })

  it('position OTHER keeps its note; removing a spot clears the errors shown', async () => {
    const { wizard } = await onSpots()
    wizard.addSpot()
    expect(wizard.next()).toBe(false)
    expect(Object.keys(wizard.errors).some((k) => k.startsWith('spots.1.'))).toBe(true)
    wizard.removeSpot(1)
    expect(wizard.draft.spots).toHaveLength(1)
    expect(wizard.errors).toEqual({})
    wizard.setPosition(0, 'OTHER')
    wizard.setSpot(0, 'positionNote', 'Beside the drinks fridge')
    expect(wizard.draft.spots[0]).toMatchObject({ position: 'OTHER', positionNote: 'Beside the drinks fridge' })
  })
})

describe('payment verification (Verify-Then-Deploy)', () => {
  async function onPayment() {
    const env = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const wizard = startWizard(env)
    expect(wizard.state).toBe('payment')
    return { env, wizard }
  }

  it('the tool follows the wallets: Alipay only → the Alipay app, anything else → Alipay+ Linker', async () => {
    const { wizard } = await onPayment()
    expect(wizard.payment.tool).toBeNull()
    wizard.toggleWallet('ALIPAY')
    expect(wizard.payment.tool).toBe('ALIPAY')
    wizard.toggleWallet('GCASH')
    expect(wizard.payment.tool).toBe('ALIPAY_PLUS_LINKER')
    wizard.toggleWallet('ALIPAY')
    expect(toJS(wizard.draft.store.wallets)).toEqual(['GCASH'])
    expect(wizard.payment.tool).toBe('ALIPAY_PLUS_LINKER')
    wizard.toggleWallet('GCASH')
    expect(wizard.payment.tool).toBeNull()
  })

  it('verify needs a well-formed reference (AP + 18 digits) and a photo; nothing is sent until then', async () => {
    const { env, wizard } = await onPayment()
    wizard.toggleWallet('GCASH')
    expect(await wizard.payment.verify('MPM')).toBe(false)
    expect(wizard.payment.errors.MPM).toMatchObject({ reference: 'REQUIRED', photo: 'PHOTO_REQUIRED' })
    wizard.payment.setReference('MPM', 'AP12345')
    expect(wizard.payment.errors.MPM.reference).toBeUndefined()
    expect(await wizard.payment.verify('MPM')).toBe(false)
    expect(wizard.payment.errors.MPM).toMatchObject({ reference: 'PAYMENT_REFERENCE_INVALID', photo: 'PHOTO_REQUIRED' })
    // the camera failing is said at the photo
    env.platform.camera.takePhoto.mockRejectedValueOnce(new DeviceError('CAMERA_FAILED'))
    await wizard.payment.takePhoto('MPM', 'Payment result')
    expect(wizard.payment.errors.MPM).toMatchObject({ photo: 'CAMERA_FAILED' })
    await wizard.payment.takePhoto('MPM', 'Payment result')
    expect(await wizard.payment.verify('MPM')).toBe(false)
    expect(wizard.payment.errors.MPM).toMatchObject({ reference: 'PAYMENT_REFERENCE_INVALID' })
    expect(env.platform.uploader.upload).not.toHaveBeenCalled()
    expect(env.server.verificationBodies).toEqual([])
    wizard.payment.setReference('MPM', ` ${PASSING_REF} `)
    const begun = wizard.draft.createdAt
    env.clock.advance(7 * 60_000)
    expect(await wizard.payment.verify('MPM')).toBe(true)
    expect(wizard.payment.errors.MPM).toEqual({})
    // with the visit's start (the draft's) and the moment it was sent, both by the phone's clock: the server
    // measures the visit's length from them, so a wrong phone clock does not misplace it
    expect(env.server.verificationBodies).toEqual([
      {
        mode: 'MPM',
        tool: 'ALIPAY_PLUS_LINKER',
        reference: PASSING_REF,
        photoId: 'u-1',
        wallets: ['GCASH'],
        startedAt: begun,
        sentAt: new Date(Date.parse(begun) + 7 * 60_000).toISOString(),
      },
    ])
    expect(wizard.payment.busy.MPM).toBe(false)
  })

  it('verify without wallets says so and sends nothing', async () => {
    const { env, wizard } = await onPayment()
    wizard.payment.setReference('UPM', PASSING_REF)
    await wizard.payment.takePhoto('UPM', 'Payment result')
    expect(await wizard.payment.verify('UPM')).toBe(false)
    expect(wizard.payment.errors.UPM._).toBe('WALLETS_REQUIRED')
    expect(env.server.verificationBodies).toEqual([])
  })

  it('records PASSED and FAILED in the draft; a failed mode blocks Next until verified again', async () => {
    const { env, wizard } = await onPayment()
    wizard.toggleWallet('ALIPAY')
    expect(await verifyMode(wizard, 'MPM', FAILING_REF)).toBe(false)
    expect(await verifyMode(wizard, 'UPM')).toBe(true)
    expect(wizard.draft.payment.MPM.result).toMatchObject({ status: 'FAILED', reason: 'PAYMENT_NOT_FOUND', tool: 'ALIPAY', mode: 'MPM' })
    expect(wizard.draft.payment.UPM.result).toMatchObject({ status: 'PASSED', tool: 'ALIPAY', mode: 'UPM' })
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ payment: 'PAYMENT_NOT_VERIFIED' })
    // typing a new reference clears the failed result, not the passed one
    wizard.payment.setReference('MPM', PASSING_REF)
    expect(wizard.draft.payment.MPM.result).toBeNull()
    expect(wizard.draft.payment.UPM.result?.status).toBe('PASSED')
    expect(await wizard.payment.verify('MPM')).toBe(true)
    expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('store')
    expect(env.server.verificationBodies.map((b) => [b.mode, b.tool])).toEqual([
      ['MPM', 'ALIPAY'],
      ['UPM', 'ALIPAY'],
      ['MPM', 'ALIPAY'],
    ])
  })

  it('a server error while verifying is shown on the mode and records nothing', async () => {
    const { env, wizard } = await onPayment()
    wizard.toggleWallet('GCASH')
    env.server.once('POST /api/payment-verifications', () => ({ status: 503, data: {} }))
    expect(await verifyMode(wizard, 'MPM')).toBe(false)
    expect(wizard.payment.errors.MPM._).toBe('SERVER')
    expect(wizard.draft.payment.MPM.result).toBeNull()
  })

  it('changing the wallets so that the tool changes voids the results; keeping the tool keeps them', async () => {
    const { wizard } = await onPayment()
    await fillPayment(wizard, ['GCASH'])
    expect(wizard.draft.payment.MPM.result?.status).toBe('PASSED')
    wizard.toggleWallet('ALIPAY') // GCASH + ALIPAY: still Alipay+ Linker
    expect(wizard.draft.payment.MPM.result?.status).toBe('PASSED')
    expect(wizard.draft.payment.UPM.result?.status).toBe('PASSED')
    wizard.toggleWallet('GCASH') // Alipay only: the Alipay app
    expect(wizard.payment.tool).toBe('ALIPAY')
    expect(wizard.draft.payment.MPM.result).toBeNull()
    expect(wizard.draft.payment.UPM.result).toBeNull()
    // the evidence typed stays, to be sent again with the right tool
    expect(wizard.draft.payment.MPM.reference).toBe(PASSING_REF)
    expect(wizard.next()).toBe(false)
    expect(wizard.errors).toEqual({ payment: 'PAYMENT_NOT_VERIFIED' })
  })

  it('both modes passed → Next; changing the tool later (store step) blocks Submit on the summary', async () => {
    const env = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    wizard.toggleWallet('GCASH') // ALIPAY only now
    expect(wizard.submit()).toBe(false)
    expect(wizard.state).toBe('summary')
    expect(wizard.errors).toEqual({ payment: 'PAYMENT_NOT_VERIFIED' })
    expect(env.root.outbox.items).toEqual([])
    expect(wizard.goTo('payment')).toBe(true)
    await verifyMode(wizard, 'MPM')
    await verifyMode(wizard, 'UPM')
    while (wizard.state !== 'summary') expect(wizard.next()).toBe(true)
    expect(wizard.submit()).toBe(true)
  })
})

describe('Submit re-runs every guard', () => {
  it('a duplicate code that reached the draft after the spots step blocks Submit', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const wizard = startWizard(env)
    await fillStore(wizard)
    wizard.next()
    wizard.addSpot()
    await fillSpots(env, wizard)
    wizard.next()
    fillMerchant(wizard)
    wizard.next()
    // the draft changed behind the wizard's back: Submit still checks every step
    env.root.drafts.update(wizard.draftId, (d) => (d.spots[1].marketingCode = spotCode(0)))
    expect(wizard.submit()).toBe(false)
    expect(wizard.errors).toEqual({ 'spots.1.marketingCode': 'CODE_DUPLICATE' })
  })
})
