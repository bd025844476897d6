/**
 * Work notifications: the action cards the server sends through DingTalk when a decision about the staff
 * member's work is made (server/src/notifications). Written in the staff member's working language. No page
 * of the app loads this section: the server renders the cards, the tests check every language like the
 * app's own sections.
 */
import en from '../catalogs/en/notify.json'
import zhCN from '../catalogs/zh-CN/notify.json'
import zhTW from '../catalogs/zh-TW/notify.json'
import ja from '../catalogs/ja/notify.json'
import ko from '../catalogs/ko/notify.json'
import th from '../catalogs/th/notify.json'
import ms from '../catalogs/ms/notify.json'
import id from '../catalogs/id/notify.json'
import vi from '../catalogs/vi/notify.json'
import type { SectionMessages } from '../types'
import type { NotifyKey } from '../keys'
import { addMessages } from '../index'

/** Each language's catalog is typed against the English keys: a missing message fails the type check. */
export const notify: SectionMessages<NotifyKey> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ja, ko, th, ms, id, vi }

addMessages(notify)
