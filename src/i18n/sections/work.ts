/**
 * Strings of shared by the promotion, results and inspection subpackages.
 * Every working language, from the catalogs (src/i18n/catalogs/<language>/work.json, bundled); English is the
 * source and its wording follows the specification.
 * Importing this module adds them to the dictionaries (the subpackage's pages import it).
 */
import bundle from '../bundles/work.json'
import type { SectionMessages } from '../types'
import type { WorkKey } from '../keys'
import { addMessages, sectionOf } from '../index'

/**
 * Every language's catalog (bundled by scripts/i18n-catalogs.mjs; src/i18n/catalog-check.ts checks that each has
 * every English key, at compile time).
 */
export const work: SectionMessages<WorkKey> = sectionOf(bundle.en, bundle)

addMessages(work)
