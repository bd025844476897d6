/**
 * An ISO's profile as an administrator onboards or edits it in the console: the rules for each field, written
 * once (pure: no database). Uniqueness (the ISO Email, the DingTalk department) is the service's, which needs the
 * database.
 */
import * as v from 'valibot'
import type { DeploymentMethod } from '../../../packages/contract/api'
import { IsoEmailSchema } from '../../../packages/contract/schemas'

/** The smallest and largest spot limit an ISO can be given. */
export const SPOT_LIMIT_RANGE = { min: 1, max: 20 } as const

/** A region code (the region whose coordinator the ISO deals with): 2 to 8 capital letters, e.g. SEA. */
export const REGION_CODE = /^[A-Z]{2,8}$/

/** The longest ISO name accepted. */
export const ISO_NAME_MAX = 120

/**
 * The deployment method a new ISO's row is written with: the column is required, but the method an ISO follows
 * is the one agreed with its regional coordinator (issue 23, item 4), not this value.
 */
export const INITIAL_DEPLOYMENT_METHOD: DeploymentMethod = 'VERIFY_THEN_DEPLOY'

export type IsoField = 'name' | 'email' | 'region' | 'timezone' | 'dingtalkDeptId' | 'maxSpotsPerStore'

/** What the form sent, as typed (kept to show it again when something is wrong). */
export type IsoProfileForm = Record<IsoField, string>

/** A profile that passed every rule. */
export interface IsoProfile {
  name: string
  /** As typed, trimmed (compared without regard to case). */
  email: string
  region: string
  /** The IANA name, spelled as the time-zone database spells it. */
  timezone: string
  dingtalkDeptId: number | null
  maxSpotsPerStore: number
}

export type IsoProfileCheck = { ok: true; profile: IsoProfile } | { ok: false; errors: Partial<Record<IsoField, string>> }

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/
/** Area/Location names of the IANA database (Asia/Kuala_Lumpur, America/Argentina/Buenos_Aires, Etc/GMT-8, UTC). */
const IANA_NAME = /^[A-Za-z][A-Za-z_]*(\/[A-Za-z0-9][A-Za-z0-9_+-]*){0,2}$/

/** The IANA time zone's own spelling, or null when the time-zone database has no such zone. */
export function ianaTimeZone(typed: string): string | null {
  const name = typed.trim()
  if (!IANA_NAME.test(name)) return null
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    return null
  }
}

/** Every time zone the server knows (for the form's suggestions). */
export function knownTimeZones(): string[] {
  // ES2022's Intl.supportedValuesOf (Node has it; the project's TypeScript lib predates it)
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] }
  return intl.supportedValuesOf?.('timeZone') ?? []
}

/** The DingTalk department typed: its id, null when left empty, undefined when it is not a department id. */
export function departmentOf(typed: string): number | null | undefined {
  const dept = typed.trim()
  if (dept === '') return null
  return /^\d{1,18}$/.test(dept) && Number.isSafeInteger(Number(dept)) && Number(dept) >= 1 ? Number(dept) : undefined
}

/** Checks every field of the form; each problem has its own message, saying what to type. */
export function checkIsoProfile(form: IsoProfileForm): IsoProfileCheck {
  const errors: Partial<Record<IsoField, string>> = {}

  const name = form.name.trim()
  if (name === '') errors.name = 'Enter the ISO’s name as it appears in the Alipay Global Merchant Portal.'
  else if (name.length > ISO_NAME_MAX) errors.name = `The name is too long: ${ISO_NAME_MAX} characters at most.`
  else if (CONTROL_CHARS.test(name)) errors.name = 'The name holds a line break or another control character; type it on one line.'

  const email = v.safeParse(IsoEmailSchema, form.email)
  if (!email.success) {
    errors.email =
      form.email.trim() === ''
        ? 'Enter the ISO Email: the address the ISO signs in to the Alipay Global Merchant Portal with.'
        : 'The ISO Email is not an email address (e.g. ops@iso.example).'
  }

  const region = form.region.trim().toUpperCase()
  if (!REGION_CODE.test(region)) errors.region = 'Enter the region code: 2 to 8 letters, e.g. SEA.'

  const timezone = ianaTimeZone(form.timezone)
  if (timezone === null) {
    errors.timezone =
      form.timezone.trim() === ''
        ? 'Enter the ISO’s time zone, e.g. Asia/Singapore.'
        : `“${form.timezone.trim().slice(0, 60)}” is not a time zone of the IANA database; enter one such as Asia/Singapore or Asia/Jakarta.`
  }

  const dingtalkDeptId = departmentOf(form.dingtalkDeptId)
  if (dingtalkDeptId === undefined) errors.dingtalkDeptId = 'Enter the DingTalk department ID as DingTalk shows it (digits only), or leave it empty.'

  const limitText = form.maxSpotsPerStore.trim()
  const limit = Number(limitText)
  if (!/^\d{1,3}$/.test(limitText) || limit < SPOT_LIMIT_RANGE.min || limit > SPOT_LIMIT_RANGE.max) {
    errors.maxSpotsPerStore = `Enter how many spots a store may have: a whole number from ${SPOT_LIMIT_RANGE.min} to ${SPOT_LIMIT_RANGE.max}.`
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return {
    ok: true,
    profile: { name, email: email.success ? email.output : '', region, timezone: timezone!, dingtalkDeptId: dingtalkDeptId ?? null, maxSpotsPerStore: limit },
  }
}

/** A readable id for a new ISO (`iso-lion-city-payments`); the service makes it unique. */
export function isoIdFor(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return slug.length >= 2 ? `iso-${slug}` : 'iso'
}
