import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * The Alipay test accounts' passwords at rest: AES-256-GCM (node:crypto) under TEST_ACCOUNT_KEY, a random
 * 96-bit IV per value, the 128-bit tag kept, and the staff member's id as additional data (a value copied onto
 * another staff member's row does not open). Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url), so the
 * database never holds the password, and a later format or key can be told apart by its prefix.
 */
export const TEST_ACCOUNT_KEY_VARIABLE = 'TEST_ACCOUNT_KEY'

/** The key of development mode when TEST_ACCOUNT_KEY is unset: public (like the development passwords), never used in production. */
export const DEVELOPMENT_TEST_ACCOUNT_KEY: Buffer = createHash('sha256').update('posm-workspace development test-account key').digest()

const FORMAT = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

/** What a TEST_ACCOUNT_KEY must be, for the messages that refuse one (never quoting the value: it is a secret). */
export const TEST_ACCOUNT_KEY_HELP = `${TEST_ACCOUNT_KEY_VARIABLE} must be 32 random bytes written as 64 hexadecimal digits or as base64 (44 characters), e.g. the output of \`openssl rand -base64 32\``

/**
 * TEST_ACCOUNT_KEY read: 64 hex digits, or base64 / base64url of exactly 32 bytes. Throws (naming the
 * variable, never quoting the value) on anything else; answers undefined when unset.
 */
export function parseTestAccountKey(value: string | undefined): Buffer | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex')
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    if (key.length === 32) return key
  }
  throw new Error(`${TEST_ACCOUNT_KEY_HELP} (the value set is not such a key).`)
}

const additionalData = (staffId: string) => Buffer.from(`posm-workspace test account ${FORMAT} ${staffId}`, 'utf8')

export interface TestAccountCipher {
  /** The password sealed for this staff member's row. */
  seal(staffId: string, password: string): string
  /** The password, or null when the value does not open with this key for this staff member (another key, tampered). */
  open(staffId: string, sealed: string): string | null
}

export function testAccountCipher(key: Buffer): TestAccountCipher {
  if (key.length !== 32) throw new Error('The test-account key must be 32 bytes.')
  return {
    seal(staffId, password) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(additionalData(staffId))
      const ciphertext = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()])
      return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.')
    },
    open(staffId, sealed) {
      const [format, iv, tag, ciphertext, ...rest] = sealed.split('.')
      if (format !== FORMAT || rest.length > 0 || !iv || !tag || ciphertext === undefined) return null
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES })
        decipher.setAAD(additionalData(staffId))
        decipher.setAuthTag(Buffer.from(tag, 'base64url'))
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
      } catch {
        return null
      }
    },
  }
}
