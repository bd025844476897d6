/**
 * The message keys: the English keys of every section (src/i18n/keys.ts, generated from the English
 * catalogs). The main package carries the core section; each subpackage brings its own section (and the
 * shared `work` one) when one of its pages loads, so the first download holds a third of the strings.
 * `npm test` checks that every page's code uses only keys of the sections it loads
 * (__tests__/unit/i18n-sections.test.ts).
 */
import type { MessageKey } from './keys'

export type { MessageKey }
export type Messages = { readonly [K in MessageKey]: string }
