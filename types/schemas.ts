/**
 * Validation shared by the mini-program and the server: one schema per payload, so that both sides agree
 * on every rule. Messages are error codes (see errors.ts) that the app translates.
 */
import * as v from 'valibot'
import { isValidInternationalPhone } from '../src/rules/phone'
import type { ErrorCode } from './errors'

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

export const PhoneSchema = v.pipe(
  v.string(code('REQUIRED')),
  v.trim(),
  v.nonEmpty(code('REQUIRED')),
  v.maxLength(24, code('PHONE_INVALID')),
  v.startsWith('+', code('PHONE_NOT_INTERNATIONAL')),
  v.check(isValidInternationalPhone, code('PHONE_INVALID')),
)

export const AssociationRequestSchema = v.object({
  isoEmail: IsoEmailSchema,
  name: StaffNameSchema,
  phone: PhoneSchema,
})

export const RejectReasonSchema = v.pipe(
  v.string(code('REQUIRED')),
  v.trim(),
  v.nonEmpty(code('REQUIRED')),
  v.maxLength(500, code('TEXT_TOO_LONG')),
)

export const DingTalkSignInSchema = v.object({
  authCode: v.pipe(v.string(code('REQUIRED')), v.trim(), v.nonEmpty(code('REQUIRED')), v.maxLength(128, code('AUTH_CODE_INVALID'))),
})

export const DevSignInSchema = v.object({
  staffId: v.pipe(v.string(code('REQUIRED')), v.nonEmpty(code('REQUIRED')), v.maxLength(64, code('NOT_FOUND'))),
})

export const LocaleSchema = v.picklist(
  ['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'th', 'ms', 'id', 'vi'] as const,
)

export type FieldErrors<K extends string = string> = Partial<Record<K, ErrorCode>>

/**
 * Validates `input` against `schema`; on failure answers the first error code of each top-level field
 * (the one a person should fix first). Codes that are not ours become VALIDATION_FAILED.
 */
export function validate<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): { ok: true; value: v.InferOutput<S> } | { ok: false; fields: FieldErrors } {
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
