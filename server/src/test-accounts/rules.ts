import * as v from 'valibot'
import { IsoEmailSchema } from '../../../packages/contract/schemas'

/** The longest test-account password accepted (Alipay's own are far shorter). */
export const TEST_ACCOUNT_PASSWORD_MAX = 128

/** What the console's test-account form asks for, each problem in words the reviewer can act on. */
export interface TestAccountFormErrors {
  email?: string
  password?: string
}

export type TestAccountFormResult = { ok: true; email: string; password: string | null } | { ok: false; errors: TestAccountFormErrors }

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/

/**
 * The form checked. An empty password keeps the password already set (only when there is one); a new
 * assignment, or an account moved from before encryption, needs one. Answers the password as typed (spaces
 * inside and at either end are part of a password).
 */
export function checkTestAccountForm(body: { email: unknown; password: unknown }, opts: { passwordSet: boolean }): TestAccountFormResult {
  const errors: TestAccountFormErrors = {}
  const email = v.safeParse(IsoEmailSchema, typeof body.email === 'string' ? body.email : '')
  if (!email.success) {
    const typed = typeof body.email === 'string' ? body.email.trim() : ''
    errors.email =
      typed === ''
        ? "Enter the test account's email (the Alipay login), e.g. alipay.test@your-iso.com."
        : typed.length > 254
          ? 'The email is too long (254 characters at most).'
          : 'This is not an email address: enter it as name@example.com, without spaces.'
  }
  const password = typeof body.password === 'string' ? body.password : ''
  if (password === '') {
    if (!opts.passwordSet) errors.password = "Enter the test account's password: the staff member needs it to log in to the Alipay app."
  } else if (password.length > TEST_ACCOUNT_PASSWORD_MAX) {
    errors.password = `The password is too long (${TEST_ACCOUNT_PASSWORD_MAX} characters at most).`
  } else if (CONTROL_CHARS.test(password)) {
    errors.password = 'The password cannot contain line breaks, tabs or other control characters.'
  } else if (password.trim() === '') {
    errors.password = 'The password cannot be only spaces.'
  }
  if (errors.email || errors.password) return { ok: false, errors }
  return { ok: true, email: (email as { output: string }).output, password: password === '' ? null : password }
}
