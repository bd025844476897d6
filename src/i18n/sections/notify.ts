/**
 * Work notifications: the action cards the server sends through DingTalk when a decision about the staff
 * member's work is made (server/src/notifications). Written in the staff member's working language. No page
 * of the app loads this section: the server renders the cards, the tests check every language like the
 * app's own sections.
 */
import bundle from '../bundles/notify.json'
import type { SectionMessages } from '../types'
import type { NotifyKey } from '../keys'
import { addMessages, sectionOf } from '../index'

/**
 * Every language's catalog (bundled by scripts/i18n-catalogs.mjs; src/i18n/catalog-check.ts checks that each has
 * every English key, at compile time).
 */
export const notify: SectionMessages<NotifyKey> = sectionOf(bundle.en, bundle)

addMessages(notify)
