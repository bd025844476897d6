// every working language in the main package, loaded with the app (before the first page renders)
import '../../i18n/sections/core'
import type { LanguagesPort } from '../types'

export function createDdLanguages(): LanguagesPort {
  return { load: () => Promise.resolve() }
}
