/**
 * Issue 26 item 5: the evidence summary rule (evidence/summary.ts) — each reason, its weight, and the level it
 * gives; pure, no database.
 */
import { evidenceSummary, type SummaryFacts, type SummaryFlag, type SummaryPhoto } from '../../server/src/evidence/summary'
import { HIGH_REJECTION_RATE, inspectionRisk, MIN_DECIDED_FOR_RATE, riskReasonText } from '../../server/src/services/inspection-risk'

const looked = (mode: 'MPM' | 'UPM') => ({ mode, status: 'PASSED' as const, checkedBy: 'ALIPAY_PLUS' as const, reviewStatus: null })
const photo = (field: string, uploadId: string, check: Partial<NonNullable<SummaryPhoto['check']>> = {}): SummaryPhoto => ({
  field,
  uploadId,
  check: { qualityIssue: null, kept: null, codeCheck: null, ...check },
})
const flag = (kind: SummaryFlag['kind'], over: Partial<SummaryFlag> = {}): SummaryFlag => ({
  kind,
  field: 'store.storefrontPhotoId',
  uploadId: 'upl-store',
  otherPromotionId: null,
  hashDistance: null,
  meters: null,
  accuracy: null,
  ...over,
})
const facts = (over: Partial<SummaryFacts> = {}): SummaryFacts => ({
  photos: [photo('store.storefrontPhotoId', 'upl-store'), photo('spots.0.photoId', 'upl-spot0', { codeCheck: 'MATCH' })],
  flags: [],
  payments: [looked('MPM'), looked('UPM')],
  requiredModes: ['MPM', 'UPM'],
  staffDecided: 10,
  staffRejected: 0,
  ...over,
})

describe('the evidence summary of a submission', () => {
  it('is GOOD, with no reason, when the checks passed, the payments were looked up and nothing was flagged', () => {
    expect(evidenceSummary(facts())).toEqual({ level: 'GOOD', reasons: [] })
    // a photo that could not be checked, and a simulated lookup (development), are no reason either
    expect(
      evidenceSummary(
        facts({
          photos: [{ field: 'store.storefrontPhotoId', uploadId: 'u', check: null }],
          payments: [{ ...looked('MPM'), checkedBy: 'SIMULATOR' }, looked('UPM')],
        }),
      ).level,
    ).toBe('GOOD')
  })

  it('is WEAK when a spot photo shows another code than the one scanned, naming that photo', () => {
    const s = evidenceSummary(
      facts({ photos: [photo('store.storefrontPhotoId', 'upl-store'), photo('spots.1.photoId', 'upl-spot1', { codeCheck: 'DIFFERENT' })] }),
    )
    expect(s).toEqual({ level: 'WEAK', reasons: [{ kind: 'CODE_DIFFERENT', field: 'spots.1.photoId', uploadId: 'upl-spot1' }] })
  })

  it('is WEAK for a mock location or a photo like an earlier one of the same store', () => {
    expect(evidenceSummary(facts({ flags: [flag('LOCATION_MOCKED')] }))).toEqual({
      level: 'WEAK',
      reasons: [{ kind: 'LOCATION_MOCKED', field: 'store.storefrontPhotoId', uploadId: 'upl-store' }],
    })
    const like = evidenceSummary(
      facts({
        flags: [flag('PHOTO_LOOKS_LIKE_SAME_STORE', { field: 'spots.0.photoId', uploadId: 'upl-spot0', otherPromotionId: 'prm-old', hashDistance: 3 })],
      }),
    )
    expect(like).toEqual({
      level: 'WEAK',
      reasons: [{ kind: 'PHOTO_LIKE_SAME_STORE', field: 'spots.0.photoId', uploadId: 'upl-spot0', otherPromotionId: 'prm-old', bits: 3 }],
    })
  })

  it('is WEAK for a failed payment or one a reviewer rejected, naming the mode', () => {
    expect(evidenceSummary(facts({ payments: [looked('MPM'), { ...looked('UPM'), status: 'FAILED' }] }))).toEqual({
      level: 'WEAK',
      reasons: [{ kind: 'PAYMENT_FAILED', field: 'payment.UPM', mode: 'UPM' }],
    })
    expect(evidenceSummary(facts({ payments: [{ ...looked('MPM'), checkedBy: 'REVIEWER', reviewStatus: 'REJECTED' }, looked('UPM')] }))).toEqual({
      level: 'WEAK',
      reasons: [{ kind: 'PAYMENT_REJECTED', field: 'payment.MPM', mode: 'MPM' }],
    })
  })

  it('says LOOK_CLOSELY for each lesser reason on its own', () => {
    const one = (over: Partial<SummaryFacts>) => evidenceSummary(facts(over))
    expect(one({ photos: [photo('store.storefrontPhotoId', 'upl-store', { qualityIssue: 'BLURRED', kept: 1 })] })).toEqual({
      level: 'LOOK_CLOSELY',
      reasons: [{ kind: 'PHOTO_QUALITY_KEPT', field: 'store.storefrontPhotoId', uploadId: 'upl-store', issue: 'BLURRED', confirmed: true }],
    })
    expect(one({ photos: [photo('spots.0.photoId', 'upl-spot0', { qualityIssue: 'DARK', kept: 0 })] }).reasons).toEqual([
      { kind: 'PHOTO_QUALITY_KEPT', field: 'spots.0.photoId', uploadId: 'upl-spot0', issue: 'DARK', confirmed: false },
    ])
    expect(one({ photos: [photo('spots.0.photoId', 'upl-spot0', { codeCheck: 'NONE' })] })).toEqual({
      level: 'LOOK_CLOSELY',
      reasons: [{ kind: 'CODE_NOT_READABLE', field: 'spots.0.photoId', uploadId: 'upl-spot0' }],
    })
    expect(one({ flags: [flag('LOCATION_FAR', { meters: 912_000, accuracy: 8 })] })).toEqual({
      level: 'LOOK_CLOSELY',
      reasons: [{ kind: 'LOCATION_FAR', field: 'store.storefrontPhotoId', uploadId: 'upl-store', meters: 912_000 }],
    })
    expect(one({ flags: [flag('LOCATION_POOR_ACCURACY', { field: 'store.location', uploadId: null, accuracy: 250 })] })).toEqual({
      level: 'LOOK_CLOSELY',
      reasons: [{ kind: 'LOCATION_POOR_ACCURACY', field: 'store.location', uploadId: null, accuracy: 250 }],
    })
    expect(one({ flags: [flag('LOCATION_UNKNOWN')] }).reasons).toEqual([{ kind: 'LOCATION_UNKNOWN', field: 'store.storefrontPhotoId', uploadId: 'upl-store' }])
    expect(one({ payments: [{ ...looked('MPM'), checkedBy: 'REVIEWER', reviewStatus: 'CONFIRMED' }, looked('UPM')] })).toEqual({
      level: 'LOOK_CLOSELY',
      reasons: [{ kind: 'PAYMENT_BY_REVIEWER', field: 'payment.MPM', mode: 'MPM' }],
    })
    expect(one({ payments: [looked('MPM')] })).toEqual({ level: 'LOOK_CLOSELY', reasons: [{ kind: 'PAYMENT_MISSING', field: 'payment.UPM', mode: 'UPM' }] })
  })

  it("counts the staff member's rejection rate with the inspections' rule (window, minimum, threshold written once)", () => {
    const decided = 10
    const rejected = Math.ceil(decided * HIGH_REJECTION_RATE)
    expect(evidenceSummary(facts({ staffDecided: decided, staffRejected: rejected }))).toEqual({
      level: 'LOOK_CLOSELY',
      reasons: [{ kind: 'STAFF_REJECTIONS', rejected, decided }],
    })
    expect(evidenceSummary(facts({ staffDecided: decided, staffRejected: rejected - 1 })).level).toBe('GOOD')
    // too few decisions say too little
    expect(evidenceSummary(facts({ staffDecided: MIN_DECIDED_FOR_RATE - 1, staffRejected: MIN_DECIDED_FOR_RATE - 1 })).level).toBe('GOOD')
  })

  it('makes three different reasons to look closely WEAK, and says so; the same reason twice counts once', () => {
    const three = evidenceSummary(
      facts({
        photos: [photo('store.storefrontPhotoId', 'upl-store', { qualityIssue: 'DARK', kept: 1 })],
        flags: [flag('LOCATION_FAR', { meters: 450 })],
        payments: [looked('MPM')],
      }),
    )
    expect(three.level).toBe('WEAK')
    expect(three.reasons.map((r) => r.kind)).toEqual(['MANY_CONCERNS', 'PHOTO_QUALITY_KEPT', 'LOCATION_FAR', 'PAYMENT_MISSING'])
    expect(three.reasons[0]).toEqual({ kind: 'MANY_CONCERNS', count: 3 })

    // no payment at all (both modes missing) and a far photo: two kinds, still LOOK_CLOSELY
    const two = evidenceSummary(facts({ flags: [flag('LOCATION_FAR', { meters: 450 })], payments: [] }))
    expect(two.level).toBe('LOOK_CLOSELY')
    expect(two.reasons.map((r) => r.kind)).toEqual(['LOCATION_FAR', 'PAYMENT_MISSING', 'PAYMENT_MISSING'])
  })

  it('lists the weak reasons first, then the others in the order of the submission', () => {
    const s = evidenceSummary(
      facts({
        photos: [
          photo('store.storefrontPhotoId', 'upl-store', { qualityIssue: 'OVEREXPOSED', kept: 1 }),
          photo('spots.0.photoId', 'upl-spot0', { codeCheck: 'DIFFERENT' }),
        ],
        flags: [flag('LOCATION_MOCKED')],
      }),
    )
    expect(s.level).toBe('WEAK')
    expect(s.reasons.map((r) => r.kind)).toEqual(['CODE_DIFFERENT', 'LOCATION_MOCKED', 'PHOTO_QUALITY_KEPT'])
  })
})

describe("the inspections' proposals by risk", () => {
  it('count weak evidence at review as a reason of its own', () => {
    const base = { approvedAt: '2025-05-20T00:00:00.000Z', staffDecided: 10, staffRejected: 0, paymentsByReviewerOnly: false, inspectedBefore: true }
    const now = new Date('2025-06-01T00:00:00.000Z')
    expect(inspectionRisk(base, now)).toEqual({ score: 0, reasons: [] })
    expect(inspectionRisk({ ...base, weakEvidence: true }, now)).toEqual({ score: 2, reasons: [{ kind: 'WEAK_EVIDENCE' }] })
    expect(riskReasonText({ kind: 'WEAK_EVIDENCE' })).toBe('Weak evidence when it was reviewed (see its evidence summary)')
  })
})
