/**
 * Strings of the Associate ISO flow (subpackage pages/associate).
 * Every working language, from the catalogs (src/i18n/catalogs/<language>/associate.json, bundled); English is the
 * source and its wording follows the specification.
 * Importing this module adds them to the dictionaries (the subpackage's pages import it).
 */
import bundle from '../bundles/associate.json'
import type { SectionMessages } from '../types'
import type { AssociateKey } from '../keys'
import { addMessages, sectionOf } from '../index'

/**
 * Every language's catalog (bundled by scripts/i18n-catalogs.mjs; src/i18n/catalog-check.ts checks that each has
 * every English key, at compile time).
 */
export const associate: SectionMessages<AssociateKey> = sectionOf(bundle.en, bundle)

addMessages(associate)
