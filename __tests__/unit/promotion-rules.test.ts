/**
 * The promotion rules shared by the wizard and the server: draft validation per step, the submission
 * payload, business hours, the payment tool and Marketing Code parsing.
 */
import { DEVELOPMENT_MARKETING_CODE_FORMAT } from '../../packages/contract/rules/marketing-code-dev'
import { duplicateCodes, marketingCodeReader } from '../../packages/contract/rules/marketing-code'
import { bothModesPassed, isWellFormedReference, requiredPaymentTool } from '../../packages/contract/rules/payment'
import { isWithinBusinessHours, minutesOf } from '../../packages/contract/rules/policy'
import {
  draftPhotos,
  newDraft,
  newSpot,
  stepsFor,
  toPromotionCreate,
  validateSpots,
  validateStep,
  type PhotoRef,
  type PromotionDraft,
} from '../../src/rules/promotion-draft'
import { withUploadIds } from '../../src/stores/outbox-store'
import { minuteOfDayIn } from '../../packages/contract/rules/policy'
import type { PaymentVerificationView, Wallet } from '../../packages/contract/promotion'
import { PromotionCreateSchema, validate } from '../../packages/contract/schemas'

const NOW = '2026-11-25T10:30:00.000Z'
const at = { latitude: 1.3, longitude: 103.8, accuracy: 10, mocked: false }
const photo = (path: string): PhotoRef => ({ localPath: path, takenAt: NOW, location: at })
const verification = (id: string, mode: 'MPM' | 'UPM', status: 'PASSED' | 'FAILED'): PaymentVerificationView => ({
  id,
  mode,
  tool: 'ALIPAY_PLUS_LINKER',
  reference: 'AP202611250000001234',
  photoId: `u-${id}`,
  status,
  reason: status === 'FAILED' ? 'PAYMENT_NOT_FOUND' : null,
  createdAt: NOW,
})

/** A complete draft (every step valid at 10:30), to be spoilt one field at a time. */
function completeDraft(
  product: 'MARKETING_CODE' | 'PRIMARY_POSM' = 'MARKETING_CODE',
  method: 'VERIFY_THEN_DEPLOY' | 'DEPLOY_THEN_VERIFY' = 'DEPLOY_THEN_VERIFY',
): PromotionDraft {
  const d = newDraft('d1', 'client-0001', product, method, NOW)
  d.store = {
    name: 'Kopi Corner',
    address: '12 Orchard Road, Singapore 238823',
    category: 'FOOD_BEVERAGE',
    wallets: ['ALIPAY', 'GCASH'],
    managerConsent: true,
    openingTime: '08:00',
    closingTime: '22:00',
    location: at,
    storefrontPhoto: photo('kept:store.jpg'),
  }
  d.spots = [0, 1].map((i) => ({
    ...newSpot(`s${i}`),
    position: 'CASHIER_COUNTER' as const,
    photo: photo(`kept:spot${i}.jpg`),
    ...(product === 'MARKETING_CODE' ? { marketingCode: `APMC000000000${i}` } : { materialType: 'STICKER' as const }),
  }))
  d.merchant = { contactName: 'Tan Wei Ming', contactPhone: '+65 8123 4567', legalName: 'Kopi Corner Pte. Ltd.', acquirerMerchantId: 'M-100234', notes: '' }
  if (method === 'VERIFY_THEN_DEPLOY') {
    d.payment.MPM = { reference: 'AP202611250000001234', photo: photo('kept:mpm.jpg'), result: verification('pv-1', 'MPM', 'PASSED') }
    d.payment.UPM = { reference: 'AP202611250000005678', photo: photo('kept:upm.jpg'), result: verification('pv-2', 'UPM', 'PASSED') }
  }
  return d
}
const ctx = { minuteOfDay: 10 * 60 + 30, maxSpots: 3 }

describe('newDraft and stepsFor', () => {
  it('a new draft starts on the first step of its method with one empty spot', () => {
    const vtd = newDraft('d1', 'c1', 'MARKETING_CODE', 'VERIFY_THEN_DEPLOY', NOW)
    expect(vtd.step).toBe('payment')
    expect(newDraft('d2', 'c2', 'PRIMARY_POSM', 'DEPLOY_THEN_VERIFY', NOW).step).toBe('store')
    expect(vtd.spots).toEqual([newSpot('d1-s1')])
    expect(vtd.createdAt).toBe(NOW)
    expect(vtd.payment.MPM).toEqual({ reference: '', photo: null, result: null })
  })

  it('lists the steps per method', () => {
    expect(stepsFor('VERIFY_THEN_DEPLOY')).toEqual(['payment', 'store', 'spots', 'merchant', 'summary'])
    expect(stepsFor('DEPLOY_THEN_VERIFY')).toEqual(['store', 'spots', 'merchant', 'summary'])
  })
})

describe('validateStep', () => {
  it.each(['MARKETING_CODE', 'PRIMARY_POSM'] as const)('a complete %s draft passes every step of both methods', (product) => {
    for (const method of ['VERIFY_THEN_DEPLOY', 'DEPLOY_THEN_VERIFY'] as const) {
      const d = completeDraft(product, method)
      for (const step of stepsFor(method)) expect(validateStep(step, d, ctx)).toEqual({})
    }
  })

  it('the summary gathers the errors of every step of the method', () => {
    const d = completeDraft('MARKETING_CODE', 'VERIFY_THEN_DEPLOY')
    d.store.name = ''
    d.spots[1].position = ''
    d.merchant.acquirerMerchantId = 'bad id!'
    d.payment.UPM.result = verification('pv-3', 'UPM', 'FAILED')
    expect(validateStep('summary', d, ctx)).toEqual({
      'store.name': 'REQUIRED',
      'spots.1.position': 'CHOICE_REQUIRED',
      'merchant.acquirerMerchantId': 'MERCHANT_ID_INVALID',
      payment: 'PAYMENT_NOT_VERIFIED',
    })
    // Deploy-Then-Verify has no payment step before submission
    const dtv = { ...d, method: 'DEPLOY_THEN_VERIFY' as const }
    expect(validateStep('summary', dtv, ctx)).not.toHaveProperty('payment')
  })

  it('store: business hours in the draft are checked at the given minute', () => {
    const d = completeDraft()
    expect(validateStep('store', d, { ...ctx, minuteOfDay: 7 * 60 + 59 })).toEqual({ 'store.openingTime': 'OUTSIDE_BUSINESS_HOURS' })
    expect(validateStep('store', d, { ...ctx, minuteOfDay: 8 * 60 })).toEqual({})
  })

  it('merchant: phone must be international, names long enough', () => {
    const d = completeDraft()
    d.merchant.contactPhone = '81234567'
    d.merchant.legalName = 'K'
    expect(validateStep('merchant', d, ctx)).toEqual({ 'merchant.contactPhone': 'PHONE_NOT_INTERNATIONAL', 'merchant.legalName': 'NAME_TOO_SHORT' })
  })
})

describe('validateSpots', () => {
  it('a photo repeated within a submission is PHOTO_REPEATED (spot and spot)', () => {
    const d = completeDraft()
    d.spots[1].photo = photo('kept:spot0.jpg')
    expect(validateSpots(d, 3)).toEqual({ 'spots.0.photoId': 'PHOTO_REPEATED', 'spots.1.photoId': 'PHOTO_REPEATED' })
  })

  it('a spot photo that is the storefront photo is PHOTO_REPEATED', () => {
    const d = completeDraft()
    d.spots[0].photo = photo('kept:store.jpg')
    expect(validateSpots(d, 3)).toEqual({ 'spots.0.photoId': 'PHOTO_REPEATED' })
  })

  it('distinct photos pass', () => {
    expect(validateSpots(completeDraft(), 3)).toEqual({})
  })

  it('a code used twice is CODE_DUPLICATE on every later spot, the first keeps it', () => {
    const d = completeDraft()
    d.spots.push({ ...newSpot('s2'), position: 'TABLE', photo: photo('kept:spot2.jpg'), marketingCode: 'APMC0000000000' })
    d.spots[1].marketingCode = 'APMC0000000000'
    expect(validateSpots(d, 3)).toEqual({ 'spots.1.marketingCode': 'CODE_DUPLICATE', 'spots.2.marketingCode': 'CODE_DUPLICATE' })
  })

  it('more spots than allowed is EXCESSIVE_POSMS; none is SPOTS_REQUIRED', () => {
    const d = completeDraft()
    expect(validateSpots(d, 1)).toEqual({ spots: 'EXCESSIVE_POSMS' })
    d.spots = []
    expect(validateSpots(d, 3)).toEqual({ spots: 'SPOTS_REQUIRED' })
  })

  it('Marketing Code spots need a code (read by the scan with the server’s format); Primary POSM spots need a material and ignore codes', () => {
    const mc = completeDraft('MARKETING_CODE')
    mc.spots[0].marketingCode = 'x'.repeat(201)
    expect(validateSpots(mc, 3)).toEqual({ 'spots.0.marketingCode': 'CODE_INVALID' })
    const posm = completeDraft('PRIMARY_POSM')
    posm.spots[0].materialType = ''
    posm.spots[1].marketingCode = 'not a code'
    expect(validateSpots(posm, 3)).toEqual({ 'spots.0.materialType': 'CHOICE_REQUIRED' })
  })
})

describe('toPromotionCreate', () => {
  it('Marketing Code (Verify-Then-Deploy): the whole submission, photos by local path, passed verifications only', () => {
    const d = completeDraft('MARKETING_CODE', 'VERIFY_THEN_DEPLOY')
    d.spots[1].position = 'OTHER'
    d.spots[1].positionNote = 'By the door'
    d.spots[0].positionNote = 'ignored unless OTHER'
    d.payment.UPM.result = verification('pv-9', 'UPM', 'FAILED')
    expect(toPromotionCreate(d)).toEqual({
      clientId: 'client-0001',
      product: 'MARKETING_CODE',
      method: 'VERIFY_THEN_DEPLOY',
      store: {
        name: 'Kopi Corner',
        address: '12 Orchard Road, Singapore 238823',
        category: 'FOOD_BEVERAGE',
        wallets: ['ALIPAY', 'GCASH'],
        managerConsent: true,
        openingTime: '08:00',
        closingTime: '22:00',
        location: at,
        storefrontPhotoId: 'kept:store.jpg',
      },
      spots: [
        { position: 'CASHIER_COUNTER', photoId: 'kept:spot0.jpg', marketingCode: 'APMC0000000000' },
        { position: 'OTHER', positionNote: 'By the door', photoId: 'kept:spot1.jpg', marketingCode: 'APMC0000000001' },
      ],
      merchant: { contactName: 'Tan Wei Ming', contactPhone: '+65 8123 4567', legalName: 'Kopi Corner Pte. Ltd.', acquirerMerchantId: 'M-100234', notes: '' },
      paymentVerificationIds: ['pv-1'],
    })
  })

  it('Primary POSM (Deploy-Then-Verify): material types, no codes, no verifications', () => {
    const d = completeDraft('PRIMARY_POSM', 'DEPLOY_THEN_VERIFY')
    const p = toPromotionCreate(d)
    expect(p.product).toBe('PRIMARY_POSM')
    expect(p.spots).toEqual([
      { position: 'CASHIER_COUNTER', photoId: 'kept:spot0.jpg', materialType: 'STICKER' },
      { position: 'CASHIER_COUNTER', photoId: 'kept:spot1.jpg', materialType: 'STICKER' },
    ])
    expect(p.paymentVerificationIds).toEqual([])
  })

  it('copies: later edits of the draft do not change a queued submission', () => {
    const d = completeDraft()
    const p = toPromotionCreate(d)
    d.store.wallets.push('DANA')
    d.merchant.notes = 'changed'
    expect(p.store.wallets).toEqual(['ALIPAY', 'GCASH'])
    expect(p.merchant.notes).toBe('')
  })

  it.each(['MARKETING_CODE', 'PRIMARY_POSM'] as const)('%s: with upload ids in place, the server’s schema accepts it', (product) => {
    const d = completeDraft(product, 'VERIFY_THEN_DEPLOY')
    const uploads = new Map(draftPhotos(d).map((ph, i) => [ph.localPath, `u-${i + 1}`]))
    const payload = withUploadIds(toPromotionCreate(d), uploads)
    expect(payload.store.storefrontPhotoId).toBe('u-1')
    expect(payload.spots.map((s) => s.photoId)).toEqual(['u-2', 'u-3'])
    expect(validate(PromotionCreateSchema, payload)).toMatchObject({ ok: true })
  })

  it('draftPhotos lists the storefront and spot photos that exist', () => {
    const d = completeDraft()
    d.spots[1].photo = null
    expect(draftPhotos(d).map((p) => p.localPath)).toEqual(['kept:store.jpg', 'kept:spot0.jpg'])
  })
})

describe('isWithinBusinessHours', () => {
  const m = (t: string) => minutesOf(t)
  it.each([
    // [now, opening, closing, within]
    ['10:30', '08:00', '22:00', true],
    ['08:00', '08:00', '22:00', true],
    ['07:59', '08:00', '22:00', false],
    ['21:59', '08:00', '22:00', true],
    ['22:00', '08:00', '22:00', false],
    ['23:30', '22:00', '02:00', true],
    ['00:00', '22:00', '02:00', true],
    ['01:59', '22:00', '02:00', true],
    ['02:00', '22:00', '02:00', false],
    ['10:30', '22:00', '02:00', false],
    ['21:59', '22:00', '02:00', false],
    ['03:00', '00:00', '24:00', true],
    ['23:59', '08:00', '24:00', true],
    ['07:00', '08:00', '24:00', false],
    ['12:00', '09:00', '09:00', true],
    ['12:00', '00:00', '00:00', true],
  ])('at %s, open %s–%s → %s', (now, opening, closing, within) => {
    expect(isWithinBusinessHours(m(now), opening, closing)).toBe(within)
  })
})

describe('minuteOfDayIn', () => {
  it('counts minutes since midnight in the ISO’s time zone', () => {
    const date = new Date('2026-11-25T23:30:00.000Z')
    expect(minuteOfDayIn('UTC', date)).toBe(23 * 60 + 30)
    expect(minuteOfDayIn('Asia/Singapore', date)).toBe(7 * 60 + 30)
    expect(minuteOfDayIn('Asia/Kolkata', date)).toBe(5 * 60)
  })

  it('falls back to the device’s clock for an unknown time zone', () => {
    const date = new Date('2026-11-25T23:30:00.000Z')
    expect(minuteOfDayIn('Nowhere/Atlantis', date)).toBe(date.getHours() * 60 + date.getMinutes())
    expect(minuteOfDayIn(undefined, date)).toBe(date.getHours() * 60 + date.getMinutes())
  })
})

describe('requiredPaymentTool', () => {
  it.each<[Wallet[], ReturnType<typeof requiredPaymentTool>]>([
    [[], null],
    [['ALIPAY'], 'ALIPAY'],
    [['ALIPAY', 'GCASH'], 'ALIPAY_PLUS_LINKER'],
    [['GCASH', 'ALIPAY'], 'ALIPAY_PLUS_LINKER'],
    [['GCASH'], 'ALIPAY_PLUS_LINKER'],
    [['ALIPAYHK'], 'ALIPAY_PLUS_LINKER'],
    [['OTHER'], 'ALIPAY_PLUS_LINKER'],
  ])('%j → %s', (wallets, tool) => {
    expect(requiredPaymentTool(wallets)).toBe(tool)
  })
})

describe('payment references and results', () => {
  it.each([
    ['AP202611250000001234', true],
    [' AP202611250000001234 ', true],
    ['AP20261125000000123', false],
    ['AP2026112500000012345', false],
    ['ap202611250000001234', false],
    ['XP202611250000001234', false],
    ['AP20261125000000123A', false],
    ['', false],
  ])('%j well formed → %s', (reference, ok) => {
    expect(isWellFormedReference(reference)).toBe(ok)
  })

  it('both modes must have a passed record', () => {
    expect(bothModesPassed([])).toBe(false)
    expect(bothModesPassed([{ mode: 'MPM', status: 'PASSED' }])).toBe(false)
    expect(
      bothModesPassed([
        { mode: 'MPM', status: 'PASSED' },
        { mode: 'UPM', status: 'FAILED' },
      ]),
    ).toBe(false)
    expect(
      bothModesPassed([
        { mode: 'UPM', status: 'FAILED' },
        { mode: 'MPM', status: 'PASSED' },
        { mode: 'UPM', status: 'PASSED' },
      ]),
    ).toBe(true)
  })
})

describe('the development Marketing Code format', () => {
  it.each([
    ['https://marketing.alipayplus.example/mc/APMC0123456789', 'APMC0123456789'],
    ['  https://marketing.alipayplus.example/mc/APMCABCDEFGHIJ\n', 'APMCABCDEFGHIJ'],
    ['APMC0123456789', 'APMC0123456789'],
    ['https://marketing.alipayplus.example/mc/APMC012345678', null],
    ['https://marketing.alipayplus.example/mc/APMC01234567890', null],
    ['https://marketing.alipayplus.example/mc/apmc0123456789', null],
    ['https://marketing.alipayplus.example/mc/APMC0123456789?x=1', null],
    ['https://marketing.alipayplus.example/mc/APMC0123456789/', null],
    ['http://marketing.alipayplus.example/mc/APMC0123456789', null],
    ['https://marketingXalipayplus.example/mc/APMC0123456789', null],
    ['https://evil.example/?u=https://marketing.alipayplus.example/mc/APMC0123456789', null],
    ['https://qr.alipay.com/bax01234', null],
    ['posm-workspace://associate?iso=iso-lioncity', null],
    ['', null],
  ])('%j → %s', (scanned, code) => {
    expect(marketingCodeReader(DEVELOPMENT_MARKETING_CODE_FORMAT).read(scanned)).toBe(code)
  })

  it('duplicateCodes names each code used more than once, ignoring blanks', () => {
    expect(duplicateCodes(['A', 'B', 'A', '', '', null, undefined, 'B', 'C', 'A'])).toEqual(['A', 'B'])
    expect(duplicateCodes(['A', 'B'])).toEqual([])
  })
})
