/**
 * The message keys: the English keys of every section. The main package carries the core section; each
 * subpackage brings its own section (and the shared `work` one) when one of its pages loads, so the
 * first download holds a third of the strings. `npm test` checks that every page's code uses only keys
 * of the sections it loads (__tests__/unit/i18n-sections.test.ts).
 */
import type { associate } from './sections/associate'
import type { core } from './sections/core'
import type { inspection } from './sections/inspection'
import type { notify } from './sections/notify'
import type { promotion } from './sections/promotion'
import type { results } from './sections/results'
import type { work } from './sections/work'

type KeysOf<S extends { en: object }> = keyof S['en']

export type MessageKey = KeysOf<typeof core> | KeysOf<typeof associate> | KeysOf<typeof work> | KeysOf<typeof promotion> | KeysOf<typeof results> | KeysOf<typeof inspection> | KeysOf<typeof notify>
export type Messages = { readonly [K in MessageKey]: string }
