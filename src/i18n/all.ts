/**
 * Every section loaded: the whole dictionary of each working language. For tests, the bench and tools;
 * the app itself loads sections per package (see locales.ts).
 */
import type { Locale } from '../../packages/contract/api'
import { LOCALES } from '../../packages/contract/rules/locale'
import type { Messages } from './locales'
import { associate } from './sections/associate'
import { core } from './sections/core'
import { inspection } from './sections/inspection'
import { notify } from './sections/notify'
import { promotion } from './sections/promotion'
import { results } from './sections/results'
import { work } from './sections/work'

/** The app's sections, and `notify`: the work notifications the server writes (no page loads it). */
export const SECTIONS = { core, associate, work, promotion, results, inspection, notify }

export const DICTIONARIES = Object.fromEntries(
  LOCALES.map((locale) => [locale, Object.assign({}, ...Object.values(SECTIONS).map((section) => section[locale])) as Messages]),
) as Record<Locale, Messages>
