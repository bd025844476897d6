import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * Console passwords, hashed with scrypt (node:crypto). A hash is stored as `scrypt$N$r$p$salt$key`
 * (salt and key in base64url), so that its cost can be raised later without invalidating older hashes.
 */

export interface PasswordCost {
  /** CPU/memory cost, a power of two. */
  N: number
  r: number
  p: number
}

/** OWASP's recommendation for scrypt: N = 2^17, r = 8, p = 1 (128 MiB, about a third of a second here). */
export const PRODUCTION_COST: PasswordCost = { N: 2 ** 17, r: 8, p: 1 }
/** Development and tests: cheaper (the development passwords are public anyway). */
export const DEVELOPMENT_COST: PasswordCost = { N: 2 ** 14, r: 8, p: 1 }

const KEY_LENGTH = 32
export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 200

function derive(password: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 }
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))))
}

export async function hashPassword(password: string, cost: PasswordCost = PRODUCTION_COST): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, cost)
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Whether `password` matches `stored`; false for a malformed hash. Constant time in the key comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number)
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 2 ** 20) return false
  const salt = Buffer.from(parts[4], 'base64url')
  const expected = Buffer.from(parts[5], 'base64url')
  if (expected.length !== KEY_LENGTH) return false
  const key = await derive(password, salt, { N, r, p })
  return timingSafeEqual(key, expected)
}

/**
 * A hash of a random password, verified against when the user name typed does not exist, so that an
 * unknown name takes as long to refuse as a wrong password. One per cost and process, made when the server
 * starts (the console account service's `prepare`), so that even the first unknown name costs one check only.
 */
const decoys = new Map<string, Promise<string>>()
export function decoyHash(cost: PasswordCost): Promise<string> {
  const key = `${cost.N}/${cost.r}/${cost.p}`
  let decoy = decoys.get(key)
  if (!decoy) {
    decoy = hashPassword(randomBytes(18).toString('base64url'), cost)
    decoys.set(key, decoy)
  }
  return decoy
}

/** Why a new password is refused, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`
  if (password.length > MAX_PASSWORD_LENGTH) return `The password must have at most ${MAX_PASSWORD_LENGTH} characters.`
  return null
}
