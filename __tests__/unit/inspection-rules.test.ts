/**
 * Spot inspection's pure rules: the scanned code against the bound one, the distance from the store's
 * recorded location, when feedback is required, and each step's guard on a draft.
 */
import type { InspectionTask, SpotCondition } from '../../packages/contract/inspection'
import type { PaymentVerificationView } from '../../packages/contract/promotion'
import { InspectionSubmissionSchema, validate } from '../../packages/contract/schemas'
import { DEVELOPMENT_MARKETING_CODE_FORMAT } from '../../packages/contract/rules/marketing-code-dev'
import { marketingCodeReader } from '../../packages/contract/rules/marketing-code'
import { compareCodes, distanceMeters, FAR_FROM_STORE_METERS, feedbackRequired, type CodeComparison } from '../../packages/contract/rules/inspection'
import {
  distanceFromStore,
  INSPECTION_STEPS,
  inspectionPhotos,
  newInspectionDraft,
  toInspectionSubmission,
  validateInspectionPayment,
  validateInspectionSpots,
  validateInspectionStep,
  validateInspectionStore,
  type InspectionDraft,
} from '../../src/rules/inspection-draft'
import { BOUND_CODES, codeUrl, DEVICE_LOCATION, FIXED_NOW, MC_STORE_LOCATION, MC_TASK, mcTask, posmTask } from '../helpers/inspection'

const photo = (localPath: string) => ({ localPath, takenAt: FIXED_NOW.toISOString(), location: { ...DEVICE_LOCATION } })
const verification = (id: string, mode: 'MPM' | 'UPM', status: 'PASSED' | 'FAILED'): PaymentVerificationView => ({
  id,
  mode,
  tool: 'ALIPAY_PLUS_LINKER',
  reference: 'AP202611250000001234',
  photoId: `u-${id}`,
  status,
  reason: status === 'PASSED' ? null : 'PAYMENT_NOT_FOUND',
  createdAt: FIXED_NOW.toISOString(),
})

/** A Marketing Code draft with every step filled correctly (both spots present, codes matching). */
function completeDraft(task: InspectionTask = mcTask()): InspectionDraft {
  const draft = newInspectionDraft(task, 'i-client-1', FIXED_NOW.toISOString())
  draft.store = { open: true, sameStore: true, storefrontPhoto: photo('kept:front.jpg'), location: { ...DEVICE_LOCATION }, feedback: '' }
  draft.spots = task.spots.map((s, i) => ({
    index: s.index,
    condition: 'PRESENT',
    photo: photo(`kept:spot${i}.jpg`),
    scannedCode: s.marketingCode ?? '',
    feedback: '',
  }))
  draft.payment.MPM = { reference: 'AP202611250000001234', photo: photo('kept:mpm.jpg'), result: verification('pv-1', 'MPM', 'PASSED') }
  draft.payment.UPM = { reference: 'AP202611250000001234', photo: photo('kept:upm.jpg'), result: verification('pv-2', 'UPM', 'PASSED') }
  return draft
}

describe('compareCodes: the code scanned at a spot against the code bound to it', () => {
  const [bound, other] = BOUND_CODES
  it.each<[string, string | null | undefined, string | null | undefined, CodeComparison]>([
    ['the URL form of the bound code', codeUrl(bound), bound, 'MATCH'],
    ['the bare bound code', bound, bound, 'MATCH'],
    ['the bare bound code with spaces around it', `  ${bound}\n`, bound, 'MATCH'],
    ['the URL form of another code', codeUrl(other), bound, 'MISMATCH'],
    ['another bare code', other, bound, 'MISMATCH'],
    ['a code where the spot has no bound code', bound, null, 'MISMATCH'],
    ['a code where the bound code is empty', bound, '', 'MISMATCH'],
    ['some other URL', 'https://example.com/pay?id=1', bound, 'NOT_A_CODE'],
    ['the URL on another host', `https://evil.example/mc/${bound}`, bound, 'NOT_A_CODE'],
    ['the URL over plain http', `http://marketing.alipayplus.example/mc/${bound}`, bound, 'NOT_A_CODE'],
    ['a code in lower case', bound.toLowerCase(), bound, 'NOT_A_CODE'],
    ['a code one character short', bound.slice(0, -1), bound, 'NOT_A_CODE'],
    ['a code one character long', `${bound}0`, bound, 'NOT_A_CODE'],
    ['free text', 'hello', bound, 'NOT_A_CODE'],
    ['nothing (empty string)', '', bound, 'NOT_SCANNED'],
    ['nothing (null)', null, bound, 'NOT_SCANNED'],
    ['nothing (undefined)', undefined, bound, 'NOT_SCANNED'],
  ])('%s → %s', (_label, scanned, boundCode, expected) => {
    // as the server compares: the scan read with its format (here the development one)
    expect(compareCodes(scanned, boundCode, marketingCodeReader(DEVELOPMENT_MARKETING_CODE_FORMAT).read)).toBe(expected)
  })

  it('the app’s drafts hold codes it read already: compared as they are', () => {
    expect([compareCodes(bound, bound), compareCodes(other, bound), compareCodes('', bound)]).toEqual(['MATCH', 'MISMATCH', 'NOT_SCANNED'])
  })
})

describe('distanceMeters and the far-from-store threshold', () => {
  const a = { latitude: 1.3, longitude: 103.85 }

  it('is 0 for the same point', () => {
    expect(distanceMeters(a, a)).toBe(0)
    expect(distanceMeters(MC_STORE_LOCATION, { ...MC_STORE_LOCATION })).toBe(0)
  })

  it('is about 111 km per degree of latitude (whole metres)', () => {
    const d = distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 })
    expect(d).toBeGreaterThan(110_500)
    expect(d).toBeLessThan(111_500)
    expect(Number.isInteger(d)).toBe(true)
    expect(distanceMeters({ latitude: 45, longitude: 10 }, { latitude: 46, longitude: 10 })).toBe(d)
  })

  it('is symmetric', () => {
    const pairs = [
      [a, { latitude: 1.31, longitude: 103.86 }],
      [
        { latitude: -33.86, longitude: 151.21 },
        { latitude: 51.5, longitude: -0.12 },
      ],
      [DEVICE_LOCATION, MC_STORE_LOCATION],
    ]
    for (const [p, q] of pairs) expect(distanceMeters(p, q)).toBe(distanceMeters(q, p))
  })

  it('gives about 5.6 km between the fake device and the Marketing Code task’s store', () => {
    const d = distanceMeters(DEVICE_LOCATION, MC_STORE_LOCATION)
    expect(d).toBeGreaterThan(5_500)
    expect(d).toBeLessThan(5_600)
    expect(d).toBeGreaterThan(FAR_FROM_STORE_METERS)
  })

  it('flags beyond 200 m', () => {
    expect(FAR_FROM_STORE_METERS).toBe(200)
    // about 150 m and 250 m north of the store
    expect(distanceMeters(a, { latitude: 1.3 + 0.00135, longitude: 103.85 })).toBeLessThan(FAR_FROM_STORE_METERS)
    expect(distanceMeters(a, { latitude: 1.3 + 0.00225, longitude: 103.85 })).toBeGreaterThan(FAR_FROM_STORE_METERS)
  })

  it('distanceFromStore is null without a device location', () => {
    const task = mcTask()
    const draft = newInspectionDraft(task, 'c', FIXED_NOW.toISOString())
    expect(distanceFromStore(draft, task)).toBeNull()
    draft.store.location = { ...DEVICE_LOCATION }
    expect(distanceFromStore(draft, task)).toBe(distanceMeters(DEVICE_LOCATION, MC_STORE_LOCATION))
  })
})

describe('feedbackRequired: written feedback whenever something is wrong', () => {
  const comparisons: CodeComparison[] = ['MATCH', 'MISMATCH', 'NOT_A_CODE', 'NOT_SCANNED']
  it.each<[SpotCondition | '', CodeComparison, boolean, boolean]>([
    ['', 'MISMATCH', true, false],
    ['', 'NOT_SCANNED', false, false],
    ['PRESENT', 'MATCH', true, false],
    ['PRESENT', 'MISMATCH', true, true],
    ['PRESENT', 'NOT_SCANNED', true, false],
    ['PRESENT', 'NOT_A_CODE', true, false],
    ['PRESENT', 'MISMATCH', false, false],
    ['PRESENT', 'NOT_SCANNED', false, false],
  ])('%s, %s, Marketing Code %s → %s', (condition, comparison, isCode, expected) => {
    expect(feedbackRequired(condition, comparison, isCode)).toBe(expected)
  })

  it.each<SpotCondition>(['MISSING', 'DAMAGED', 'MOVED'])('%s always needs feedback, whatever the code and product', (condition) => {
    for (const comparison of comparisons) {
      expect(feedbackRequired(condition, comparison, true)).toBe(true)
      expect(feedbackRequired(condition, comparison, false)).toBe(true)
    }
  })
})

describe('the inspection draft and its guards', () => {
  it('starts on the store step with one empty result per spot of the task', () => {
    const task = mcTask()
    const draft = newInspectionDraft(task, 'i-1', FIXED_NOW.toISOString())
    expect(INSPECTION_STEPS).toEqual(['store', 'spots', 'payment', 'summary'])
    expect(draft).toEqual({
      taskId: MC_TASK,
      clientId: 'i-1',
      step: 'store',
      updatedAt: FIXED_NOW.toISOString(),
      // the visit's start, sent with the payment evidence
      startedAt: FIXED_NOW.toISOString(),
      store: { open: null, sameStore: null, storefrontPhoto: null, location: null, feedback: '' },
      spots: [
        { index: 0, condition: '', photo: null, scannedCode: '', feedback: '' },
        { index: 1, condition: '', photo: null, scannedCode: '', feedback: '' },
      ],
      payment: { MPM: { reference: '', photo: null, result: null }, UPM: { reference: '', photo: null, result: null } },
      paymentTool: null,
    })
  })

  it('store: both choices and a storefront photo; feedback when closed or another store; at most 500 characters', () => {
    const draft = newInspectionDraft(mcTask(), 'i-1', FIXED_NOW.toISOString())
    expect(validateInspectionStore(draft)).toEqual({
      'store.open': 'CHOICE_REQUIRED',
      'store.sameStore': 'CHOICE_REQUIRED',
      'store.storefrontPhotoId': 'PHOTO_REQUIRED',
    })
    draft.store.open = true
    draft.store.sameStore = true
    draft.store.storefrontPhoto = photo('kept:front.jpg')
    expect(validateInspectionStore(draft)).toEqual({})
    draft.store.open = false
    expect(validateInspectionStore(draft)).toEqual({ 'store.feedback': 'FEEDBACK_REQUIRED' })
    draft.store.feedback = '   '
    expect(validateInspectionStore(draft)).toEqual({ 'store.feedback': 'FEEDBACK_REQUIRED' })
    draft.store.feedback = 'Closed for renovation'
    expect(validateInspectionStore(draft)).toEqual({})
    draft.store = { ...draft.store, open: true, sameStore: false, feedback: '' }
    expect(validateInspectionStore(draft)).toEqual({ 'store.feedback': 'FEEDBACK_REQUIRED' })
    draft.store.feedback = 'x'.repeat(501)
    expect(validateInspectionStore(draft)).toEqual({ 'store.feedback': 'TEXT_TOO_LONG' })
  })

  it('spots: a condition and a photo each; a code when a Marketing Code is present; feedback when wrong', () => {
    const task = mcTask()
    const draft = newInspectionDraft(task, 'i-1', FIXED_NOW.toISOString())
    expect(validateInspectionSpots(draft, task)).toEqual({
      'spots.0.condition': 'CHOICE_REQUIRED',
      'spots.0.photoId': 'PHOTO_REQUIRED',
      'spots.1.condition': 'CHOICE_REQUIRED',
      'spots.1.photoId': 'PHOTO_REQUIRED',
    })
    draft.spots[0] = { ...draft.spots[0], condition: 'PRESENT', photo: photo('kept:s0.jpg') }
    draft.spots[1] = { ...draft.spots[1], condition: 'MISSING', photo: photo('kept:s1.jpg') }
    expect(validateInspectionSpots(draft, task)).toEqual({ 'spots.0.scannedCode': 'CODE_REQUIRED', 'spots.1.feedback': 'FEEDBACK_REQUIRED' })
    draft.spots[0].scannedCode = BOUND_CODES[1]
    expect(validateInspectionSpots(draft, task)).toEqual({ 'spots.0.feedback': 'FEEDBACK_REQUIRED', 'spots.1.feedback': 'FEEDBACK_REQUIRED' })
    draft.spots[0].feedback = 'The sticker of the entrance was moved to the counter'
    draft.spots[1].feedback = 'Gone'
    expect(validateInspectionSpots(draft, task)).toEqual({})
    draft.spots[0] = { ...draft.spots[0], scannedCode: BOUND_CODES[0], feedback: '' }
    expect(validateInspectionSpots(draft, task)).toEqual({})
  })

  it('spots of a Primary POSM task need no code', () => {
    const task = posmTask()
    const draft = newInspectionDraft(task, 'i-1', FIXED_NOW.toISOString())
    draft.spots[0] = { ...draft.spots[0], condition: 'PRESENT', photo: photo('kept:s0.jpg') }
    expect(validateInspectionSpots(draft, task)).toEqual({})
    draft.spots[0].condition = 'DAMAGED'
    expect(validateInspectionSpots(draft, task)).toEqual({ 'spots.0.feedback': 'FEEDBACK_REQUIRED' })
  })

  it('payment: both modes passed', () => {
    const draft = completeDraft()
    expect(validateInspectionPayment(draft)).toEqual({})
    draft.payment.UPM.result = verification('pv-3', 'UPM', 'FAILED')
    expect(validateInspectionPayment(draft)).toEqual({ payment: 'PAYMENT_NOT_VERIFIED' })
    draft.payment.UPM.result = null
    expect(validateInspectionPayment(draft)).toEqual({ payment: 'PAYMENT_NOT_VERIFIED' })
  })

  it('the summary checks every step at once', () => {
    const task = mcTask()
    const draft = completeDraft(task)
    for (const step of INSPECTION_STEPS) expect(validateInspectionStep(step, draft, task)).toEqual({})
    draft.store.open = null
    draft.spots[1].photo = null
    draft.payment.MPM.result = null
    expect(validateInspectionStep('summary', draft, task)).toEqual({
      'store.open': 'CHOICE_REQUIRED',
      'spots.1.photoId': 'PHOTO_REQUIRED',
      payment: 'PAYMENT_NOT_VERIFIED',
    })
  })

  it('toInspectionSubmission: local paths for photos, the distance, trimmed feedback, the passed verifications; the body passes the schema', () => {
    const task = mcTask()
    const draft = completeDraft(task)
    draft.spots[1] = { ...draft.spots[1], condition: 'MISSING', scannedCode: '', feedback: '  Not on the wall any more  ' }
    draft.payment.MPM.result = verification('pv-9', 'MPM', 'FAILED')
    const submission = toInspectionSubmission(draft, task)
    expect(submission).toEqual({
      clientId: 'i-client-1',
      store: {
        open: true,
        sameStore: true,
        storefrontPhotoId: 'kept:front.jpg',
        location: DEVICE_LOCATION,
        distanceMeters: distanceMeters(DEVICE_LOCATION, MC_STORE_LOCATION),
        feedback: '',
      },
      spots: [
        { index: 0, condition: 'PRESENT', photoId: 'kept:spot0.jpg', scannedCode: BOUND_CODES[0], feedback: '' },
        { index: 1, condition: 'MISSING', photoId: 'kept:spot1.jpg', feedback: 'Not on the wall any more' },
      ],
      paymentVerificationIds: ['pv-2'],
    })
    expect(validate(InspectionSubmissionSchema, submission)).toMatchObject({ ok: true })
    expect(inspectionPhotos(draft).map((p) => p.localPath)).toEqual(['kept:front.jpg', 'kept:spot0.jpg', 'kept:spot1.jpg'])
  })

  it('without a device location the submission has neither location nor distance, and still passes the schema', () => {
    const task = mcTask()
    const draft = completeDraft(task)
    draft.store.location = null
    const submission = toInspectionSubmission(draft, task)
    expect(submission.store).toMatchObject({ location: null, distanceMeters: null })
    expect(validate(InspectionSubmissionSchema, submission)).toMatchObject({ ok: true })
  })

  it('the schema refuses a wrong spot without feedback and a submission without spots', () => {
    const task = mcTask()
    const draft = completeDraft(task)
    draft.spots[0].condition = 'DAMAGED'
    expect(validate(InspectionSubmissionSchema, toInspectionSubmission(draft, task))).toEqual({
      ok: false,
      fields: { 'spots.0.feedback': 'FEEDBACK_REQUIRED' },
    })
    const none = { ...toInspectionSubmission(completeDraft(task), task), spots: [] }
    expect(validate(InspectionSubmissionSchema, none)).toEqual({ ok: false, fields: { spots: 'SPOT_RESULTS_INCOMPLETE' } })
  })
})
