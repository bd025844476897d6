/**
 * Property-based tests of the shared validators (packages/contract/schemas.ts): for any input, hostile or not,
 * `validate()` never throws and answers either `ok` or per-field codes that are all in ERROR_CODES; valid
 * inputs (generated) are accepted, and what they normalise to is accepted again unchanged.
 */
import fc from 'fast-check'
import type * as v from 'valibot'
import { ERROR_CODES } from '../../packages/contract/errors'
// phone numbers checked as the server checks them (server/src/errors.ts loads the same check)
import { enablePhoneValidation } from '../../packages/contract/rules/phone-check'
import { SPOT_CONDITIONS } from '../../packages/contract/inspection'
import { DEVELOPMENT_MARKETING_CODE_FORMAT } from '../../packages/contract/rules/marketing-code-dev'
import { marketingCodeReader } from '../../packages/contract/rules/marketing-code'
import { ApiError } from '../../server/src/errors'
import { parseSubmission } from '../../server/src/services/promotions'
import {
  AppealSchema,
  AssociationRequestSchema,
  InspectionSubmissionSchema,
  MerchantSchema,
  PaymentVerificationSchema,
  PhoneSchema,
  PromotionCreateSchema,
  ResubmissionSchema,
  StoreSchema,
  validate,
} from '../../packages/contract/schemas'
import {
  EXAMPLE_PHONES,
  HOSTILE_STRINGS,
  PROGRAM_COUNTRIES,
  WORLD_PHONES,
  deeplyNested,
  hostileString,
  hostileValue,
  hugeString,
  mutated,
  validAppeal,
  validAssociation,
  validInspection,
  validMarketingCode,
  validMerchant,
  validPayment,
  validPhone,
  validStore,
  validSubmission,
} from './campaign-helpers'

enablePhoneValidation()

// Property runs are short (well under a second each) but the machine may be busy: leave them room.
jest.setTimeout(30_000)

const RUNS = 200
const KNOWN = new Set<string>(ERROR_CODES)
/** A validator that takes longer than this on one input is a denial of service waiting to happen. */
const SLOW_MS = 1500

/** validate() with the campaign's invariants: never throws, fast, `ok` or known per-field codes on known keys. */
function check<S extends v.GenericSchema>(schema: S, input: unknown, topKeys: readonly string[]): ReturnType<typeof validate<S>> {
  const started = Date.now()
  let outcome: ReturnType<typeof validate<S>>
  try {
    outcome = validate(schema, input)
  } catch (error) {
    throw new Error(`validate() threw ${String(error)}`)
  }
  const took = Date.now() - started
  if (took > SLOW_MS) throw new Error(`validate() took ${took} ms`)
  if (outcome.ok) return outcome
  const entries = Object.entries(outcome.fields)
  if (entries.length === 0) throw new Error('refused without naming a field')
  for (const [key, code] of entries) {
    if (!KNOWN.has(code as string)) throw new Error(`fields["${key}"] = ${String(code)} is not in ERROR_CODES`)
    const top = key.split('.')[0]
    if (top !== '_' && !topKeys.includes(top)) throw new Error(`fields["${key}"] names no field of the schema`)
  }
  return outcome
}

// ---- the schemas under test --------------------------------------------------------------------------

interface Case {
  name: string
  schema: v.GenericSchema
  keys: readonly string[]
  valid: fc.Arbitrary<unknown>
}

const submissionKeys = ['clientId', 'product', 'store', 'merchant', 'spots']

const CASES: Case[] = [
  { name: 'AssociationRequestSchema', schema: AssociationRequestSchema, keys: ['isoEmail', 'name', 'phone'], valid: validAssociation },
  { name: 'PhoneSchema', schema: PhoneSchema, keys: [], valid: validPhone },
  {
    name: 'StoreSchema',
    schema: StoreSchema,
    keys: ['name', 'address', 'category', 'wallets', 'managerConsent', 'openingTime', 'closingTime', 'location', 'storefrontPhotoId'],
    valid: validStore(),
  },
  { name: 'MerchantSchema', schema: MerchantSchema, keys: ['contactName', 'contactPhone', 'legalName', 'acquirerMerchantId', 'notes'], valid: validMerchant },
  { name: 'PaymentVerificationSchema', schema: PaymentVerificationSchema, keys: ['mode', 'tool', 'reference', 'photoId', 'wallets'], valid: validPayment },
  { name: 'PromotionCreateSchema', schema: PromotionCreateSchema, keys: [...submissionKeys, 'paymentVerificationIds'], valid: validSubmission(true) },
  { name: 'AppealSchema', schema: AppealSchema, keys: ['clientId', 'reason', 'photoIds'], valid: validAppeal },
  { name: 'ResubmissionSchema', schema: ResubmissionSchema, keys: submissionKeys, valid: validSubmission(false) },
  {
    name: 'InspectionSubmissionSchema',
    schema: InspectionSubmissionSchema,
    keys: ['clientId', 'store', 'spots', 'paymentVerificationIds'],
    valid: validInspection,
  },
]

describe.each(CASES)('$name', ({ schema, keys, valid }) => {
  it('accepts every valid input (generated)', () => {
    fc.assert(
      fc.property(valid, (input) => {
        const outcome = check(schema, input, keys)
        if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.fields)}`)
      }),
      { numRuns: RUNS },
    )
  })

  it('accepts what it normalised, unchanged (validation is idempotent)', () => {
    fc.assert(
      fc.property(valid, (input) => {
        const first = check(schema, input, keys)
        if (!first.ok) throw new Error(`refused: ${JSON.stringify(first.fields)}`)
        const again = check(schema, first.value, keys)
        if (!again.ok) throw new Error(`normalised value refused: ${JSON.stringify(again.fields)}`)
        expect(again.value).toEqual(first.value)
      }),
      { numRuns: 100 },
    )
  })

  it('never throws on any value, and refuses with known codes only', () => {
    fc.assert(
      fc.property(hostileValue(), (input) => {
        check(schema, input, keys)
      }),
      { numRuns: RUNS * 2 },
    )
  })

  it('never throws when any field is hostile (every key present, each a hostile value)', () => {
    if (keys.length === 0) return
    const record = fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue()])) as Record<string, fc.Arbitrary<unknown>>)
    fc.assert(
      fc.property(record, (input) => {
        const outcome = check(schema, input, keys)
        // a record of hostile values could only pass with a valid value on every key: hostile values rarely are
        if (outcome.ok) return
        expect(Object.keys(outcome.fields).length).toBeGreaterThan(0)
      }),
      { numRuns: RUNS },
    )
  })

  it('never throws on a valid input with one field (or nested field) replaced or removed', () => {
    if (keys.length === 0) return
    fc.assert(
      fc.property(mutated(valid as fc.Arbitrary<Record<string, unknown>>), (input) => {
        check(schema, input, keys)
      }),
      { numRuns: RUNS * 2 },
    )
  })

  it('reports a missing field as REQUIRED under its own key', () => {
    if (keys.length === 0) return
    fc.assert(
      fc.property(valid as fc.Arbitrary<Record<string, unknown>>, fc.constantFrom(...keys), (input, key) => {
        const copy: Record<string, unknown> = { ...input }
        delete copy[key]
        const outcome = check(schema, copy, keys)
        if (outcome.ok) throw new Error(`accepted without ${key}`)
        // the variant schemas report a missing discriminator (product) as a whole-object failure
        if (key === 'product') return
        expect(outcome.fields[key]).toBe('REQUIRED')
      }),
      { numRuns: 60 },
    )
  })

  it('refuses arrays, strings, numbers, null and deep nesting in place of the payload', () => {
    const notAnObject = [[], [{}], 'x', 0, NaN, Infinity, -Infinity, null, undefined, true, deeplyNested(5000), deeplyNested(5000, 'array'), ...HOSTILE_STRINGS]
    for (const input of notAnObject) {
      const outcome = check(schema, input, keys)
      if (keys.length > 0 || typeof input !== 'string') expect(outcome.ok).toBe(false)
    }
  })
})

// ---- rules of individual fields ------------------------------------------------------------------------

describe('field rules under hostile input', () => {
  const hasControl = (s: string) => /[\u0000-\u001f\u007f-\u009f]/.test(s) // eslint-disable-line no-control-regex

  it('accepts the example mobile number of every program country, in E.164 and international format', () => {
    expect(EXAMPLE_PHONES.length).toBe(2 * PROGRAM_COUNTRIES.length)
    for (const phone of EXAMPLE_PHONES) expect([phone, validate(PhoneSchema, phone)]).toEqual([phone, { ok: true, value: phone }])
  })

  it('answers any country’s number with ok or a phone code, and accepts it in every format once it accepts it in one', () => {
    for (const phone of WORLD_PHONES) {
      const outcome = check(PhoneSchema, phone, [])
      if (!outcome.ok) {
        expect(outcome.fields).toEqual({ _: 'PHONE_INVALID' })
        continue
      }
      const spaced = phone.replace(/^(\+\d{2})(\d{3})(\d+)$/, '$1 $2 $3')
      expect(check(PhoneSchema, `  ${spaced}\t`, []).ok).toBe(true)
    }
  })

  it('refuses a phone without "+" as PHONE_NOT_INTERNATIONAL, and junk as a phone code', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLE_PHONES), (phone) => {
        const outcome = validate(PhoneSchema, phone.replace('+', ''))
        expect(outcome).toEqual({ ok: false, fields: { _: 'PHONE_NOT_INTERNATIONAL' } })
      }),
      { numRuns: 50 },
    )
    fc.assert(
      fc.property(hostileString(), (s) => {
        const outcome = check(PhoneSchema, s, [])
        if (outcome.ok) {
          // only a real number in international form gets through
          expect(s.trim().startsWith('+')).toBe(true)
          expect(s.trim().length).toBeLessThanOrEqual(24)
        } else expect(['REQUIRED', 'PHONE_INVALID', 'PHONE_NOT_INTERNATIONAL']).toContain(outcome.fields._)
      }),
      { numRuns: RUNS },
    )
  })

  it('never lets control characters or markup into a staff name', () => {
    fc.assert(
      fc.property(validAssociation, hostileString(), (body, name) => {
        const outcome = check(AssociationRequestSchema, { ...body, name }, ['isoEmail', 'name', 'phone'])
        if (outcome.ok) {
          expect(hasControl(outcome.value.name)).toBe(false)
          expect(outcome.value.name).not.toMatch(/[<>{}]/)
          expect(outcome.value.name.length).toBeGreaterThanOrEqual(2)
          expect(outcome.value.name.length).toBeLessThanOrEqual(64)
        } else expect(['REQUIRED', 'NAME_TOO_SHORT', 'NAME_TOO_LONG', 'NAME_INVALID']).toContain(outcome.fields.name)
      }),
      { numRuns: RUNS },
    )
  })

  it('never lets a control character into a store name or address, nor a text over its limit', () => {
    fc.assert(
      fc.property(validStore(), hostileString(), fc.constantFrom('name', 'address'), (store, text, key) => {
        const outcome = check(StoreSchema, { ...store, [key]: text }, Object.keys(store))
        if (outcome.ok) {
          const value = outcome.value[key as 'name' | 'address']
          expect(hasControl(value)).toBe(false)
          expect(value.length).toBeLessThanOrEqual(key === 'name' ? 100 : 200)
        } else expect(['REQUIRED', 'NAME_TOO_SHORT', 'TEXT_TOO_LONG', 'NAME_INVALID']).toContain(outcome.fields[key])
      }),
      { numRuns: RUNS },
    )
  })

  it('keeps photo ids to 64 characters and payment references to AP + 18 digits', () => {
    fc.assert(
      fc.property(validPayment, hostileString(), hostileString(), (body, photoId, reference) => {
        const outcome = check(PaymentVerificationSchema, { ...body, photoId, reference }, Object.keys(body))
        if (outcome.ok) {
          expect(outcome.value.photoId.length).toBeLessThanOrEqual(64)
          expect(outcome.value.photoId.length).toBeGreaterThan(0)
          expect(outcome.value.reference).toMatch(/^AP\d{18}$/)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('reads a Marketing Code (URL or bare) with the server’s format as the bare code, and refuses anything else as CODE_INVALID', () => {
    const codes = marketingCodeReader(DEVELOPMENT_MARKETING_CODE_FORMAT)
    fc.assert(
      fc.property(validSubmission(true), fc.oneof(hostileString(), validMarketingCode), (body, code) => {
        if (body.product !== 'MARKETING_CODE') return
        const spots = body.spots.map((s, i) => (i === 0 ? { ...s, marketingCode: code } : s))
        let parsed: { spots: Array<{ marketingCode?: string }> }
        try {
          parsed = parseSubmission(PromotionCreateSchema, { ...body, spots }, codes) as typeof parsed
        } catch (error) {
          expect(error).toBeInstanceOf(ApiError)
          const refused = (error as ApiError).fields?.['spots.0.marketingCode']
          // the only other refusal a changed code can cause: it repeats another spot's code
          if (refused === 'CODE_DUPLICATE') expect(spots.slice(1).map((s) => (s as { marketingCode: string }).marketingCode)).toContain(codes.read(code))
          else expect(refused).toBe('CODE_INVALID')
          return
        }
        expect(parsed.spots[0].marketingCode).toMatch(/^APMC[0-9A-Z]{10}$/)
        expect(parsed.spots[0].marketingCode).toBe(codes.read(code))
      }),
      { numRuns: RUNS },
    )
  })

  it('refuses a submission whose photos repeat as PHOTO_REPEATED (whole submission)', () => {
    fc.assert(
      fc.property(validSubmission(true), fc.nat(), (body, pick) => {
        const i = pick % body.spots.length
        const spots = body.spots.map((s, j) => (j === i ? { ...s, photoId: body.store.storefrontPhotoId } : s))
        expect(validate(PromotionCreateSchema, { ...body, spots })).toEqual({ ok: false, fields: { _: 'PHOTO_REPEATED' } })
      }),
      { numRuns: 60 },
    )
  })

  it('requires feedback for every spot that is not PRESENT', () => {
    fc.assert(
      fc.property(
        validInspection,
        fc.constantFrom(...SPOT_CONDITIONS.filter((c) => c !== 'PRESENT')),
        fc.constantFrom('', '  ', '\n\t'),
        (body, condition, blank) => {
          const spots = body.spots.map((s, i) => (i === 0 ? { ...s, condition, feedback: blank } : s))
          const outcome = check(InspectionSubmissionSchema, { ...body, spots }, ['clientId', 'store', 'spots', 'paymentVerificationIds'])
          expect(outcome.ok).toBe(false)
          if (!outcome.ok) expect(outcome.fields['spots.0.feedback']).toBe('FEEDBACK_REQUIRED')
        },
      ),
      { numRuns: 60 },
    )
  })

  it('treats NaN, ±Infinity and out-of-range numbers in a location as LOCATION_REQUIRED', () => {
    fc.assert(
      fc.property(
        validStore(),
        fc.constantFrom(NaN, Infinity, -Infinity, 90.0001, -90.5, 1e308),
        fc.constantFrom('latitude', 'longitude'),
        (store, bad, key) => {
          if (key === 'longitude' && Math.abs(bad) <= 180) return
          const outcome = check(StoreSchema, { ...store, location: { ...store.location, [key]: bad } }, Object.keys(store))
          expect(outcome).toEqual({ ok: false, fields: { [`location.${key}`]: 'LOCATION_REQUIRED' } })
        },
      ),
      { numRuns: 60 },
    )
  })

  it('handles 100 000-character values in every text field quickly', () => {
    fc.assert(
      fc.property(validAppeal, hugeString(100_000), (body, huge) => {
        const outcome = check(AppealSchema, { ...body, reason: huge, clientId: huge, photoIds: [huge] }, ['clientId', 'reason', 'photoIds'])
        expect(outcome.ok).toBe(false)
      }),
      { numRuns: 20 },
    )
  })
})
