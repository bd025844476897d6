/**
 * Strings of the Associate ISO flow (subpackage pages/associate).
 * Every working language, from the catalogs (src/i18n/catalogs/<language>/associate.json); English is the
 * source and its wording follows the specification.
 * Importing this module adds them to the dictionaries (the subpackage's pages import it).
 */
import en from '../catalogs/en/associate.json'
import zhCN from '../catalogs/zh-CN/associate.json'
import zhTW from '../catalogs/zh-TW/associate.json'
import ja from '../catalogs/ja/associate.json'
import ko from '../catalogs/ko/associate.json'
import th from '../catalogs/th/associate.json'
import ms from '../catalogs/ms/associate.json'
import id from '../catalogs/id/associate.json'
import vi from '../catalogs/vi/associate.json'
import type { SectionMessages } from '../types'
import type { AssociateKey } from '../keys'
import { addMessages } from '../index'

/** Each language's catalog is typed against the English keys: a missing message fails the type check. */
export const associate: SectionMessages<AssociateKey> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ja, ko, th, ms, id, vi }

addMessages(associate)
