/**
 * Validation shared by the mini-program and the server: one schema per payload, so that both sides agree
 * on every rule. Messages are error codes (see errors.ts) that the app translates.
 */
import * as v from 'valibot'
import { duplicateCodes, MAX_SCANNED_LENGTH } from './rules/marketing-code'
import { feedbackMissing, feedbackRequired } from './rules/inspection'
import { LOCALES } from './rules/locale'
import { isWellFormedReference } from './rules/payment'
import { TIME_PATTERN } from './rules/policy'
import type { ErrorCode } from './errors'
import { SPOT_CONDITIONS } from './inspection'
import { MATERIAL_TYPES, PRODUCTS, SPOT_POSITIONS, STORE_CATEGORIES, WALLETS } from './promotion'

const code = (c: ErrorCode) => c

/** Control characters (other than ordinary spaces) are never part of a name or an address. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/

export const IsoEmailSchema = v.pipe(
  v.string(code('REQUIRED')),
  v.trim(),
  v.nonEmpty(code('REQUIRED')),
  v.maxLength(254, code('EMAIL_INVALID')),
  v.email(code('EMAIL_INVALID')),
)

export const StaffNameSchema = v.pipe(
  v.string(code('REQUIRED')),
  v.trim(),
  v.nonEmpty(code('REQUIRED')),
  v.minLength(2, code('NAME_TOO_SHORT')),
  v.maxLength(64, code('NAME_TOO_LONG')),
  v.check((s) => !CONTROL_CHARS.test(s) && !/[<>{}]/.test(s), code('NAME_INVALID')),
)

/**
 * Whether a phone number is valid for its country: libphonenumber-js with the program's metadata
 * (rules/phone.ts), set by enablePhoneValidation() of rules/phone-check.ts. The server calls it for its request
 * validation (server/src/errors.ts); the app only in the packages with a phone field (the association form,
 * the promotion wizard), which keeps libphonenumber-js out of the app's start-up. Unset, validating a phone
 * number throws: never a silent pass.
 */
let phoneCheck: ((value: string) => boolean) | null = null

export function setPhoneCheck(check: (value: string) => boolean): void {
  phoneCheck = check
}

function isValidPhone(value: string): boolean {
  if (!phoneCheck) throw new Error('Phone numbers are validated without a phone check: call enablePhoneValidation() (rules/phone-check.ts) first')
  return phoneCheck(value)
}

export const PhoneSchema = v.pipe(
  v.string(code('REQUIRED')),
  v.trim(),
  v.nonEmpty(code('REQUIRED')),
  v.maxLength(24, code('PHONE_INVALID')),
  v.startsWith('+', code('PHONE_NOT_INTERNATIONAL')),
  v.check(isValidPhone, code('PHONE_INVALID')),
)

export const AssociationRequestSchema = v.object({
  isoEmail: IsoEmailSchema,
  name: StaffNameSchema,
  phone: PhoneSchema,
  /** The ISO of the QR code scanned (its link's `iso=`): the ISO Email typed must then be that ISO's. */
  isoId: v.optional(v.pipe(v.string(code('ISO_UNKNOWN')), v.regex(/^[A-Za-z0-9_-]{1,64}$/, code('ISO_UNKNOWN')))),
})

export const RejectReasonSchema = v.pipe(v.string(code('REQUIRED')), v.trim(), v.nonEmpty(code('REQUIRED')), v.maxLength(500, code('TEXT_TOO_LONG')))

export const DingTalkSignInSchema = v.object({
  authCode: v.pipe(v.string(code('REQUIRED')), v.trim(), v.nonEmpty(code('REQUIRED')), v.maxLength(128, code('AUTH_CODE_INVALID'))),
  /** The organisation the app was built for (the corpId it passed to dd.getAuthCode). */
  corpId: v.optional(v.pipe(v.string(code('WRONG_ORGANIZATION')), v.trim(), v.maxLength(64, code('WRONG_ORGANIZATION')))),
})

export const DevSignInSchema = v.object({
  staffId: v.pipe(v.string(code('REQUIRED')), v.nonEmpty(code('REQUIRED')), v.maxLength(64, code('NOT_FOUND'))),
})

export const LocaleSchema = v.picklist(LOCALES)

// ---- promotions -------------------------------------------------------------------------------

const text = (min: number, max: number, tooShort: ErrorCode = 'REQUIRED') =>
  v.pipe(
    v.string(code('REQUIRED')),
    v.trim(),
    v.nonEmpty(code('REQUIRED')),
    v.minLength(min, code(tooShort)),
    v.maxLength(max, code('TEXT_TOO_LONG')),
    v.check((s) => !CONTROL_CHARS.test(s), code('NAME_INVALID')),
  )

const id = v.pipe(v.string(code('PHOTO_REQUIRED')), v.nonEmpty(code('PHOTO_REQUIRED')), v.maxLength(64, code('PHOTO_MISSING')))
const time = v.pipe(v.string(code('TIME_INVALID')), v.regex(TIME_PATTERN, code('TIME_INVALID')))

export const GeoPointSchema = v.object(
  {
    latitude: v.pipe(v.number(code('LOCATION_REQUIRED')), v.minValue(-90, code('LOCATION_REQUIRED')), v.maxValue(90, code('LOCATION_REQUIRED'))),
    longitude: v.pipe(v.number(code('LOCATION_REQUIRED')), v.minValue(-180, code('LOCATION_REQUIRED')), v.maxValue(180, code('LOCATION_REQUIRED'))),
    accuracy: v.nullable(v.pipe(v.number(code('LOCATION_REQUIRED')), v.minValue(0, code('LOCATION_REQUIRED')))),
    mocked: v.boolean(code('LOCATION_REQUIRED')),
  },
  code('LOCATION_REQUIRED'),
)

export const StoreFieldSchemas = {
  name: text(2, 100, 'NAME_TOO_SHORT'),
  address: text(5, 200, 'TEXT_TOO_LONG'),
  category: v.picklist(STORE_CATEGORIES, code('CHOICE_REQUIRED')),
  wallets: v.pipe(
    v.array(v.picklist(WALLETS, code('CHOICE_REQUIRED')), code('WALLETS_REQUIRED')),
    v.minLength(1, code('WALLETS_REQUIRED')),
    v.maxLength(WALLETS.length, code('WALLETS_REQUIRED')),
  ),
  managerConsent: v.literal(true, code('NO_MANAGER_CONSENT')),
  openingTime: time,
  closingTime: time,
  location: GeoPointSchema,
  storefrontPhotoId: id,
}

export const StoreSchema = v.object(StoreFieldSchemas)

/**
 * A Marketing Code as sent: its shape only. Which texts are Marketing Codes is the server's configuration
 * (rules/marketing-code.ts, a MarketingCodeReader): the server reads each code after this schema
 * (server/src/services/marketing-codes.ts), the app reads each scan with the format its session brought.
 */
export const MarketingCodeSchema = v.pipe(
  v.string(code('CODE_INVALID')),
  v.trim(),
  v.nonEmpty(code('CODE_INVALID')),
  v.maxLength(MAX_SCANNED_LENGTH, code('CODE_INVALID')),
)

const spotCommon = {
  position: v.picklist(SPOT_POSITIONS, code('CHOICE_REQUIRED')),
  positionNote: v.optional(v.pipe(v.string(code('TEXT_TOO_LONG')), v.trim(), v.maxLength(100, code('TEXT_TOO_LONG')))),
  photoId: id,
}

export const MarketingCodeSpotSchema = v.object({ ...spotCommon, marketingCode: MarketingCodeSchema })
export const PrimaryPosmSpotSchema = v.object({ ...spotCommon, materialType: v.picklist(MATERIAL_TYPES, code('CHOICE_REQUIRED')) })

export const MerchantSchema = v.object({
  contactName: text(2, 64, 'NAME_TOO_SHORT'),
  contactPhone: PhoneSchema,
  legalName: text(2, 128, 'NAME_TOO_SHORT'),
  acquirerMerchantId: v.pipe(v.string(code('REQUIRED')), v.trim(), v.nonEmpty(code('REQUIRED')), v.regex(/^[A-Za-z0-9-]{4,32}$/, code('MERCHANT_ID_INVALID'))),
  notes: v.pipe(v.string(code('TEXT_TOO_LONG')), v.trim(), v.maxLength(500, code('TEXT_TOO_LONG'))),
})

export const PaymentVerificationSchema = v.object({
  mode: v.picklist(['MPM', 'UPM'] as const, code('CHOICE_REQUIRED')),
  tool: v.picklist(['ALIPAY', 'ALIPAY_PLUS_LINKER'] as const, code('CHOICE_REQUIRED')),
  reference: v.pipe(v.string(code('REQUIRED')), v.trim(), v.nonEmpty(code('REQUIRED')), v.check(isWellFormedReference, code('PAYMENT_REFERENCE_INVALID'))),
  photoId: id,
  wallets: StoreFieldSchemas.wallets,
  startedAt: v.optional(v.pipe(v.string(code('VALIDATION_FAILED')), v.isoTimestamp(code('VALIDATION_FAILED')))),
  sentAt: v.optional(v.pipe(v.string(code('VALIDATION_FAILED')), v.isoTimestamp(code('VALIDATION_FAILED')))),
})

const spotsOf = <S extends v.GenericSchema>(spot: S) =>
  v.pipe(v.array(spot, code('SPOTS_REQUIRED')), v.minLength(1, code('SPOTS_REQUIRED')), v.maxLength(50, code('EXCESSIVE_POSMS')))

const promotionCommon = {
  clientId: v.pipe(v.string(code('VALIDATION_FAILED')), v.regex(/^[A-Za-z0-9_-]{8,64}$/, code('VALIDATION_FAILED'))),
  store: StoreSchema,
  merchant: MerchantSchema,
  paymentVerificationIds: v.pipe(v.array(v.pipe(v.string(), v.maxLength(64)), code('VALIDATION_FAILED')), v.maxLength(10, code('VALIDATION_FAILED'))),
  method: v.optional(v.picklist(['VERIFY_THEN_DEPLOY', 'DEPLOY_THEN_VERIFY'] as const, code('VALIDATION_FAILED'))),
}

/** Every photo of a submission differs from the others (policy: no repeated photos). */
function photosUnique(p: { store: { storefrontPhotoId: string }; spots: Array<{ photoId: string }> }): boolean {
  const ids = [p.store.storefrontPhotoId, ...p.spots.map((s) => s.photoId)]
  return new Set(ids).size === ids.length
}

export const PromotionCreateSchema = v.pipe(
  v.variant(
    'product',
    [
      v.object({ ...promotionCommon, product: v.literal(PRODUCTS[0]), spots: spotsOf(MarketingCodeSpotSchema) }),
      v.object({ ...promotionCommon, product: v.literal(PRODUCTS[1]), spots: spotsOf(PrimaryPosmSpotSchema) }),
    ],
    code('CHOICE_REQUIRED'),
  ),
  v.check((p) => photosUnique(p), code('PHOTO_REPEATED')),
  v.check(
    (p) => p.product !== 'MARKETING_CODE' || duplicateCodes(p.spots.map((s) => ('marketingCode' in s ? s.marketingCode : null))).length === 0,
    code('CODE_DUPLICATE'),
  ),
)

export const AppealSchema = v.object({
  clientId: promotionCommon.clientId,
  reason: v.pipe(
    v.string(code('REQUIRED')),
    v.trim(),
    v.nonEmpty(code('REQUIRED')),
    v.minLength(10, code('APPEAL_TOO_SHORT')),
    v.maxLength(500, code('TEXT_TOO_LONG')),
    v.check((s) => !CONTROL_CHARS.test(s.replace(/[\n\r\t]/g, ' ')), code('NAME_INVALID')),
  ),
  photoIds: v.pipe(
    v.array(v.pipe(v.string(code('PHOTO_MISSING')), v.nonEmpty(code('PHOTO_MISSING')), v.maxLength(64, code('PHOTO_MISSING'))), code('VALIDATION_FAILED')),
    v.maxLength(5, code('VALIDATION_FAILED')),
  ),
})

/** Modify: the same rules as a first submission, without the payment verifications. */
export const ResubmissionSchema = v.pipe(
  v.variant(
    'product',
    [
      v.object({
        clientId: promotionCommon.clientId,
        store: StoreSchema,
        merchant: MerchantSchema,
        product: v.literal(PRODUCTS[0]),
        spots: spotsOf(MarketingCodeSpotSchema),
      }),
      v.object({
        clientId: promotionCommon.clientId,
        store: StoreSchema,
        merchant: MerchantSchema,
        product: v.literal(PRODUCTS[1]),
        spots: spotsOf(PrimaryPosmSpotSchema),
      }),
    ],
    code('CHOICE_REQUIRED'),
  ),
  v.check((p) => photosUnique(p), code('PHOTO_REPEATED')),
  v.check(
    (p) => p.product !== 'MARKETING_CODE' || duplicateCodes(p.spots.map((s) => ('marketingCode' in s ? s.marketingCode : null))).length === 0,
    code('CODE_DUPLICATE'),
  ),
)

const feedbackText = v.pipe(
  v.string(code('TEXT_TOO_LONG')),
  v.trim(),
  v.maxLength(500, code('TEXT_TOO_LONG')),
  v.check((s) => !CONTROL_CHARS.test(s.replace(/[\n\r\t]/g, ' ')), code('NAME_INVALID')),
)

export const InspectionSpotResultSchema = v.pipe(
  v.object({
    index: v.pipe(
      v.number(code('VALIDATION_FAILED')),
      v.integer(code('VALIDATION_FAILED')),
      v.minValue(0, code('VALIDATION_FAILED')),
      v.maxValue(49, code('VALIDATION_FAILED')),
    ),
    condition: v.picklist(SPOT_CONDITIONS, code('CHOICE_REQUIRED')),
    photoId: id,
    scannedCode: v.optional(v.pipe(v.string(code('CODE_INVALID')), v.trim(), v.maxLength(200, code('CODE_INVALID')))),
    feedback: feedbackText,
  }),
  v.forward(
    // what the schema can tell on its own: a spot not present as posted (the code comparison is the server's)
    v.check((s) => !feedbackRequired(s.condition, 'NOT_SCANNED', false) || !feedbackMissing(s.feedback), code('FEEDBACK_REQUIRED')),
    ['feedback'],
  ),
)

export const InspectionSubmissionSchema = v.object({
  clientId: promotionCommon.clientId,
  store: v.object({
    open: v.boolean(code('CHOICE_REQUIRED')),
    sameStore: v.boolean(code('CHOICE_REQUIRED')),
    storefrontPhotoId: id,
    location: v.nullable(GeoPointSchema),
    distanceMeters: v.nullable(v.pipe(v.number(code('VALIDATION_FAILED')), v.minValue(0, code('VALIDATION_FAILED')))),
    feedback: feedbackText,
  }),
  spots: v.pipe(
    v.array(InspectionSpotResultSchema, code('SPOT_RESULTS_INCOMPLETE')),
    v.minLength(1, code('SPOT_RESULTS_INCOMPLETE')),
    v.maxLength(50, code('SPOT_RESULTS_INCOMPLETE')),
  ),
  paymentVerificationIds: promotionCommon.paymentVerificationIds,
})

export type FieldErrors<K extends string = string> = Partial<Record<K, ErrorCode>>

/**
 * Validates `input` against `schema`; on failure answers the first error code of each top-level field
 * (the one a person should fix first). Codes that are not ours become VALIDATION_FAILED.
 */
export function validate<S extends v.GenericSchema>(schema: S, input: unknown): { ok: true; value: v.InferOutput<S> } | { ok: false; fields: FieldErrors } {
  const result = v.safeParse(schema, input)
  if (result.success) return { ok: true, value: result.output }
  const fields: FieldErrors = {}
  for (const issue of result.issues) {
    const key = issue.path?.map((p) => String(p.key)).join('.') || '_'
    if (fields[key]) continue
    // a key missing from an object is reported with the object's message: it is a required field
    const last = issue.path?.[issue.path.length - 1] as { origin?: string } | undefined
    fields[key] = last?.origin === 'key' && issue.input === undefined ? 'REQUIRED' : toCode(issue.message)
  }
  return { ok: false, fields }
}

function toCode(message: string): ErrorCode {
  return /^[A-Z_]+$/.test(message) ? (message as ErrorCode) : 'VALIDATION_FAILED'
}

/** The errors without the one of `path` (the field was edited); the same object when it had none. */
export function withoutField(errors: FieldErrors, path: string): FieldErrors {
  if (!errors[path]) return errors
  const next = { ...errors }
  delete next[path]
  return next
}

/** The errors of a part (validated on its own) as fields of the whole: `name` under `store` is `store.name`. */
export function fieldsUnder(prefix: string, fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {}
  for (const [k, code] of Object.entries(fields)) out[k === '_' ? prefix : `${prefix}.${k}`] = code
  return out
}
