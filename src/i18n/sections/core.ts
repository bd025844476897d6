/**
 * Strings of the main package: app shell, navigation, Home, Language, Me, Sign in, association status, errors and the fields every flow shares.
 * Every working language; English is the source (core-en.ts) and its wording follows the specification.
 * Importing this module adds the other languages to the dictionaries: at start on DingTalk, on demand in
 * the browser preview (see LanguagesPort in platform/types.ts).
 */
// the date formats of these languages (dayjs has English's), for formatDate
import 'dayjs/locale/zh-cn'
import 'dayjs/locale/zh-tw'
import 'dayjs/locale/ja'
import 'dayjs/locale/ko'
import 'dayjs/locale/th'
import 'dayjs/locale/ms'
import 'dayjs/locale/id'
import 'dayjs/locale/vi'
import zhCN from '../catalogs/zh-CN/core.json'
import zhTW from '../catalogs/zh-TW/core.json'
import ja from '../catalogs/ja/core.json'
import ko from '../catalogs/ko/core.json'
import th from '../catalogs/th/core.json'
import ms from '../catalogs/ms/core.json'
import id from '../catalogs/id/core.json'
import vi from '../catalogs/vi/core.json'
import { coreEn as en } from '../core-en'
import type { SectionMessages } from '../types'
import type { CoreKey } from '../keys'
import { addMessages } from '../index'

/** Each language's catalog is typed against the English keys: a missing message fails the type check. */
export const core: SectionMessages<CoreKey> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ja, ko, th, ms, id, vi }

addMessages(core)
