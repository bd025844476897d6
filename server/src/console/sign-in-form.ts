import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * The sign-in form's token, bound to the server: the form's cookie holds a random value, the form's hidden
 * field an HMAC of that value (and of when the form was made) under a key only the server has. A pair the
 * client makes up, such as a cookie planted by another site with a token of its choosing, is refused; a
 * form older than FORM_MAX_AGE_SECONDS is refused too.
 */
export const FORM_MAX_AGE_SECONDS = 3600

/** How far a form's time may be ahead of this server's (replicas' clocks differ a little). */
const CLOCK_SKEW_MS = 60_000

export interface SignInForm {
  /** The cookie's value. */
  cookie: string
  /** The form's hidden field. */
  token: string
}

export interface SignInFormTokens {
  issue(): SignInForm
  /** Whether the field belongs to the cookie, was made by a server with this key, and is not too old. */
  check(cookie: string | undefined, token: unknown): boolean
}

/**
 * The key: derived from DingTalk's app secret when DingTalk is configured (always in production, where
 * the server refuses to start without it; every replica has the same secret, so a form made by one is
 * accepted by another). In development without DingTalk a fixed key, public like the development passwords;
 * a production-mode server built without DingTalk (tests) gets a random key of its own.
 */
export function signInFormKey({ dingtalkAppSecret, dev }: { dingtalkAppSecret?: string; dev: boolean }): Buffer {
  if (dingtalkAppSecret) return createHmac('sha256', dingtalkAppSecret).update('posm-workspace console sign-in form v1').digest()
  if (dev) return createHash('sha256').update('posm-workspace development console sign-in form').digest()
  return randomBytes(32)
}

export function signInFormTokens(key: Buffer, now: () => number = Date.now): SignInFormTokens {
  const mac = (cookie: string, issued: string) => createHmac('sha256', key).update(`${cookie}.${issued}`).digest('base64url')
  return {
    issue() {
      const cookie = randomBytes(24).toString('base64url')
      const issued = now().toString(36)
      return { cookie, token: `${issued}.${mac(cookie, issued)}` }
    },
    check(cookie, token) {
      if (!cookie || typeof token !== 'string' || token.length > 100) return false
      const [issued, given, ...rest] = token.split('.')
      if (rest.length > 0 || !issued || !given || !/^[0-9a-z]{1,12}$/.test(issued)) return false
      const age = now() - parseInt(issued, 36)
      if (!(age >= -CLOCK_SKEW_MS && age <= FORM_MAX_AGE_SECONDS * 1000)) return false
      const expected = Buffer.from(mac(cookie, issued))
      const actual = Buffer.from(given)
      return actual.length === expected.length && timingSafeEqual(actual, expected)
    },
  }
}
