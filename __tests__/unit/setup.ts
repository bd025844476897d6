// MobX configured as in the app (or without Proxy, POSM_MOBX_PROXIES=never), before any store exists
import '../helpers/mobx-config'
// every dictionary section loaded (the app loads them per package; __tests__/unit/i18n-sections.test.ts checks that)
import '../../src/i18n/all'
// phone numbers validated as the server and the packages with a phone field do (enablePhoneValidation)
import { enablePhoneValidation } from '../../packages/contract/rules/phone-check'
enablePhoneValidation()
// Unit tests run against a development build: development sign-in exists (see src/services/dev-signin.ts).
const g = globalThis as Record<string, unknown>
g.POSM_DEV_SIGNIN = true
export {}
