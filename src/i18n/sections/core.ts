/**
 * Strings of the main package: app shell, navigation, Home, Language, Me, Sign in, association status, errors and the fields every flow shares.
 * Every working language, from the catalogs (src/i18n/catalogs/<language>/core.json, bundled but for English:
 * core-en.ts); English is the source and its wording follows the specification.
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
import { coreEn as en } from '../core-en'
import bundle from '../bundles/core.json'
import type { SectionMessages } from '../types'
import type { CoreKey } from '../keys'
import { addMessages, sectionOf } from '../index'

/**
 * Every language's catalog (bundled by scripts/i18n-catalogs.mjs; src/i18n/catalog-check.ts checks that each has
 * every English key, at compile time).
 */
export const core: SectionMessages<CoreKey> = sectionOf(en, bundle)

addMessages(core)
