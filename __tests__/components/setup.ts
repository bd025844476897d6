// MobX configured as in the app (or without Proxy, POSM_MOBX_PROXIES=never), before any store exists
import '../helpers/mobx-config'
// every dictionary section loaded (the app loads them per package; __tests__/unit/i18n-sections.test.ts checks that)
import '../../src/i18n/all'
// phone numbers validated as the server and the packages with a phone field do (enablePhoneValidation)
import { enablePhoneValidation } from '../../packages/contract/rules/phone-check'
enablePhoneValidation()
// Component tests run the app's pages on Taro's H5 runtime inside jsdom. These are the build-time flags
// that Taro's webpack config defines for its runtime.
const g = globalThis as Record<string, unknown>
// development sign-in exists in these builds (see src/services/dev-signin.ts)
g.POSM_DEV_SIGNIN = true
g.DEPRECATED_ADAPTER_COMPONENT = false
for (const flag of [
  'ENABLE_INNER_HTML',
  'ENABLE_ADJACENT_HTML',
  'ENABLE_SIZE_APIS',
  'ENABLE_TEMPLATE_CONTENT',
  'ENABLE_CLONE_NODE',
  'ENABLE_CONTAINS',
  'ENABLE_MUTATION_OBSERVER',
]) {
  g[flag] = true
}
process.env.TARO_ENV = 'h5'

// Taro's input web component reads its inner <input> before jsdom has rendered it; the value still
// reaches the host element, which is what the tests read. Only that known complaint is dropped.
const consoleError = console.error
console.error = (...args: unknown[]) => {
  const first = args[0]
  if (first instanceof TypeError && /taro-input-core/.test(String(first.stack))) return
  consoleError(...args)
}
export {}
