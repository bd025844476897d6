/**
 * The core section's English (the source; its wording follows the specification): the strings of the
 * main package that every start of the app needs. The other working languages are in sections/core.ts,
 * which DingTalk's main package carries and the browser preview fetches when a language other than English
 * is used (see LanguagesPort).
 */
import en from './catalogs/en/core.json'
import type { CoreKey } from './keys'

export const coreEn: Readonly<Record<CoreKey, string>> = en
