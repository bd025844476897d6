/**
 * Strings of the promotion wizard, its drafts and payment verification (subpackage pages/promotion).
 * Every working language, from the catalogs (src/i18n/catalogs/<language>/promotion.json); English is the
 * source and its wording follows the specification.
 * Importing this module adds them to the dictionaries (the subpackage's pages import it).
 */
// the strings these pages share with the other work subpackages
import './work'
import en from '../catalogs/en/promotion.json'
import zhCN from '../catalogs/zh-CN/promotion.json'
import zhTW from '../catalogs/zh-TW/promotion.json'
import ja from '../catalogs/ja/promotion.json'
import ko from '../catalogs/ko/promotion.json'
import th from '../catalogs/th/promotion.json'
import ms from '../catalogs/ms/promotion.json'
import id from '../catalogs/id/promotion.json'
import vi from '../catalogs/vi/promotion.json'
import type { SectionMessages } from '../types'
import type { PromotionKey } from '../keys'
import { addMessages } from '../index'

/** Each language's catalog is typed against the English keys: a missing message fails the type check. */
export const promotion: SectionMessages<PromotionKey> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ja, ko, th, ms, id, vi }

addMessages(promotion)
