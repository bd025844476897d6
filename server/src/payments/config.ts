import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import fs from 'node:fs'
import type { AlipayPlusSettings } from './alipayplus'

type Env = Record<string, string | undefined>

/** PAYMENT_VERIFICATION: how payment references are checked. */
export type PaymentVerificationMode = 'alipayplus' | 'manual' | 'simulator'

export interface PaymentSettings {
  /** null: not chosen (development: the simulator; production refuses to start, see paymentStartProblem). */
  mode: PaymentVerificationMode | null
  /** The Alipay+ API settings when mode is alipayplus. */
  alipayPlus: AlipayPlusSettings | null
  /** PAYMENT_WINDOW_MINUTES: how long before the verification a payment may have been made (the visit). */
  windowMinutes: number
  /** The Alipay+ settings that are missing (for the start-up refusal), when some but not all are set. */
  missing: string[]
}

export const ALIPAYPLUS_VARIABLES = [
  'ALIPAYPLUS_API_BASE',
  'ALIPAYPLUS_CLIENT_ID',
  'ALIPAYPLUS_PRIVATE_KEY',
  'ALIPAYPLUS_PUBLIC_KEY',
  'ALIPAYPLUS_KEY_VERSION',
] as const

export const DEFAULT_PAYMENT_WINDOW_MINUTES = 180

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}

/** A PEM from NAME (the PEM itself, `\n` allowed for line breaks) or NAME_FILE (a path); undefined when neither is set. */
function pemOf(env: Env, name: string, fileName: string): string | undefined {
  const inline = nonEmpty(env[name])
  const file = nonEmpty(env[fileName])
  if (inline && file) throw new Error(`Set ${name} or ${fileName}, not both.`)
  if (file) {
    try {
      return fs.readFileSync(file, 'utf8')
    } catch (error) {
      throw new Error(`${fileName}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
    }
  }
  return inline?.replace(/\\n/g, '\n')
}

/** A PEM, or the bare base64 body Alipay+'s tools print (a PKCS#8 private key or an SPKI public key). */
function pemWrap(value: string, kind: 'PRIVATE KEY' | 'PUBLIC KEY'): string {
  if (value.includes('-----BEGIN')) return value
  return `-----BEGIN ${kind}-----\n${value.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n')}\n-----END ${kind}-----\n`
}

/** The key is never quoted back in a message: only the setting's name. */
function privateKey(pem: string): KeyObject {
  let key: KeyObject
  try {
    key = createPrivateKey(pemWrap(pem, 'PRIVATE KEY'))
  } catch {
    throw new Error('ALIPAYPLUS_PRIVATE_KEY is not an RSA private key in PEM (or the base64 of a PKCS#8 key).')
  }
  checkRsa2048(key, 'ALIPAYPLUS_PRIVATE_KEY')
  return key
}

function publicKey(pem: string): KeyObject {
  let key: KeyObject
  try {
    key = createPublicKey(pemWrap(pem, 'PUBLIC KEY'))
  } catch {
    throw new Error('ALIPAYPLUS_PUBLIC_KEY is not an RSA public key in PEM (or the base64 of the key Alipay+ sent).')
  }
  checkRsa2048(key, 'ALIPAYPLUS_PUBLIC_KEY')
  return key
}

function checkRsa2048(key: KeyObject, name: string): void {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (key.asymmetricKeyType !== 'rsa' || bits < 2048)
    throw new Error(`${name} must be an RSA key of 2048 bits or more (Alipay+ signs with SHA256withRSA, 2048-bit keys).`)
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name])
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new Error(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`)
  return value
}

function apiBase(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`ALIPAYPLUS_API_BASE must be an address such as https://open-sea-global.alipayplus.com (got "${value}")`)
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`ALIPAYPLUS_API_BASE must use https:// (plain http only on a loopback address, for a test fake; got "${value}")`)
  }
  return value.replace(/\/+$/, '')
}

/** PAYMENT_VERIFICATION and the ALIPAYPLUS_* settings; throws on a malformed value (never quoting a key). */
export function paymentSettingsFromEnv(env: Env): PaymentSettings {
  const rawMode = nonEmpty(env.PAYMENT_VERIFICATION)?.toLowerCase()
  if (rawMode !== undefined && !['alipayplus', 'manual', 'simulator'].includes(rawMode)) {
    throw new Error(`PAYMENT_VERIFICATION must be alipayplus, manual or simulator (got "${env.PAYMENT_VERIFICATION}")`)
  }
  const windowMinutes = integer(env, 'PAYMENT_WINDOW_MINUTES', DEFAULT_PAYMENT_WINDOW_MINUTES, 5, 7 * 24 * 60)
  const values = {
    ALIPAYPLUS_API_BASE: nonEmpty(env.ALIPAYPLUS_API_BASE),
    ALIPAYPLUS_CLIENT_ID: nonEmpty(env.ALIPAYPLUS_CLIENT_ID),
    ALIPAYPLUS_PRIVATE_KEY: pemOf(env, 'ALIPAYPLUS_PRIVATE_KEY', 'ALIPAYPLUS_PRIVATE_KEY_FILE'),
    ALIPAYPLUS_PUBLIC_KEY: pemOf(env, 'ALIPAYPLUS_PUBLIC_KEY', 'ALIPAYPLUS_PUBLIC_KEY_FILE'),
    ALIPAYPLUS_KEY_VERSION: nonEmpty(env.ALIPAYPLUS_KEY_VERSION),
  }
  const anySet = Object.values(values).some((v) => v !== undefined)
  const missing = ALIPAYPLUS_VARIABLES.filter((name) => values[name] === undefined)
  // Alipay+ settings without PAYMENT_VERIFICATION: Alipay+ is meant
  const mode: PaymentVerificationMode | null = (rawMode as PaymentVerificationMode | undefined) ?? (anySet ? 'alipayplus' : null)
  if (mode !== 'alipayplus' || missing.length > 0) {
    if (mode === 'alipayplus' && missing.length > 0 && rawMode === undefined) {
      throw new Error(`Alipay+ is configured only in part: set ${missing.join(', ')} as well (see README, Payment verification).`)
    }
    return { mode, alipayPlus: null, windowMinutes, missing: mode === 'alipayplus' ? missing : [] }
  }
  const clientId = values.ALIPAYPLUS_CLIENT_ID as string
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(clientId))
    throw new Error(`ALIPAYPLUS_CLIENT_ID must be the client id Alipay+ assigned (letters, digits; got "${clientId}")`)
  const keyVersion = values.ALIPAYPLUS_KEY_VERSION as string
  if (!/^\d{1,6}$/.test(keyVersion)) throw new Error(`ALIPAYPLUS_KEY_VERSION must be the key's version number, e.g. 1 (got "${keyVersion}")`)
  return {
    mode,
    windowMinutes,
    missing: [],
    alipayPlus: {
      apiBase: apiBase(values.ALIPAYPLUS_API_BASE as string),
      clientId,
      privateKey: privateKey(values.ALIPAYPLUS_PRIVATE_KEY as string),
      alipayPublicKey: publicKey(values.ALIPAYPLUS_PUBLIC_KEY as string),
      keyVersion,
      timeoutMs: integer(env, 'ALIPAYPLUS_TIMEOUT_MS', 5000, 100, 60_000),
      retries: integer(env, 'ALIPAYPLUS_RETRIES', 2, 0, 5),
    },
  }
}

/** Why a server cannot start with these payment settings, or null. */
export function paymentStartProblem(settings: PaymentSettings, dev: boolean): string | null {
  if (settings.mode === 'alipayplus' && !settings.alipayPlus) {
    return `PAYMENT_VERIFICATION=alipayplus needs ${settings.missing.join(', ')} (see README, Payment verification).`
  }
  if (dev) return null
  if (settings.mode === 'simulator') {
    return 'PAYMENT_VERIFICATION=simulator is for development and tests only: a production server must look payments up with Alipay+ (ALIPAYPLUS_* settings) or have a reviewer check them (PAYMENT_VERIFICATION=manual); see README, Payment verification.'
  }
  if (settings.mode === null) {
    return `Production mode must check payments: set ${ALIPAYPLUS_VARIABLES.join(', ')} (payments looked up with Alipay+), or PAYMENT_VERIFICATION=manual (a reviewer checks the evidence); see README, Payment verification.`
  }
  return null
}
