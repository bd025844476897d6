import { makeAutoObservable, reaction } from 'mobx'
import type { Locale } from '../../types/api'
import { formatDate, translate, type MessageKey, type Params } from '../i18n'
import type { LiveTextSource, StoragePort, SystemPort } from '../platform/types'
import { LOCALES, LOCALE_NAMES, normaliseLocale } from '../rules/locale'

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
    makeAutoObservable<this, 'storage' | 'live'>(this, { storage: false, live: false })
  }

  private live: LiveTextSource | null = null

  /** The source of the DingTalk build's native text components (one per store). */
  liveSource(): LiveTextSource {
    this.live ??= {
      text: (key, date) => translate(this.locale, key as MessageKey, date === undefined || date === null ? undefined : { date: this.date(date) }),
      locale: () => this.locale,
      languages: () => LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] })),
      setLocale: (code) => {
        if ((LOCALES as readonly string[]).includes(code)) this.setLocale(code as Locale)
      },
      subscribe: (listener) => reaction(() => this.locale, () => listener()),
    }
    return this.live
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
