import dayjs from 'dayjs'
import localizedFormat from 'dayjs/plugin/localizedFormat'
import 'dayjs/locale/zh-cn'
import 'dayjs/locale/zh-tw'
import 'dayjs/locale/ja'
import 'dayjs/locale/ko'
import 'dayjs/locale/th'
import 'dayjs/locale/ms'
import 'dayjs/locale/id'
import 'dayjs/locale/vi'
import type { Locale } from '../../types/api'
import type { MessageKey, Messages } from './locales/base'
import { en } from './locales/en'
import { id } from './locales/id'
import { ja } from './locales/ja'
import { ko } from './locales/ko'
import { ms } from './locales/ms'
import { th } from './locales/th'
import { vi } from './locales/vi'
import { zhCN } from './locales/zh-CN'
import { zhTW } from './locales/zh-TW'

dayjs.extend(localizedFormat)

export const DICTIONARIES: Record<Locale, Messages> = {
  en,
  'zh-CN': zhCN,
  'zh-TW': zhTW,
  ja,
  ko,
  th,
  ms,
  id,
  vi,
}

const DAYJS_LOCALES: Record<Locale, string> = {
  en: 'en',
  'zh-CN': 'zh-cn',
  'zh-TW': 'zh-tw',
  ja: 'ja',
  ko: 'ko',
  th: 'th',
  ms: 'ms',
  id: 'id',
  vi: 'vi',
}

export type Params = Record<string, string | number>

/** `{name}` placeholders in a message. */
export function placeholders(message: string): string[] {
  return Array.from(message.matchAll(/\{(\w+)\}/g), (m) => m[1]).sort()
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const message = DICTIONARIES[locale][key] ?? en[key] ?? key
  if (!params) return message
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** A date in the working language's own format ("LL": 25 November 2026 / 2026年11月25日 ...). */
export function formatDate(locale: Locale, date: string | number | Date, format = 'LL'): string {
  return dayjs(date).locale(DAYJS_LOCALES[locale]).format(format)
}

export type { MessageKey, Messages } from './locales/base'
