/**
 * Strings of spot inspection: Verification Tasks (subpackage pages/inspection).
 * Every working language, from the catalogs (src/i18n/catalogs/<language>/inspection.json); English is the
 * source and its wording follows the specification.
 * Importing this module adds them to the dictionaries (the subpackage's pages import it).
 */
// the strings these pages share with the other work subpackages
import './work'
import en from '../catalogs/en/inspection.json'
import zhCN from '../catalogs/zh-CN/inspection.json'
import zhTW from '../catalogs/zh-TW/inspection.json'
import ja from '../catalogs/ja/inspection.json'
import ko from '../catalogs/ko/inspection.json'
import th from '../catalogs/th/inspection.json'
import ms from '../catalogs/ms/inspection.json'
import id from '../catalogs/id/inspection.json'
import vi from '../catalogs/vi/inspection.json'
import type { SectionMessages } from '../types'
import type { InspectionKey } from '../keys'
import { addMessages } from '../index'

/** Each language's catalog is typed against the English keys: a missing message fails the type check. */
export const inspection: SectionMessages<InspectionKey> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ja, ko, th, ms, id, vi }

addMessages(inspection)
