import { makeAutoObservable } from 'mobx'
import type { Locale } from '../../types/api'
import { formatDate, translate, type MessageKey, type Params } from '../i18n'
import type { StoragePort, SystemPort } from '../platform/types'
import { LOCALES, normaliseLocale } from '../rules/locale'

export const LOCALE_STORAGE_KEY = 'posm.locale'

/** The working language: DingTalk's language by default, else English; the staff member's choice is kept. */
export class I18nStore {
  locale: Locale

  constructor(
    private readonly storage: StoragePort,
    system: SystemPort,
  ) {
    const saved = storage.get<string>(LOCALE_STORAGE_KEY)
    this.locale = (saved && (LOCALES as readonly string[]).includes(saved) ? (saved as Locale) : null) ?? normaliseLocale(system.language()) ?? 'en'
    makeAutoObservable<this, 'storage'>(this, { storage: false })
  }

  setLocale(locale: Locale) {
    this.locale = locale
    try {
      this.storage.set(LOCALE_STORAGE_KEY, locale)
    } catch {
      // storage full: the choice still applies for this run
    }
  }

  /** Reads `locale`, so an observer re-renders when the language changes. */
  t = (key: MessageKey, params?: Params): string => translate(this.locale, key, params)

  date = (value: string | number | Date, format?: string): string => formatDate(this.locale, value, format)
}
