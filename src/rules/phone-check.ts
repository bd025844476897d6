/**
 * Phone numbers in the shared schemas are checked with libphonenumber-js (see setPhoneCheck in
 * types/schemas.ts). Imported, for its effect, where phone numbers are validated: the server's request
 * validation, the association form and the promotion wizard.
 */
import { setPhoneCheck } from '../../types/schemas'
import { isValidInternationalPhone } from './phone'

setPhoneCheck(isValidInternationalPhone)
