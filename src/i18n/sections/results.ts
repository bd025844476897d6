/**
 * Strings of review results, details and appeals (subpackage pages/results).
 * Every working language, from the catalogs (src/i18n/catalogs/<language>/results.json); English is the
 * source and its wording follows the specification.
 * Importing this module adds them to the dictionaries (the subpackage's pages import it).
 */
// the strings these pages share with the other work subpackages
import './work'
import en from '../catalogs/en/results.json'
import zhCN from '../catalogs/zh-CN/results.json'
import zhTW from '../catalogs/zh-TW/results.json'
import ja from '../catalogs/ja/results.json'
import ko from '../catalogs/ko/results.json'
import th from '../catalogs/th/results.json'
import ms from '../catalogs/ms/results.json'
import id from '../catalogs/id/results.json'
import vi from '../catalogs/vi/results.json'
import type { SectionMessages } from '../types'
import type { ResultsKey } from '../keys'
import { addMessages } from '../index'

/** Each language's catalog is typed against the English keys: a missing message fails the type check. */
export const results: SectionMessages<ResultsKey> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ja, ko, th, ms, id, vi }

addMessages(results)
