/**
 * Phone numbers in the shared schemas are checked with libphonenumber-js (see setPhoneCheck in
 * schemas.ts). The schemas do not import it themselves, which keeps libphonenumber-js out of the app's
 * start-up: whoever validates phone numbers calls enablePhoneValidation() first (the server's request
 * validation, the association form and the promotion wizard). Until then, validating a phone throws.
 */
import { setPhoneCheck } from '../schemas'
import { isValidInternationalPhone } from './phone'

export function enablePhoneValidation(): void {
  setPhoneCheck(isValidInternationalPhone)
}
