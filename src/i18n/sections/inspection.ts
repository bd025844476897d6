/**
 * Strings of spot inspection: Verification Tasks (subpackage pages/inspection).
 * Every working language, from the catalogs (src/i18n/catalogs/<language>/inspection.json, bundled); English is the
 * source and its wording follows the specification.
 * Importing this module adds them to the dictionaries (the subpackage's pages import it).
 */
// the strings these pages share with the other work subpackages
import './work'
import bundle from '../bundles/inspection.json'
import type { SectionMessages } from '../types'
import type { InspectionKey } from '../keys'
import { addMessages, sectionOf } from '../index'

/**
 * Every language's catalog (bundled by scripts/i18n-catalogs.mjs; src/i18n/catalog-check.ts checks that each has
 * every English key, at compile time).
 */
export const inspection: SectionMessages<InspectionKey> = sectionOf(bundle.en, bundle)

addMessages(inspection)
