/**
 * Strings of review results, details and appeals (subpackage pages/results).
 * Every working language, from the catalogs (src/i18n/catalogs/<language>/results.json, bundled); English is the
 * source and its wording follows the specification.
 * Importing this module adds them to the dictionaries (the subpackage's pages import it).
 */
// the strings these pages share with the other work subpackages
import './work'
import bundle from '../bundles/results.json'
import type { SectionMessages } from '../types'
import type { ResultsKey } from '../keys'
import { addMessages, sectionOf } from '../index'

/**
 * Every language's catalog (bundled by scripts/i18n-catalogs.mjs; src/i18n/catalog-check.ts checks that each has
 * every English key, at compile time).
 */
export const results: SectionMessages<ResultsKey> = sectionOf(bundle.en, bundle)

addMessages(results)
