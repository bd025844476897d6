/**
 * Strings of shared by the promotion, results and inspection subpackages.
 * Every working language, from the catalogs (src/i18n/catalogs/<language>/work.json); English is the
 * source and its wording follows the specification.
 * Importing this module adds them to the dictionaries (the subpackage's pages import it).
 */
import en from '../catalogs/en/work.json'
import zhCN from '../catalogs/zh-CN/work.json'
import zhTW from '../catalogs/zh-TW/work.json'
import ja from '../catalogs/ja/work.json'
import ko from '../catalogs/ko/work.json'
import th from '../catalogs/th/work.json'
import ms from '../catalogs/ms/work.json'
import id from '../catalogs/id/work.json'
import vi from '../catalogs/vi/work.json'
import type { SectionMessages } from '../types'
import type { WorkKey } from '../keys'
import { addMessages } from '../index'

/** Each language's catalog is typed against the English keys: a missing message fails the type check. */
export const work: SectionMessages<WorkKey> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ja, ko, th, ms, id, vi }

addMessages(work)
